/**
 * Guard: what `azd up` deploys for INCIDENT_SINK=sentinel-alerts (infra/modules/findings.bicep) stays in step with
 * the code and the rule YAML, and within Sentinel's documented limits:
 *   - infra/generated/*.json are what `npm run gen:infra` renders from src/findings and the rule YAML
 *     (table columns, MITRE tactics and techniques, severity, schedule, grouping look-back);
 *   - the analytics rule's query, read from the file the Bicep loads, binds in Kusto.Language against the table,
 *     and every column the entity mappings, custom details and alert details read is one it returns;
 *   - entity mappings, identifiers and custom details stay within the limits of sentinel-service-limits and use
 *     identifiers sentinel/entities-reference lists;
 *   - the identity's only right on the findings path is Monitoring Metrics Publisher on the DCR.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsSchema } from '../../src/config/settings.js';
import { renderFindingsInfraFiles } from '../../src/findings/infraFiles.js';
import { analyticsRuleDefinition } from '../../src/findings/analyticsRule.js';
import { FINDINGS_COLUMNS, findingsTableSchema } from '../../src/findings/findingsTable.js';
import { createCatalogue } from '../../src/kql/index.js';
import { loadRule } from '../../src/rules/load.js';
import { loadOfficialKusto, type OfficialKusto } from '../kql/corpus/official-kusto.js';
import { formatColumns, readFindingsBicep } from './findingsBicep.js';
import { directDcrProblems, readBicepFiles, repoRoot, resourceBlocks } from './infraChecks.js';

const rule = loadRule(join(repoRoot, settingsSchema.shape.RULE_PATH.parse(undefined)));
const bicep = readFindingsBicep();

/** Identifiers per entity type (learn.microsoft.com/azure/sentinel/entities-reference, "Entity types and identifiers"). */
const IDENTIFIERS: Readonly<Record<string, readonly string[]>> = {
  Host: ['DnsDomain', 'NTDomain', 'HostName', 'FullName', 'NetBiosName', 'AzureID', 'OMSAgentID', 'OSFamily', 'OSVersion', 'IsDomainJoined'],
  FileHash: ['Algorithm', 'Value'],
  File: ['Directory', 'Name'],
  Process: ['ProcessId', 'CommandLine', 'ElevationToken', 'CreationTimeUtc'],
  Account: ['Name', 'FullName', 'NTDomain', 'DnsDomain', 'UPNSuffix', 'Sid', 'AadTenantId', 'AadUserId', 'PUID', 'IsDomainJoined', 'DisplayName', 'ObjectGuid'],
  IP: ['Address', 'AddressScope'],
  URL: ['Url'],
};

let kusto: OfficialKusto;
let resultColumns: string[];

beforeAll(() => {
  kusto = loadOfficialKusto(createCatalogue([findingsTableSchema]));
  resultColumns = (kusto.resultColumns(bicep.query) ?? []).map((column) => column.split(':')[0] as string);
});

describe('infra/generated (loaded by findings.bicep)', () => {
  it('are what `npm run gen:infra` renders from the code and the rule YAML', () => {
    for (const file of renderFindingsInfraFiles(rule)) {
      expect(readFileSync(join(repoRoot, file.path), 'utf8'), `${file.path} is stale: run npm run gen:infra`).toBe(file.text);
    }
  });

  it('are the files the module loads', () => {
    expect([...bicep.loadedJson].sort()).toEqual(renderFindingsInfraFiles(rule).map((file) => file.path).sort());
  });

  it("carry the rule file's tactics, techniques and severity", () => {
    const generated = JSON.parse(readFileSync(join(repoRoot, 'infra/generated/findingsRule.json'), 'utf8')) as Record<string, unknown>;
    expect(generated).toMatchObject({ tactics: rule.tactics, techniques: rule.relevantTechniques, severity: rule.severity, huntingRuleId: rule.id });
  });

  it('refuse a grouping look-back Sentinel does not accept (5 minutes to 7 days)', () => {
    expect(() => analyticsRuleDefinition({ ...rule, grouping: { ...rule.grouping, lookbackDurationMs: 8 * 86_400_000 } })).toThrow(/between 5 minutes and 7 days/);
  });
});

