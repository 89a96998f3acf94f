/**
 * The analytics rule's query, read from the file infra/modules/findings.bicep loads (not a copy), run by the local
 * KQL evaluator over the findings table the file sink writes, at the times Sentinel would run it (every 5 minutes):
 *   - each finding raises exactly one alert row, with every column the entity mappings, custom details and alert
 *     details read;
 *   - a finding written twice (a retried upload) raises once;
 *   - a finding ingested late is raised by the run after it arrives;
 *   - a mass deployment of 3,000 findings, paced by the sink, never puts more than 149 rows in one run (so Sentinel
 *     never folds findings into its summary alert) and raises every finding once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindingsTableFile } from '../../src/adapters/local/findingsTableFile.js';
import { localCatalogue } from '../../src/adapters/local/localCatalogue.js';
import { openDataDir, withTableCache } from '../../src/data/index.js';
import { ALERTS_PER_RULE_RUN, RULE_FREQUENCY_MS } from '../../src/findings/analyticsRule.js';
import { buildFindingRecord, type FindingRecord } from '../../src/findings/findingRecord.js';
import { AlertPacer } from '../../src/findings/pacing.js';
import { FindingsSink } from '../../src/adapters/ingestion/findingsSink.js';
import { MASS_DEPLOYMENT_REASON } from '../../src/findings/massDeployment.js';
import { evaluate, type Row } from '../../src/kql/index.js';
import { findingSource } from '../support/findingSources.js';
import { readFindingsBicep } from './findingsBicep.js';

const bicep = readFindingsBicep();
const mappedColumns = [
  ...bicep.entityMappings.flatMap((mapping) => mapping.fieldMappings.map((field) => field.columnName)),
  ...Object.values(bicep.customDetails),
  'Title',
  'Description',
  bicep.alertSeverityColumnName,
  ...bicep.dynamicPropertyColumns,
];
const start = new Date('2026-11-20T12:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

let outDir: string;
let table: FindingsTableFile;

beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'hunter-findings-'));
  table = new FindingsTableFile(outDir);
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

function record(index: number, writtenAt: Date, alertAfter = writtenAt): FindingRecord {
  return buildFindingRecord(findingSource(index), { writtenAt, alertAfter, defenderPortalUrl: 'https://security.microsoft.com' });
}

/** The rule's runs every 5 minutes from `from` to `to` (inclusive), as Sentinel runs them (now() and ago() at each run's time): each run's alert rows. */
async function ruleRuns(from: Date, to: Date): Promise<Row[][]> {
  // The table does not change between the runs of one test: parse it once.
  const tables = withTableCache(openDataDir(outDir, localCatalogue));
  const runs: Row[][] = [];
  for (let time = from.getTime(); time <= to.getTime(); time += RULE_FREQUENCY_MS) {
    runs.push([...(await evaluate(bicep.query, { tables, now: new Date(time) })).rows]);
  }
  return runs;
}

