/**
 * Issue 16, "done when": a simulated week of hourly runs through the timer handler with a settable clock, with a
 * two-day outage (a day of failing runs, then a day with no run at all: the Function stopped), replayed offline:
 *   - every run wrote one run record, the failing ones with their error, through the file sink's runs table;
 *   - the health rule's query (the file health.bicep deploys), run at every hour as Sentinel would, fires exactly for
 *     the outage (from two intervals after the last success until the first run after it) and only with the problem
 *     'no successful hunt', carrying the failing runs' error;
 *   - every workbook query (as health.bicep deploys the workbook) runs over the week's output and returns rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvocationContext, type Timer } from '@azure/functions';
import { createTimerHandler } from '../../src/functions/ammyyHunter.js';
import { startAzuriteTables, type AzuriteTables } from '../../src/adapters/table/azurite.js';
import { localCatalogue } from '../../src/adapters/local/localCatalogue.js';
import { tablesDir } from '../../src/adapters/local/tableFile.js';
import { openDataDir, withTableCache } from '../../src/data/index.js';
import { evaluate, type Row } from '../../src/kql/index.js';
import type { RunRecord } from '../../src/health/runRecord.js';
import { RUNS_TABLE_NAME } from '../../src/health/runsTable.js';
import type { Clock } from '../../src/core/ports.js';
import { readHealthBicep, workbookQueries } from '../infra/healthBicep.js';
import { RAISED_DEVICES, SUPPRESSED_DEVICE, weekHour, writeBrokenCopy, writeWeekData } from '../support/healthWeek.js';

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
const HOURS = 168;
/** The outage: runs fail from hour 49 to 72 (the data cannot be read), and no run at all happens from 73 to 96. */
const FAILING = { from: 49, to: 72 };
const DEAD = { from: 73, to: 96 };
const LAST_SUCCESS_BEFORE = 48;
const FIRST_SUCCESS_AFTER = 97;

const bicep = readHealthBicep();
let azurite: AzuriteTables;
let work: string;
let outDir: string;
let records: RunRecord[];

function settableClock(): Clock & { set(at: Date): void } {
  let current = weekHour(0);
  return { now: () => new Date(current), set: (at) => (current = at) };
}

beforeAll(async () => {
  azurite = await startAzuriteTables({ persistenceDir: undefined });
  work = mkdtempSync(path.join(os.tmpdir(), 'hunter-week-'));
  const data = path.join(work, 'data');
  const broken = path.join(work, 'broken');
  writeWeekData(data);
  writeBrokenCopy(data, broken);
  outDir = path.join(work, 'out');
  const clock = settableClock();
  let hour = 0;
  const handler = createTimerHandler({
    env: () => ({
      AzureWebJobsStorage: azurite.connectionString,
      QUERY_BACKEND: 'local',
      LOCAL_DATA_DIR: hour >= FAILING.from && hour <= FAILING.to ? broken : data,
      EXCLUSIONS_PATH: 'config/exclusions.sample.yaml',
      INCIDENT_SINK: 'file',
      INCIDENT_OUT_DIR: outDir,
      STATE_TABLE_NAME: 'HealthWeek',
    }),
    clock,
    appRoot: process.cwd(),
  });
  for (hour = 1; hour <= HOURS; hour++) {
    if (hour >= DEAD.from && hour <= DEAD.to) continue;
    clock.set(weekHour(hour));
    const context = new InvocationContext({ invocationId: `week-${hour}`, functionName: 'ammyyHunter', logHandler: () => undefined });
    // A failing run throws to the host (which would retry it); its record is written before it does.
    await handler(timer, context).catch(() => undefined);
  }
  records = readFileSync(path.join(tablesDir(outDir), `${RUNS_TABLE_NAME}.jsonl`), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunRecord);
}, 600_000);

afterAll(async () => {
  await azurite?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a simulated week with a two-day outage, through the timer handler', () => {
  it('wrote one run record per run, the failing ones with their error', () => {
    const ran = HOURS - (DEAD.to - DEAD.from + 1);
    expect(records).toHaveLength(ran);
    expect(new Set(records.map((record) => record.RunId)).size).toBe(ran);
    const failed = records.filter((record) => record.Status === 'failed');
    expect(failed.map((record) => record.TimeGenerated)).toEqual(
      Array.from({ length: FAILING.to - FAILING.from + 1 }, (_, i) => weekHour(FAILING.from + i).toISOString()),
    );
    for (const record of failed) expect(record.Error).toMatch(/DeviceFileCertificateInfo\.jsonl:9:/);
    expect(records.filter((record) => record.Status === 'succeeded')).toHaveLength(ran - failed.length);
    // The first run after the outage covers the whole gap and raises what happened during it.
    const recovery = records.find((record) => record.TimeGenerated === weekHour(FIRST_SUCCESS_AFTER).toISOString())!;
    expect(recovery).toMatchObject({ Status: 'succeeded', Created: 2, Updated: 1 });
    expect(recovery.OutageMs).toBeGreaterThan(2 * 3_600_000);
    expect(records.reduce((sum, record) => sum + record.Created, 0)).toBe(RAISED_DEVICES.length);
    expect(records.some((record) => record.Suppressed > 0 && record.Exclusions.some((exclusion) => exclusion.ExclusionId === 'scheduled-maintenance' && exclusion.Activities > 0))).toBe(true);
    expect(SUPPRESSED_DEVICE).toBeTruthy();
  });

  it('makes the health rule fire exactly for the outage, with the failing runs\' error', async () => {
    const tables = withTableCache(openDataDir(tablesDir(outDir), localCatalogue));
    const fired: number[] = [];
    let duringFailures: Row[] = [];
    // Sentinel runs the rule every hour (and five minutes late): here at half past each hour of the week.
    for (let hour = 0; hour <= HOURS; hour++) {
      const rows = (await evaluate(bicep.query, { tables, now: weekHour(hour + 0.5) })).rows;
      if (rows.length === 0) continue;
      expect(rows.map((row) => row.Problem), `at hour ${hour + 0.5}`).toEqual(['NoSuccessfulRun']);
      fired.push(hour + 0.5);
      if (hour === FAILING.to) duringFailures = [...rows];
    }
    // Two intervals after the last success, until the first successful run after the outage.
    const expected: number[] = [];
    for (let hour = LAST_SUCCESS_BEFORE + 2; hour < FIRST_SUCCESS_AFTER; hour++) expected.push(hour + 0.5);
    expect(fired).toEqual(expected);
    expect(String(duringFailures[0]!.LastError)).toMatch(/DeviceFileCertificateInfo\.jsonl:9:/);
    expect(String(duringFailures[0]!.Description)).toMatch(/DeviceFileCertificateInfo\.jsonl:9:/);
  });

  it('runs every workbook query over the week and gets rows from each', async () => {
    const tables = withTableCache(openDataDir(tablesDir(outDir), localCatalogue));
    const now = weekHour(HOURS + 1);
    for (const step of workbookQueries(bicep)) {
      const result = await evaluate(step.query, { tables, now });
      expect(result.rows.length, `${step.name} returned no rows`).toBeGreaterThan(0);
    }
  });
});