describe('the analytics rule in findings.bicep', () => {
  it('has a query that binds in Kusto.Language against the findings table, within 10,000 characters', () => {
    // scheduled-rules-overview, "Rule query": between 1 and 10,000 characters.
    expect(bicep.query.length).toBeLessThanOrEqual(10_000);
    expect(kusto.diagnostics(bicep.query)).toEqual([]);
    expect(resultColumns).toContain('FindingId');
  });

  it('raises one alert per result row', () => {
    expect(bicep.aggregationKind).toBe('AlertPerResult');
  });

  it('maps entities within the limits, with documented identifiers, from columns the query returns', () => {
    // sentinel-service-limits: 10 mappings per rule; map-data-fields-to-entities: up to three identifiers each.
    expect(bicep.entityMappings.length).toBeLessThanOrEqual(10);
    expect(bicep.entityMappings.map((mapping) => mapping.entityType)).toEqual(expect.arrayContaining(['Host', 'FileHash', 'File', 'Process', 'Account', 'IP', 'URL']));
    for (const mapping of bicep.entityMappings) {
      expect(mapping.fieldMappings.length, mapping.entityType).toBeGreaterThan(0);
      expect(mapping.fieldMappings.length, mapping.entityType).toBeLessThanOrEqual(3);
      for (const { identifier, columnName } of mapping.fieldMappings) {
        expect(IDENTIFIERS[mapping.entityType], `${mapping.entityType}.${identifier}`).toContain(identifier);
        expect(resultColumns, `${mapping.entityType}.${identifier} reads ${columnName}`).toContain(columnName);
      }
    }
  });

  it('surfaces custom details, alert details and grouping from columns the query returns', () => {
    // sentinel-service-limits: 20 custom details per rule.
    expect(Object.keys(bicep.customDetails).length).toBeLessThanOrEqual(20);
    for (const [key, column] of Object.entries(bicep.customDetails)) expect(resultColumns, `custom detail ${key}`).toContain(column);
    expect(bicep.customDetails).toMatchObject({ EpisodeId: 'EpisodeId', ReportIds: 'ReportIds', WhatIsNew: 'WhatIsNew' });
    for (const column of [...formatColumns(bicep.alertDisplayNameFormat), ...formatColumns(bicep.alertDescriptionFormat), bicep.alertSeverityColumnName, ...bicep.dynamicPropertyColumns]) {
      expect(resultColumns, `alert details read ${column}`).toContain(column);
    }
    // One incident per episode: group on the EpisodeId custom detail.
    expect(bicep.groupByCustomDetails).toEqual(['EpisodeId']);
    for (const key of bicep.groupByCustomDetails) expect(Object.keys(bicep.customDetails)).toContain(key);
  });

  it('takes tactics, techniques, severity, schedule, entities, custom details and grouping from the generated file, not from literals', () => {
    const ruleBlock = resourceBlocks([{ path: 'findings.bicep', text: bicep.code }]).find((block) => block.type === 'Microsoft.SecurityInsights/alertRules')!;
    for (const property of ['tactics', 'techniques', 'severity', 'queryFrequency', 'queryPeriod', 'customDetails', 'entityMappings']) {
      expect(ruleBlock.body, property).toMatch(new RegExp(`\\b${property}\\s*:\\s*rule\\.${property}\\b`));
    }
    expect(ruleBlock.body).toMatch(/\blookbackDuration\s*:\s*rule\.groupingLookback\b/);
    expect(ruleBlock.body).toMatch(/\bgroupByCustomDetails\s*:\s*rule\.groupByCustomDetails\b/);
  });
});

describe('the findings table and DCR', () => {
  it('declare every column of the code\'s table schema, through the generated file', () => {
    const table = JSON.parse(readFileSync(join(repoRoot, 'infra/generated/findingsTable.json'), 'utf8')) as { tableColumns: { name: string }[]; streamColumns: { name: string }[] };
    expect(table.tableColumns.map((column) => column.name)).toEqual(FINDINGS_COLUMNS.map((column) => column.name));
    expect(table.streamColumns.map((column) => column.name)).toEqual(FINDINGS_COLUMNS.map((column) => column.name));
    expect(bicep.code).toMatch(/columns\s*:\s*table\.tableColumns/);
    expect(bicep.code).toMatch(/columns\s*:\s*table\.streamColumns/);
  });

  it('use a Direct DCR (its own ingestion endpoint, no DCE) and grant the identity Monitoring Metrics Publisher on that DCR only', () => {
    expect(directDcrProblems(resourceBlocks(readBicepFiles().filter((file) => file.path.endsWith('findings.bicep'))))).toEqual([]);
  });
});
