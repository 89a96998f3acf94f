/**
 * Reads what infra/modules/health.bicep deploys, from the Bicep text itself (Bicep cannot be compiled here): the health
 * rule's query (the file its `loadTextContent` names), its settings from the generated JSON its `rule.<field>`
 * references, and the workbook content it loads, with the queries each step runs.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { balancedBody, repoRoot, resourceBlocks, stripBicepComments, type SourceFile } from './infraChecks.js';

export const healthBicepPath = join(repoRoot, 'infra', 'modules', 'health.bicep');

export interface WorkbookStep {
  readonly name: string;
  readonly type: number;
  readonly content: Readonly<Record<string, unknown>>;
}

export interface HealthBicep {
  readonly code: string;
  readonly file: SourceFile;
  readonly ruleBody: string;
  /** The health rule's query, read from the file the alertRules resource loads. */
  readonly query: string;
  readonly rule: Readonly<Record<string, unknown>>;
  readonly alertDisplayNameFormat: string;
  readonly alertDescriptionFormat: string;
  readonly alertSeverityColumnName: string;
  readonly aggregationKind: string;
  readonly workbookBody: string;
  /** The workbook content file the module loads, parsed. */
  readonly workbook: { readonly version: string; readonly items: readonly WorkbookStep[] };
  /** Paths (relative to the repo) of the JSON files the module loads. */
  readonly loadedJson: readonly string[];
}

function bodyAfter(code: string, marker: RegExp): string {
  const match = marker.exec(code);
  if (!match) throw new Error(`health.bicep: ${marker} not found`);
  return balancedBody(code, match.index + match[0].length - 1);
}

function stringProperty(body: string, name: string): string {
  const match = new RegExp(`\\b${name}\\s*:\\s*'([^']*)'`).exec(body);
  if (!match) throw new Error(`health.bicep: ${name} not found`);
  return match[1] as string;
}

function loadedJson(code: string, variable: string): unknown {
  const file = new RegExp(`\\bvar\\s+${variable}\\s*=\\s*loadJsonContent\\('([^']+)'\\)`).exec(code)?.[1];
  if (file === undefined) throw new Error(`health.bicep: var ${variable} is not loadJsonContent('<file>')`);
  return JSON.parse(readFileSync(join(dirname(healthBicepPath), file), 'utf8'));
}

export function readHealthBicep(): HealthBicep {
  const text = readFileSync(healthBicepPath, 'utf8');
  const code = stripBicepComments(text);
  const ruleBody = bodyAfter(code, /resource\s+\w+\s+'Microsoft\.SecurityInsights\/alertRules@[^']+'\s*=\s*\{/);
  const queryFile = /\bquery\s*:\s*loadTextContent\('([^']+)'\)/.exec(ruleBody)?.[1];
  if (!queryFile) throw new Error("health.bicep: the health rule's query is not loadTextContent('<file>')");
  const override = bodyAfter(ruleBody, /\balertDetailsOverride\s*:\s*\{/);
  return {
    code,
    file: { path: 'infra/modules/health.bicep', text },
    ruleBody,
    query: readFileSync(join(dirname(healthBicepPath), queryFile), 'utf8'),
    rule: loadedJson(code, 'rule') as Record<string, unknown>,
    alertDisplayNameFormat: stringProperty(override, 'alertDisplayNameFormat'),
    alertDescriptionFormat: stringProperty(override, 'alertDescriptionFormat'),
    alertSeverityColumnName: stringProperty(override, 'alertSeverityColumnName'),
    aggregationKind: stringProperty(bodyAfter(ruleBody, /\beventGroupingSettings\s*:\s*\{/), 'aggregationKind'),
    workbookBody: bodyAfter(code, /resource\s+\w+\s+'Microsoft\.Insights\/workbooks@[^']+'\s*=\s*\{/),
    workbook: loadedJson(code, 'workbookContent') as HealthBicep['workbook'],
    loadedJson: [...code.matchAll(/loadJsonContent\('([^']+)'\)/g)].map((m) => join('infra', 'modules', m[1] as string).replace(/infra\/modules\/\.\.\//, 'infra/')),
  };
}

/** The resources the module declares. */
export function healthResources(bicep: HealthBicep) {
  return resourceBlocks([bicep.file]);
}

/** The workbook's query steps, with their queries exactly as deployed. */
export function workbookQueries(bicep: HealthBicep): { readonly name: string; readonly query: string; readonly content: Readonly<Record<string, unknown>> }[] {
  return bicep.workbook.items.filter((item) => item.type === 3).map((item) => ({ name: item.name, query: String(item.content.query), content: item.content }));
}
