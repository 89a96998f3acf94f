/**
 * Reads what infra/modules/findings.bicep deploys for the findings path, from the Bicep text itself (Bicep cannot be
 * compiled here): the analytics rule's query (the file its `loadTextContent` names), and its entity mappings,
 * custom details, alert details override and grouping, following `rule.<field>` into the generated JSON it loads.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { balancedBody, repoRoot, stripBicepComments } from './infraChecks.js';

export const findingsBicepPath = join(repoRoot, 'infra', 'modules', 'findings.bicep');

export interface EntityMapping {
  readonly entityType: string;
  readonly fieldMappings: readonly { readonly identifier: string; readonly columnName: string }[];
}

export interface FindingsRuleBicep {
  readonly code: string;
  /** The rule's query, read from the file the alertRules resource loads. */
  readonly query: string;
  readonly queryFile: string;
  readonly entityMappings: readonly EntityMapping[];
  /** Custom detail key -> column. */
  readonly customDetails: Readonly<Record<string, string>>;
  readonly alertDisplayNameFormat: string;
  readonly alertDescriptionFormat: string;
  readonly alertSeverityColumnName: string;
  readonly dynamicPropertyColumns: readonly string[];
  readonly groupByCustomDetails: readonly string[];
  readonly aggregationKind: string;
  /** Paths (relative to the repo) of the JSON files the module loads. */
  readonly loadedJson: readonly string[];
}

function bodyAfter(code: string, marker: RegExp): string {
  const match = marker.exec(code);
  if (!match) throw new Error(`findings.bicep: ${marker} not found`);
  return balancedBody(code, (match.index ?? 0) + match[0].length - 1);
}

function stringProperty(body: string, name: string): string {
  const match = new RegExp(`\\b${name}\\s*:\\s*'([^']*)'`).exec(body);
  if (!match) throw new Error(`findings.bicep: ${name} not found`);
  return match[1] as string;
}

/** A property of the alert rule that reads a field of `var rule = loadJsonContent('<file>')`: that field's value. */
function fromRuleJson(code: string, rule: string, property: string): unknown {
  const field = new RegExp(`\\b${property}\\s*:\\s*rule\\.([A-Za-z]+)\\b`).exec(rule)?.[1];
  const file = /\bvar\s+rule\s*=\s*loadJsonContent\('([^']+)'\)/.exec(code)?.[1];
  if (field === undefined || file === undefined) throw new Error(`findings.bicep: ${property} is not read from the generated rule file`);
  return (JSON.parse(readFileSync(join(dirname(findingsBicepPath), file), 'utf8')) as Record<string, unknown>)[field];
}

export function readFindingsBicep(): FindingsRuleBicep {
  const code = stripBicepComments(readFileSync(findingsBicepPath, 'utf8'));
  const rule = bodyAfter(code, /resource\s+\w+\s+'Microsoft\.SecurityInsights\/alertRules@[^']+'\s*=\s*\{/);
  const queryFileName = /\bquery\s*:\s*loadTextContent\('([^']+)'\)/.exec(rule)?.[1];
  if (!queryFileName) throw new Error("findings.bicep: the alert rule's query is not loadTextContent('<file>')");
  const queryFile = join(dirname(findingsBicepPath), queryFileName);
  const entityMappings = fromRuleJson(code, rule, 'entityMappings') as EntityMapping[];
  const customDetails = fromRuleJson(code, rule, 'customDetails') as Record<string, string>;
  const override = bodyAfter(rule, /\balertDetailsOverride\s*:\s*\{/);
  const grouping = bodyAfter(rule, /\bgroupingConfiguration\s*:\s*\{/);
  return {
    code,
    query: readFileSync(queryFile, 'utf8'),
    queryFile,
    entityMappings,
    customDetails,
    alertDisplayNameFormat: stringProperty(override, 'alertDisplayNameFormat'),
    alertDescriptionFormat: stringProperty(override, 'alertDescriptionFormat'),
    alertSeverityColumnName: stringProperty(override, 'alertSeverityColumnName'),
    dynamicPropertyColumns: [...bodyAfter(override, /\balertDynamicProperties\s*:\s*\[/).matchAll(/\bvalue\s*:\s*'([^']+)'/g)].map((m) => m[1] as string),
    groupByCustomDetails: fromRuleJson(code, grouping, 'groupByCustomDetails') as string[],
    aggregationKind: stringProperty(bodyAfter(rule, /\beventGroupingSettings\s*:\s*\{/), 'aggregationKind'),
    loadedJson: [...code.matchAll(/loadJsonContent\('([^']+)'\)/g)].map((m) => join('infra', 'modules', m[1] as string).replace(/infra\/modules\/\.\.\//, 'infra/')),
  };
}

/** Column names a `{{Column}}` format refers to. */
export function formatColumns(format: string): string[] {
  return [...format.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1] as string);
}
