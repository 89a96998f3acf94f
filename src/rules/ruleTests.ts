/**
 * Runs the test cases beside a rule (its `tests` field, docs/rules.md "Tests") through the real KQL
 * evaluator, as Panther and Sigma keep positive and negative cases beside each rule: the rule's query
 * with the hunter's window bound, over in-memory tables holding only the case's rows. A `hit` case
 * must raise its device, and the rule's context query must find evidence for it (so the shared query
 * file fits the rule's kind); a `none` case (a look-alike) must raise nothing. A rule without at least
 * one case of each kind fails: an untested rule is not known to detect anything, nor to stay quiet.
 */
import { coercerFor } from '../data/coerce.js';
import { evaluate, defaultCatalogue, memoryTables, type Row, type TableSchema } from '../kql/index.js';
import { kqlDatetime, kqlStringArray, replaceLetValues } from '../kql/queryText.js';
import { bindHuntWindow } from '../core/bindWindow.js';
import { hitsFromResult } from '../core/hitRows.js';
import { errorMessage } from '../core/errors.js';
import type { HuntRule } from './rule.js';
import type { RuleTestCase } from './schema.js';

/** The instant every rule test treats as now, so a case's explicit Timestamps keep their meaning. */
export const RULE_TEST_NOW = new Date(Date.UTC(2026, 0, 1, 12));
const HOUR_MS = 3_600_000;

/** What a row leaves out; every other column is empty (null, or '' for strings, as in Kusto). */
const TEST_DEVICE_ID = 'rule-test-device';
const TEST_HASH = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
function defaultValue(column: string, rowIndex: number, now: Date): unknown {
  switch (column) {
    case 'Timestamp':
      return new Date(now.getTime() - HOUR_MS);
    case 'DeviceId':
      return TEST_DEVICE_ID;
    case 'DeviceName':
      return `${TEST_DEVICE_ID}.contoso.local`;
    case 'ReportId':
      return rowIndex + 1;
    // The context queries find a tool's evidence by the hash of its binary.
    case 'SHA1':
    case 'InitiatingProcessSHA1':
      return TEST_HASH;
    default:
      return undefined;
  }
}

export interface RuleTestOutcome {
  readonly name: string;
  readonly expect: RuleTestCase['expect'];
  readonly passed: boolean;
  /** Why it failed, or what it found. */
  readonly detail: string;
}

export interface RuleTestReport {
  readonly rule: HuntRule;
  readonly outcomes: readonly RuleTestOutcome[];
  /** Problems of the rule's tests as a whole (a kind of case missing). */
  readonly problems: readonly string[];
  readonly passed: boolean;
}

export async function runRuleTests(rule: HuntRule, now: Date = RULE_TEST_NOW): Promise<RuleTestReport> {
  const problems: string[] = [];
  for (const kind of ['hit', 'none'] as const) {
    if (!rule.tests.some((test) => test.expect === kind)) {
      problems.push(kind === 'hit' ? 'no test case with expect: hit (rows the rule must raise)' : 'no test case with expect: none (a look-alike the rule must not raise)');
    }
  }
  const outcomes: RuleTestOutcome[] = [];
  for (const test of rule.tests) outcomes.push(await runCase(rule, test, now));
  return { rule, outcomes, problems, passed: problems.length === 0 && outcomes.every((outcome) => outcome.passed) };
}

async function runCase(rule: HuntRule, test: RuleTestCase, now: Date): Promise<RuleTestOutcome> {
  const fail = (detail: string): RuleTestOutcome => ({ name: test.name, expect: test.expect, passed: false, detail });
  const byTable = test.tables ?? { [rule.requiredDataConnectors[0]!.dataTypes[0]!]: test.rows ?? [] };
  const tableRows: Record<string, Row[]> = {};
  for (const [tableName, rows] of Object.entries(byTable)) {
    const schema = defaultCatalogue.schemaOf(tableName);
    if (schema === undefined) return fail(`no table ${tableName} in the Defender schemas`);
    const built = buildRows(schema, rows, now);
    if ('error' in built) return fail(built.error);
    tableRows[tableName] = built.rows;
  }
  const tables = memoryTables(() => tableRows);
  const window = { start: new Date(now.getTime() - rule.queryPeriodMs), end: now };
  try {
    const result = await evaluate(bindHuntWindow(rule, window), { tables, now });
    const { hits, rejected } = hitsFromResult(result, rule.sourcePath, rule.reportIdScope);
    if (rejected.length > 0) return fail(`the rule returned a row the hunter cannot raise: ${rejected[0]!.message}`);
    const devices = hits.map((hit) => hit.deviceId);
    if (test.expect === 'none') {
      return hits.length === 0 ? { name: test.name, expect: test.expect, passed: true, detail: 'no hit' } : fail(`expected no hit, got ${describeDevices(devices)}`);
    }
    const expected = [...new Set(Object.values(tableRows).flatMap((rows) => rows.map((row) => String(row.DeviceId))))];
    const missed = expected.filter((device) => !devices.includes(device));
    if (missed.length > 0) return fail(`expected a hit on ${describeDevices(missed)}, got ${hits.length === 0 ? 'no hit' : describeDevices(devices)}`);
    if (rule.contextQuery === undefined) return { name: test.name, expect: test.expect, passed: true, detail: `hit ${describeDevices(devices)}` };
    const contextQuery = replaceLetValues(rule.contextQuery, { Time_start: kqlDatetime(window.start), Time_end: kqlDatetime(window.end), HitDeviceIds: kqlStringArray(devices) });
    const evidence = await evaluate(contextQuery, { tables, now });
    if (evidence.rows.length === 0) return fail(`hit ${describeDevices(devices)}, but the context query found no evidence for it (does the rule's kind fit its contextQueryFile?)`);
    return { name: test.name, expect: test.expect, passed: true, detail: `hit ${describeDevices(devices)}, ${evidence.rows.length} evidence row(s)` };
  } catch (error) {
    return fail(errorMessage(error));
  }
}

function describeDevices(devices: readonly string[]): string {
  return devices.map((device) => JSON.stringify(device)).join(', ');
}

/** The case's rows under the table's schema; a column the table lacks is the case's error (a typo would test nothing). */
function buildRows(schema: TableSchema, rows: readonly Readonly<Record<string, unknown>>[], now: Date): { readonly rows: Row[] } | { readonly error: string } {
  const columns = new Map(schema.columns.map((column) => [column.name, column]));
  const built: Row[] = [];
  for (const [index, row] of rows.entries()) {
    const unknown = Object.keys(row).filter((name) => !columns.has(name));
    if (unknown.length > 0) return { error: `row ${index + 1}: ${schema.name} has no column ${unknown.join(', ')}` };
    const out: Record<string, unknown> = {};
    for (const column of schema.columns) {
      const raw = column.name in row ? row[column.name] : defaultValue(column.name, index, now);
      try {
        out[column.name] = coercerFor(column.type, false)(raw);
      } catch (error) {
        return { error: `row ${index + 1}, column ${column.name}: ${errorMessage(error)}` };
      }
    }
    built.push(out);
  }
  return { rows: built };
}
