/**
 * The health rule's query, read from the file infra/modules/health.bicep deploys, run by the local evaluator over run
 * records at the times Sentinel would run it: each problem raises its alert row when it should and stays quiet when
 * it should not (docs/operations.md, "Health alerts").
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHealthBicep } from '../infra/healthBicep.js';
import { HOUR, RULE, RunsTable, runRecord } from '../support/runRecords.js';

const { query } = readHealthBicep();
const start = new Date('2026-11-09T00:00:00Z');
const at = (hours: number) => new Date(start.getTime() + hours * HOUR);

let dir: string;
let runs: RunsTable;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hunter-health-rule-'));
  runs = new RunsTable(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The problems the rule raises at `now`, as `RuleId:Problem`. */
async function problemsAt(now: Date): Promise<string[]> {
  return (await runs.query(query, now)).map((row) => `${String(row.RuleId)}:${String(row.Problem)}`).sort();
}

function hourlySuccesses(fromHour: number, toHour: number): void {
  for (let hour = fromHour; hour <= toHour; hour++) runs.write(runRecord(at(hour)));
}

describe('the health rule (infra/modules/healthRule.kql)', () => {
  it('stays quiet over a healthy history, at every hourly run', async () => {
    hourlySuccesses(0, 72);
    for (let hour = 1; hour <= 72; hour += 7) expect(await problemsAt(at(hour + 0.5)), `at hour ${hour + 0.5}`).toEqual([]);
  });

  it("raises 'no successful hunt' once runs have failed for two intervals, with the last run's error", async () => {
    hourlySuccesses(0, 10);
    for (let hour = 11; hour <= 13; hour++) runs.write(runRecord(at(hour), { Status: 'failed', Error: `Log Analytics query failed (503): service unavailable #${hour}`, Watermark: null, WatermarkLagMs: null }));
    expect(await problemsAt(at(11.5))).toEqual([]);
    const rows = await runs.query(query, at(13.5));
    expect(rows.map((row) => row.Problem)).toEqual(['NoSuccessfulRun']);
    expect(rows[0]).toMatchObject({ RuleId: RULE.id, RuleName: RULE.name, Severity: 'High', LastStatus: 'failed', LastError: 'Log Analytics query failed (503): service unavailable #13', LastSuccessAt: at(10) });
    expect(String(rows[0]!.Description)).toContain('service unavailable #13');
    expect(String(rows[0]!.Title)).toBe('ammyy-hunter: no successful hunt for 3.5 h');
  });

  it("raises 'no successful hunt' when the Function writes no record at all (it looks back 14 days to know the rule)", async () => {
    hourlySuccesses(0, 10);
    expect(await problemsAt(at(11.5))).toEqual([]);
    const rows = await runs.query(query, at(10 + 4 * 24));
    expect(rows.map((row) => row.Problem)).toEqual(['NoSuccessfulRun']);
    expect(String(rows[0]!.Description)).toMatch(/No run has been recorded since 2026-11-09T10:00:00/);
    // Past the rule's query period (5 days), the next run could not reach back to the watermark either.
    expect(await problemsAt(at(10 + 5 * 24 + 1))).toEqual([`${RULE.id}:NoSuccessfulRun`, `${RULE.id}:WatermarkBehind`]);
    // The look-back is Sentinel's longest: after 14 days of silence the rule is no longer known.
    expect(await problemsAt(at(10 + 14 * 24 + 1))).toEqual([]);
  });

  it("raises 'no successful hunt' for a rule that has never succeeded, two intervals after its first run", async () => {
    runs.write(runRecord(at(0), { Status: 'failed', Error: 'state table unreachable', Watermark: null, WatermarkLagMs: null }));
    runs.write(runRecord(at(1), { Status: 'failed', Error: 'state table unreachable', Watermark: null, WatermarkLagMs: null }));
    expect(await problemsAt(at(1.5))).toEqual([]);
    expect(await problemsAt(at(2.5))).toEqual([`${RULE.id}:NoSuccessfulRun`]);
  });

  it("raises 'watermark behind' when the watermark is older than the rule's query period", async () => {
    // Partial runs (time budget) succeed at nothing: the watermark stays where it was five and a half days ago.
    runs.write(runRecord(at(0)));
    for (let hour = 1; hour <= 132; hour += 1) runs.write(runRecord(at(hour), { Status: 'partial', Watermark: at(0).toISOString(), WatermarkLagMs: hour * HOUR }));
    const rows = await runs.query(query, at(132.5));
    expect(rows.map((row) => row.Problem).sort()).toEqual(['NoSuccessfulRun', 'WatermarkBehind']);
    expect(rows.find((row) => row.Problem === 'WatermarkBehind')).toMatchObject({ Severity: 'High', WatermarkLagHours: 132.5 });
    expect(await problemsAt(at(119.5))).toEqual([`${RULE.id}:NoSuccessfulRun`]);
  });

  it("raises 'detections parked' only once a device has stayed parked for two intervals", async () => {
    hourlySuccesses(0, 5);
    runs.write(runRecord(at(6), { ParkedDevices: 2, ParkedSince: at(6).toISOString() }));
    runs.write(runRecord(at(7), { ParkedDevices: 2, ParkedSince: at(6).toISOString() }));
    expect(await problemsAt(at(7.5))).toEqual([]);
    runs.write(runRecord(at(8), { ParkedDevices: 1, ParkedSince: at(6).toISOString() }));
    const rows = await runs.query(query, at(8.5));
    expect(rows).toEqual([expect.objectContaining({ Problem: 'DevicesParked', ParkedDevices: 1, Severity: 'Medium' })]);
    runs.write(runRecord(at(9)));
    expect(await problemsAt(at(9.5))).toEqual([]);
  });

  it("raises 'throttled' when the last run waited for the quota for over a quarter of its time (and a minute), or a call stayed throttled", async () => {
    hourlySuccesses(0, 5);
    runs.write(runRecord(at(6), { DurationMs: 20_000, QuotaWaitedMs: 15_000, QuotaWaits: 3 }));
    expect(await problemsAt(at(6.5))).toEqual([]);
    runs.write(runRecord(at(7), { DurationMs: 600_000, QuotaWaitedMs: 240_000, QuotaWaits: 40 }));
    const rows = await runs.query(query, at(7.5));
    expect(rows).toEqual([expect.objectContaining({ Problem: 'Throttled', QuotaWaitShare: 0.4 })]);
    expect(String(rows[0]!.Title)).toBe('ammyy-hunter: hunt throttled (40% of the run waiting for the quota)');
    runs.write(runRecord(at(8), { ServiceThrottled: 2 }));
    expect(await problemsAt(at(8.5))).toEqual([`${RULE.id}:Throttled`]);
  });

  it('stops expecting a rule the deployment no longer runs (EnabledRules of the newest record)', async () => {
    for (let hour = 0; hour <= 5; hour++) runs.write(runRecord(at(hour)), runRecord(at(hour), { RunId: `b-${hour}`, RuleId: 'rule-b', RuleName: 'Rule B', EnabledRules: ['rule-a', 'rule-b'] }));
    // rule-a stops; rule-b goes on, and the deployment still lists rule-a: rule-a is missing.
    for (let hour = 6; hour <= 9; hour++) runs.write(runRecord(at(hour), { RunId: `b-${hour}`, RuleId: 'rule-b', RuleName: 'Rule B', EnabledRules: ['rule-a', 'rule-b'] }));
    expect(await problemsAt(at(9.5))).toEqual(['rule-a:NoSuccessfulRun']);
    // Removed from RULE_PATH: no longer expected.
    runs.write(runRecord(at(10), { RunId: 'b-10', RuleId: 'rule-b', RuleName: 'Rule B', EnabledRules: ['rule-b'] }));
    expect(await problemsAt(at(10.5))).toEqual([]);
  });

  it("raises 'setup failed' at once when the newest run could not read its rule, with the error", async () => {
    hourlySuccesses(0, 5);
    runs.write(runRecord(at(6), { RuleId: '', RuleName: '', EnabledRules: [], Status: 'failed', Error: 'rules/ammyy-file-signature.yaml:12:3: queryFrequency must be an ISO 8601 duration' }));
    const rows = await runs.query(query, at(6.5));
    expect(rows).toEqual([expect.objectContaining({ Problem: 'SetupFailed', Severity: 'High', LastError: 'rules/ammyy-file-signature.yaml:12:3: queryFrequency must be an ISO 8601 duration' })]);
    runs.write(runRecord(at(7)));
    expect(await problemsAt(at(7.5))).toEqual([]);
  });

  it('counts a record uploaded twice once', async () => {
    hourlySuccesses(0, 3);
    const failed = runRecord(at(4), { Status: 'failed', Error: 'boom', Watermark: null, WatermarkLagMs: null });
    runs.write(failed, failed);
    runs.write(runRecord(at(5), { Status: 'failed', Error: 'boom', Watermark: null, WatermarkLagMs: null }));
    expect(await problemsAt(at(5.5))).toEqual([`${RULE.id}:NoSuccessfulRun`]);
  });
});
