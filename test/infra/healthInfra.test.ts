/**
 * Guard: what `azd up` deploys for hunter health (infra/modules/health.bicep) stays in step with the code and within
 * the documented limits:
 *   - infra/generated/{runsTable,healthRule,healthWorkbook}.json are what `npm run gen:infra` renders (the table's
 *     columns, the rule's schedule and details, the workbook with its query files embedded);
 *   - the health rule's query, read from the file the Bicep loads, binds in Kusto.Language against the runs table and
 *     returns every column its alert details and custom details read; its own look-back is the rule's query period;
 *   - every workbook query, as the Bicep deploys it, binds in Kusto.Language against the runs and findings tables;
 *   - main.bicep deploys the module whatever the sink and passes its DCR to the app settings; the identity's only
 *     right on the run records path is Monitoring Metrics Publisher on the runs DCR.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHealthInfraFiles, HEALTH_INFRA_FILES } from '../../src/health/infraFiles.js';
import { HEALTH_CUSTOM_DETAILS, HEALTH_GROUP_BY_CUSTOM_DETAILS, HEALTH_PROBLEMS, HEALTH_RULE_PERIOD_MS } from '../../src/health/healthRule.js';
import { RUNS_COLUMNS, runsTableSchema } from '../../src/health/runsTable.js';
import { FINDINGS_STEP_PREFIX, WORKBOOK_STEPS } from '../../src/health/workbook.js';
import { findingsTableSchema } from '../../src/findings/findingsTable.js';
import { createCatalogue, parseTimespan } from '../../src/kql/index.js';
import { parseIsoDuration } from '../../src/core/duration.js';
import { loadOfficialKusto, type OfficialKusto } from '../kql/corpus/official-kusto.js';
import { formatColumns } from './findingsBicep.js';
import { healthResources, readHealthBicep, workbookQueries } from './healthBicep.js';
import { directDcrProblems, readBicepFiles, repoRoot, resourceBlocks } from './infraChecks.js';

const bicep = readHealthBicep();
const readRepoFile = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
let kusto: OfficialKusto;
let resultColumns: string[];

beforeAll(() => {
  kusto = loadOfficialKusto(createCatalogue([runsTableSchema, findingsTableSchema]));
  resultColumns = (kusto.resultColumns(bicep.query) ?? []).map((column) => column.split(':')[0] as string);
});

describe('infra/generated (loaded by health.bicep)', () => {
  it('are what `npm run gen:infra` renders from the code and the query files', () => {
    for (const file of renderHealthInfraFiles(readRepoFile)) {
      expect(readRepoFile(file.path), `${file.path} is stale: run npm run gen:infra`).toBe(file.text);
    }
  });

  it('are the files the module loads', () => {
    expect([...bicep.loadedJson].sort()).toEqual(Object.values(HEALTH_INFRA_FILES).sort());
  });

  it("declare the table's columns for the table and the DCR stream alike", () => {
    const table = JSON.parse(readRepoFile(HEALTH_INFRA_FILES.table)) as { name: string; tableColumns: { name: string }[]; streamColumns: { name: string }[] };
    expect(table.name).toBe('AmmyyHunterRuns_CL');
    expect(table.tableColumns.map((column) => column.name)).toEqual(RUNS_COLUMNS.map((column) => column.name));
    expect(table.streamColumns.map((column) => column.name)).toEqual(RUNS_COLUMNS.map((column) => column.name));
    expect(bicep.code).toMatch(/columns\s*:\s*table\.tableColumns/);
    expect(bicep.code).toMatch(/columns\s*:\s*table\.streamColumns/);
  });

  it('name custom table columns as the Logs Ingestion API allows (logs-ingestion-api-overview, "Supported tables")', () => {
    const reserved = ['TenantId', 'Type', 'Title', 'id', 'UniqueId', '_ResourceId', '_SubscriptionId'];
    for (const { name } of RUNS_COLUMNS) {
      expect(name, name).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,44}$/);
      expect(reserved.map((word) => word.toLowerCase()), name).not.toContain(name.toLowerCase());
    }
    expect(RUNS_COLUMNS.find((column) => column.name === 'TimeGenerated')?.type).toBe('datetime');
  });
});

describe('the health rule in health.bicep', () => {
  it('has a query that binds in Kusto.Language against the runs table, within 10,000 characters', () => {
    // scheduled-rules-overview, "Rule query": between 1 and 10,000 characters.
    expect(bicep.query.length).toBeLessThanOrEqual(10_000);
    expect(kusto.diagnostics(bicep.query)).toEqual([]);
    expect(resultColumns).toEqual(expect.arrayContaining(['RuleId', 'Problem', 'Title', 'Description', 'Severity']));
  });

  it('looks back, in its own text, exactly as far as the rule is deployed to (its query period)', () => {
    const lookback = /^let lookback = ([0-9]+[a-z]+);/m.exec(bicep.query)?.[1];
    expect(lookback, 'healthRule.kql: let lookback = <timespan>;').toBeDefined();
    expect(parseTimespan(lookback!)).toBe(HEALTH_RULE_PERIOD_MS);
    expect(parseIsoDuration(String(bicep.rule.queryPeriod))).toBe(HEALTH_RULE_PERIOD_MS);
    // Sentinel's longest look-back (scheduled-rules-overview, "Query scheduling": 5 minutes to 14 days).
    expect(HEALTH_RULE_PERIOD_MS).toBe(14 * 86_400_000);
  });

  it('raises one alert per result row, with title, description (the run\'s error) and severity from the row', () => {
    expect(bicep.aggregationKind).toBe('AlertPerResult');
    for (const column of [...formatColumns(bicep.alertDisplayNameFormat), ...formatColumns(bicep.alertDescriptionFormat), bicep.alertSeverityColumnName]) {
      expect(resultColumns, `alert details read ${column}`).toContain(column);
    }
  });

  it('surfaces custom details from columns the query returns, within the limit, and groups by rule and problem', () => {
    // surface-custom-details-in-alerts: at most 20 custom details.
    const details = bicep.rule.customDetails as Record<string, string>;
    expect(details).toEqual(HEALTH_CUSTOM_DETAILS);
    expect(Object.keys(details).length).toBeLessThanOrEqual(20);
    for (const [key, column] of Object.entries(details)) expect(resultColumns, `custom detail ${key}`).toContain(column);
    expect(bicep.rule.groupByCustomDetails).toEqual([...HEALTH_GROUP_BY_CUSTOM_DETAILS]);
    for (const key of HEALTH_GROUP_BY_CUSTOM_DETAILS) expect(Object.keys(details)).toContain(key);
    expect(details.LastError).toBe('LastError');
  });

  it('takes its schedule, details and grouping from the generated file, and its query from the file the tests run', () => {
    for (const property of ['queryFrequency', 'queryPeriod', 'customDetails', 'displayName', 'description']) {
      expect(bicep.ruleBody, property).toMatch(new RegExp(`\\b${property}\\s*:\\s*rule\\.${property}\\b`));
    }
    expect(bicep.ruleBody).toMatch(/\bquery\s*:\s*loadTextContent\('healthRule\.kql'\)/);
    expect(bicep.ruleBody).toMatch(/\blookbackDuration\s*:\s*rule\.groupingLookback\b/);
    expect(bicep.ruleBody).toMatch(/\bgroupByCustomDetails\s*:\s*rule\.groupByCustomDetails\b/);
    expect(bicep.ruleBody).toMatch(/\bcreateIncident\s*:\s*true/);
    // Sentinel's bounds: interval and look-back 5 minutes to 14 days, grouping 5 minutes to 7 days.
    const ms = (field: string) => parseIsoDuration(String(bicep.rule[field]))!;
    for (const field of ['queryFrequency', 'queryPeriod']) expect(ms(field)).toBeGreaterThanOrEqual(5 * 60_000);
    expect(ms('queryFrequency')).toBeLessThanOrEqual(ms('queryPeriod'));
    expect(ms('groupingLookback')).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it("points each problem's alert at its section of docs/operations.md, and every problem has one", () => {
    const headings = readRepoFile('docs/operations.md').split('\n').filter((line) => line.startsWith('### '));
    for (const problem of HEALTH_PROBLEMS) {
      expect(bicep.query, `the query raises ${problem}`).toContain(`"${problem}"`);
      expect(headings.some((heading) => heading.includes(`(\`${problem}\``)), `docs/operations.md has a section for ${problem}`).toBe(true);
    }
    const cited = [...bicep.query.matchAll(/See docs\/operations\.md, '([^']+)'/g)].map((match) => match[1]!);
    expect(cited).toHaveLength(HEALTH_PROBLEMS.length);
    for (const section of cited) expect(headings.some((heading) => heading.startsWith(`### ${section} (`)), `docs/operations.md has '${section}'`).toBe(true);
  });
});

describe('the workbook in health.bicep', () => {
  const queries = workbookQueries(bicep);

  it('deploys the generated content with only the workspace added, and drops the findings steps without a findings table', () => {
    expect(bicep.workbookBody).toMatch(/\bkind\s*:\s*'shared'/);
    expect(bicep.workbookBody).toMatch(/\bcategory\s*:\s*'sentinel'/);
    expect(bicep.workbookBody).toMatch(/\bsourceId\s*:\s*sentinelWorkspace\.id/);
    expect(bicep.workbookBody).toMatch(/serializedData\s*:\s*string\(union\(workbookContent,/);
    expect(bicep.workbookBody).toMatch(/fallbackResourceIds\s*:\s*\[sentinelWorkspace\.id\]/);
    expect(bicep.workbookBody).toContain(`filter(workbookContent.items, item => includeFindings || !startsWith(item.name, '${FINDINGS_STEP_PREFIX}'))`);
    expect(bicep.workbook.version).toBe('Notebook/1.0');
  });

  it('has one query step per defined step, each bound to the TimeRange parameter', () => {
    expect(queries.map((query) => query.name)).toEqual(WORKBOOK_STEPS.map((step) => step.name));
    const parameters = bicep.workbook.items.find((item) => item.type === 9)!.content.parameters as { name: string; type: number }[];
    expect(parameters).toEqual([expect.objectContaining({ name: 'TimeRange', type: 4 })]);
    for (const query of queries) expect(query.content, query.name).toMatchObject({ version: 'KqlItem/1.0', queryType: 0, timeContextFromParameter: 'TimeRange', resourceType: 'microsoft.operationalinsights/workspaces' });
  });

  it('has queries that bind in Kusto.Language against the runs and findings tables', () => {
    for (const query of queries) {
      expect(kusto.diagnostics(query.query), query.name).toEqual([]);
      const reads = query.name.startsWith(FINDINGS_STEP_PREFIX) ? 'AmmyyHunterFindings_CL' : 'AmmyyHunterRuns_CL';
      expect(query.query, query.name).toContain(reads);
    }
  });
});

describe('health.bicep and main.bicep', () => {
  it('use a Direct DCR and grant the identity Monitoring Metrics Publisher on that DCR only', () => {
    expect(directDcrProblems(healthResources(bicep))).toEqual([]);
  });

  it('deploy the health module whatever the sink and hand its DCR to the app', () => {
    const main = readBicepFiles().find((file) => file.path.endsWith('main.bicep'))!.text;
    expect(main).toMatch(/module\s+health\s+'modules\/health\.bicep'\s*=\s*\{/);
    expect(main).toMatch(/includeFindings\s*:\s*deployFindings/);
    for (const [setting, output] of [['RUNS_INGESTION_ENDPOINT', 'logsIngestionEndpoint'], ['RUNS_DCR_IMMUTABLE_ID', 'dataCollectionRuleImmutableId'], ['RUNS_STREAM_NAME', 'streamName']]) {
      expect(main).toMatch(new RegExp(`\\b${setting}\\s*:\\s*health\\.outputs\\.${output}\\b`));
    }
    expect(resourceBlocks([bicep.file]).map((block) => block.type)).toEqual(
      expect.arrayContaining(['Microsoft.OperationalInsights/workspaces/tables', 'Microsoft.Insights/dataCollectionRules', 'Microsoft.SecurityInsights/alertRules', 'Microsoft.Insights/workbooks']),
    );
  });
});
