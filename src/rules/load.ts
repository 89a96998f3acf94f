import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HuntRule } from './rule.js';
import { ruleFileSchema } from './schema.js';
import { positionOf, readRuleDocument, readRuleText, type RuleDocument } from './ruleDocument.js';
import { RuleError, type RuleProblem } from './ruleError.js';

/** `rules/x.yaml` ships its evidence query as `rules/x.context.kql`. */
export function contextQueryPathFor(rulePath: string): string {
  return rulePath.replace(/\.ya?ml$/i, '') + '.context.kql';
}

/** Validates a parsed rule document; problems carry the YAML line:col of the bad field. */
export function validateRuleDocument(rule: RuleDocument): { readonly value?: ReturnType<typeof ruleFileSchema.parse>; readonly problems: readonly RuleProblem[] } {
  const parsed = ruleFileSchema.safeParse(rule.document.toJS());
  if (parsed.success) return { value: parsed.data, problems: [] };
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(document)';
    const where = positionOf(rule, issue.path);
    // zod says "expected string, received undefined" for an absent field; say what it means.
    const message = /received undefined$/.test(issue.message) ? 'required, but missing' : issue.message;
    return { file: rule.file, ...where, code: 'rule-field', message: `${field}: ${message}` };
  });
  return { problems };
}

/** Loads and validates a rule file; throws RuleError naming the file, field, line and column. */
export function loadRule(rulePath: string): HuntRule {
  const read = readRuleText(rulePath);
  if ('problem' in read) throw new RuleError([read.problem]);
  const { rule, problems: yamlProblems } = readRuleDocument(rulePath, read.text);
  if (yamlProblems.length > 0) throw new RuleError(yamlProblems);
  const { value, problems } = validateRuleDocument(rule);
  if (!value) throw new RuleError(problems);
  const contextPath = contextQueryPathFor(rulePath);
  return {
    sourcePath: rulePath,
    id: value.id,
    name: value.name,
    description: value.description,
    requiredDataConnectors: value.requiredDataConnectors,
    tactics: value.tactics,
    relevantTechniques: value.relevantTechniques,
    query: value.query,
    contextQuery: existsSync(contextPath) ? readFileSync(contextPath, 'utf8') : undefined,
    severity: value.severity,
    queryFrequencyMs: value.queryFrequency,
    queryPeriodMs: value.queryPeriod,
    grouping: {
      lookbackDurationMs: value.incidentConfiguration.groupingConfiguration.lookbackDuration,
      reopenClosedIncident: value.incidentConfiguration.groupingConfiguration.reopenClosedIncident,
    },
    window: { overlapMs: value.windowConfiguration.overlap, ingestionDelayMs: value.windowConfiguration.ingestionDelay },
  };
}

/** Resolves a rule path setting against the app root (the Function's cwd is the app root). */
export function resolveFromRoot(root: string, file: string): string {
  return path.isAbsolute(file) ? file : path.join(root, file);
}
