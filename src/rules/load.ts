import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HuntRule } from './rule.js';
import { ruleFileSchema, type RuleFile } from './schema.js';
import { positionOf, readRuleDocument, readRuleText, type RuleDocument } from './ruleDocument.js';
import { documentData } from '../yaml/yamlDocument.js';
import { RuleError, type RuleProblem } from './ruleError.js';
import { DEVICE_QUERY_LETS, HUNT_QUERY_LETS, describeMissingLets, missingLets } from './queryLets.js';
import { bindRuleEvents } from './ruleEvents.js';
import type { Template } from './template.js';

/** A KQL file a rule names (contextQueryFile, deviceQueryFile), path relative to the rule. */
export interface RuleQueryFile {
  readonly path: string;
  /** As the file is written. */
  readonly text: string;
  /** With RuleEvents bound to the rule's matched events (./ruleEvents.ts): what the hunter runs or shows. */
  readonly bound: string;
}

export interface ValidatedRule {
  readonly fields: RuleFile;
  readonly contextQuery: RuleQueryFile | undefined;
  readonly deviceQuery: RuleQueryFile | undefined;
}

const QUERY_FILE_FIELDS = ['contextQueryFile', 'deviceQueryFile'] as const;

/**
 * Validates a parsed rule document and reads the query files it names; every problem carries
 * the YAML line:col of the field it is about.
 */
export function validateRuleDocument(rule: RuleDocument): { readonly value?: ValidatedRule; readonly problems: readonly RuleProblem[] } {
  const problemAt = (fieldPath: readonly PropertyKey[], message: string): RuleProblem => ({
    file: rule.file,
    ...positionOf(rule, fieldPath),
    code: 'rule-field',
    message: `${fieldPath.length > 0 ? fieldPath.join('.') : '(document)'}: ${message}`,
  });
  const expanded = documentData(rule.document);
  if ('problem' in expanded) {
    return { problems: [{ file: rule.file, ...rule.lines.linePos(expanded.problem.offset), code: 'yaml-aliases', message: expanded.problem.message }] };
  }
  const parsed = ruleFileSchema.safeParse(expanded.data);
  if (!parsed.success) {
    // zod says "expected string, received undefined" for an absent field; say what it means.
    return { problems: parsed.error.issues.map((issue) => problemAt(issue.path, /received undefined$/.test(issue.message) ? 'required, but missing' : issue.message)) };
  }
  const fields = parsed.data;
  const problems: RuleProblem[] = [];
  const missingHuntLets = missingLets(fields.query, HUNT_QUERY_LETS);
  if (missingHuntLets && missingHuntLets.length > 0) problems.push(problemAt(['query'], describeMissingLets(missingHuntLets)));
  const [contextQuery, deviceQuery] = QUERY_FILE_FIELDS.map((field): RuleQueryFile | undefined => {
    const relative = fields[field];
    if (relative === undefined) return undefined;
    const file = path.join(path.dirname(rule.file), relative);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(problemAt([field], `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`));
      return undefined;
    }
    const missing = missingLets(text, DEVICE_QUERY_LETS);
    if (missing && missing.length > 0) problems.push(problemAt([field], `${file} ${describeMissingLets(missing)}`));
    const bound = bindRuleEvents(text, fields.query);
    if ('error' in bound) {
      problems.push(problemAt([field], `${file}: ${bound.error}`));
      return undefined;
    }
    return { path: file, text, bound: bound.text };
  });
  return problems.length > 0 ? { problems } : { value: { fields, contextQuery, deviceQuery }, problems };
}

/** Loads and validates a rule file; throws RuleError naming the file, field, line and column. */
export function loadRule(rulePath: string): HuntRule {
  const read = readRuleText(rulePath);
  if ('problem' in read) throw new RuleError([read.problem]);
  const { rule, problems: yamlProblems } = readRuleDocument(rulePath, read.text);
  if (yamlProblems.length > 0) throw new RuleError(yamlProblems);
  const { value, problems } = validateRuleDocument(rule);
  if (!value) throw new RuleError(problems);
  const { fields } = value;
  const defaultTitle: Template = [{ text: `${fields.name} on ` }, { column: 'DeviceName' }];
  return {
    sourcePath: rulePath,
    id: fields.id,
    name: fields.name,
    description: fields.description,
    requiredDataConnectors: fields.requiredDataConnectors,
    tactics: fields.tactics,
    relevantTechniques: fields.relevantTechniques,
    query: fields.query,
    contextQuery: value.contextQuery?.bound,
    deviceQuery: value.deviceQuery?.bound,
    severity: fields.severity,
    queryFrequencyMs: fields.queryFrequency,
    queryPeriodMs: fields.queryPeriod,
    grouping: {
      lookbackDurationMs: fields.incidentConfiguration.groupingConfiguration.lookbackDuration,
      reopenClosedIncident: fields.incidentConfiguration.groupingConfiguration.reopenClosedIncident,
    },
    window: { overlapMs: fields.windowConfiguration.overlap, ingestionDelayMs: fields.windowConfiguration.ingestionDelay },
    wording: {
      title: fields.alertDetailsOverride.alertDisplayNameFormat ?? defaultTitle,
      summary: fields.alertDetailsOverride.alertDescriptionFormat ?? [{ text: fields.description.trim() }],
      triageChecklist: fields.triageChecklist,
      labels: [...new Set([...fields.tags.filter((tag): tag is string => typeof tag === 'string'), ...fields.relevantTechniques, fields.id])],
    },
    tool: fields.tool && { name: fields.tool.name, fileNames: fields.tool.fileNames, relayDomains: fields.tool.relayDomains.map((domain) => domain.toLowerCase()) },
    alertEntities: fields.alertEntities,
    ...(fields.detectionGroup !== undefined && { detectionGroup: fields.detectionGroup, reportIdScope: ruleTable(fields) }),
    tests: fields.tests,
  };
}

/** The table the rule's events come from: its first data type (each upstream rule reads one table). */
export function ruleTable(fields: Pick<RuleFile, 'requiredDataConnectors'>): string {
  return fields.requiredDataConnectors[0]!.dataTypes[0]!;
}

/** Resolves a rule path setting against the app root (the Function's cwd is the app root). */
export function resolveFromRoot(root: string, file: string): string {
  return path.isAbsolute(file) ? file : path.join(root, file);
}