describe('the analytics rule query (infra/modules/findingsRule.kql, loaded by findings.bicep) over the findings table', () => {
  it('raises each finding once, in the first run after it is ingested, with every column the alert reads', async () => {
    table.append([record(1, at(0)), record(2, at(0))], at(0));
    table.append([record(3, at(7))], at(7));
    const runs = await ruleRuns(at(1), at(30));
    const raised = runs.flat();
    expect(raised.map((row) => row.FindingId).sort()).toEqual(['episode-1-0', 'episode-2-0', 'episode-3-0']);
    expect(runs[0]!.map((row) => row.FindingId).sort()).toEqual(['episode-1-0', 'episode-2-0']);
    expect(runs.findIndex((rows) => rows.some((row) => row.FindingId === 'episode-3-0'))).toBe(2); // the run at 11 min
    for (const row of raised) {
      for (const column of mappedColumns) expect(row[column], `${String(row.FindingId)}.${column}`).not.toBeUndefined();
    }
    expect(raised[0]).toMatchObject({ HostName: 'wks-00001', HostDnsDomain: 'contoso.local', FileHashAlgorithm: 'SHA1', FileName: 'AA_v3.exe', AccountName: 'jdoe', AccountUpnSuffix: 'contoso.com', RemoteIP: '203.0.113.7', RemoteUrl: 'rl.ammyy.com', EpisodeId: 'episode-1' });
  });

  it('raises a finding written twice (a retried upload) once', async () => {
    table.append([record(1, at(0))], at(0));
    // The retry after a timeout: the same finding, written and ingested again 30 minutes later.
    table.append([record(1, at(30))], at(30));
    const raised = (await ruleRuns(at(1), at(60))).flat();
    expect(raised.map((row) => row.FindingId)).toEqual(['episode-1-0']);
  });

  it('raises a finding ingested late (written hours before it arrived)', async () => {
    table.append([record(1, at(-180))], at(20));
    const runs = await ruleRuns(at(0), at(40));
    expect(runs.flat().map((row) => row.FindingId)).toEqual(['episode-1-0']);
    expect(runs.findIndex((rows) => rows.length > 0)).toBe(4); // the run at 20 min sees it
  });

  it('raises every device of a 3,000-device mass deployment on its own, never more than a run can raise one by one', async () => {
    const pacer = new AlertPacer();
    const records = Array.from({ length: 3_000 }, (_, index) => record(index, at(0), pacer.next(at(0))));
    // The sink writes in batches; the service ingests each within a minute.
    for (let index = 0; index < records.length; index += 500) table.append(records.slice(index, index + 500), at(index / 1000));
    const until = new Date(pacer.horizon()!.getTime() + 2 * RULE_FREQUENCY_MS);
    const runs = await ruleRuns(at(1), until);
    const perRun = runs.map((rows) => rows.length);
    expect(Math.max(...perRun)).toBeLessThan(ALERTS_PER_RULE_RUN);
    const raised = runs.flat().map((row) => row.FindingId as string);
    expect(new Set(raised).size).toBe(raised.length);
    expect(raised.length).toBe(3_000);
  });

  it('announces a mass deployment at once, in its own incident, naming the devices and when the last alert is due, and still raises every device', async () => {
    let now = at(0);
    const sink = new FindingsSink({
      name: 'file-findings',
      clock: { now: () => now },
      defenderPortalUrl: 'https://security.microsoft.com',
      writer: async (records) => {
        table.append(records, now);
        return records.map(() => ({ accepted: true as const }));
      },
    });
    // The pipeline writes 3,000 new devices in batches of 100, a few seconds apart.
    for (let batch = 0; batch < 30; batch += 1) {
      now = new Date(at(0).getTime() + batch * 2_000);
      const results = await sink.write(Array.from({ length: 100 }, (_, index) => findingSource(batch * 100 + index)));
      expect(results.every((result) => result.outcome === 'written')).toBe(true);
    }
    const runs = await ruleRuns(at(1), new Date(sink.alertsPacedUntil()!.getTime() + 2 * RULE_FREQUENCY_MS));
    const raised = runs.flat();
    const mass = raised.filter((row) => String(row.FindingId).startsWith('mass-deployment:'));
    const devices = raised.filter((row) => !String(row.FindingId).startsWith('mass-deployment:'));
    expect(new Set(devices.map((row) => row.FindingId)).size).toBe(3_000);
    expect(devices).toHaveLength(3_000);
    expect(Math.max(...runs.map((rows) => rows.length))).toBeLessThan(ALERTS_PER_RULE_RUN);
    // Announced in the first rule run, then again as the count doubled (100, 200, 400, 800, 1,600), one incident.
    expect(mass.length).toBeGreaterThanOrEqual(1);
    expect(runs[0]!.some((row) => String(row.FindingId).startsWith('mass-deployment:'))).toBe(true);
    expect(new Set(mass.map((row) => row.EpisodeId)).size).toBe(1);
    expect(mass.map((row) => row.Title)).toContain('Mass deployment: Remote Management and Monitoring tool - Ammyy - File Signature on 1,600 devices');
    expect(mass.every((row) => row.Severity === 'High')).toBe(true);
    const last = mass.at(-1)!;
    expect(Buffer.byteLength(String(last.Description), 'utf8')).toBeLessThanOrEqual(5_000);
    expect(String(last.Description)).toMatch(/the last due at \d{4}-\d\d-\d\dT/);
    expect(String(last.Description)).toContain('wks-00000.contoso.local');
    expect(String(last.Description)).toMatch(/and [\d,]+ more \(the query above lists them all\)/);
    // The record keeps what fits of the names; its hunting query lists every device of the run.
    const stored = await evaluate(`AmmyyHunterFindings_CL | where Reason == "${MASS_DEPLOYMENT_REASON}" | summarize arg_max(Sequence, *) | project HuntingQuery`, { tables: openDataDir(outDir, localCatalogue), now: at(60) });
    const listed = await evaluate(String(stored.rows[0]!.HuntingQuery), { tables: openDataDir(outDir, localCatalogue), now: at(60) });
    expect(listed.rows).toHaveLength(3_000);
  });
});
