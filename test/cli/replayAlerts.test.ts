import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindingsTableFile, tablesDir } from '../../src/adapters/local/findingsTableFile.js';
import { describeFindings, FINDINGS_RULE_QUERY_FILE, markFindings, replayFindings } from '../../src/cli/replayAlerts.js';
import { localCatalogue } from '../../src/adapters/local/localCatalogue.js';
import { openDataDir, withTableCache } from '../../src/data/index.js';
import { alertFromRow, raisedOverSpan, type RaisedAlert } from '../../src/findings/ruleRuns.js';
import { RULE_FREQUENCY_MS } from '../../src/findings/analyticsRule.js';
import { evaluate } from '../../src/kql/index.js';
import { replaceLetValues } from '../../src/kql/queryText.js';
import { buildFindingRecord, type FindingRecord } from '../../src/findings/findingRecord.js';
import { AlertPacer } from '../../src/findings/pacing.js';
import { repoRoot } from '../infra/infraChecks.js';
import { findingSource } from '../support/findingSources.js';

const now = new Date('2026-11-20T12:00:00Z');
let outDir: string;

/** The rule as Sentinel runs it: at `first`, then every rule interval up to `last`, each run's rows its alerts. */
async function simulateRuleRuns(runQuery: (now: Date) => Promise<readonly Record<string, unknown>[]>, first: Date, last: Date): Promise<RaisedAlert[]> {
  const alerts: RaisedAlert[] = [];
  for (let time = first.getTime(); time <= last.getTime(); time += RULE_FREQUENCY_MS) {
    for (const row of await runQuery(new Date(time))) alerts.push(alertFromRow(row, new Date(time)));
  }
  return alerts;
}
beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'hunter-replay-alerts-'));
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

describe('the findings and alerts a replay shows', () => {
  const write = (records: readonly FindingRecord[]) => new FindingsTableFile(tablesDir(outDir)).append(records, now);

  it("are what the analytics rule raises over the run's findings, run by run, with their entities; the text says where the records are, how many, and the titles", async () => {
    const pacer = new AlertPacer();
    const records = Array.from({ length: 150 }, (_, index) => buildFindingRecord(findingSource(index), { writtenAt: now, alertAfter: pacer.next(now), defenderPortalUrl: 'https://security.microsoft.com' }));
    const mark = markFindings(outDir);
    write(records);
    const findings = await replayFindings(mark, { appRoot: repoRoot, now });
    expect(findings.written).toEqual({ opened: 150, updates: 0, massDeployment: 0 });
    const { alerts } = findings;
    expect(alerts.map((alert) => alert.findingId).sort()).toEqual(records.map((record) => record.FindingId).sort());
    // 70 at once, 70 in the next run, 10 in the one after.
    expect([...new Set(alerts.map((alert) => alert.runAt))]).toHaveLength(3);
    const first = alerts.find((alert) => alert.findingId === 'episode-0-0')!;
    expect(first.entities.map((entity) => entity.type)).toEqual(['Host', 'FileHash', 'File', 'Process', 'Account', 'Account', 'IP', 'URL']);
    expect(first.entities[0]).toEqual({ type: 'Host', identifiers: { HostName: 'wks-00000', DnsDomain: 'contoso.local' } });
    expect(first.customDetails).toMatchObject({ EpisodeId: 'episode-0', FindingId: 'episode-0-0', DefenderDeviceId: records[0]!.DeviceId });
    const text = describeFindings(findings);
    expect(text).toContain(`findings: 150 records written to ${new FindingsTableFile(tablesDir(outDir)).file} (150 new episodes, 0 updates)`);
    expect(text).toMatch(/the analytics rule would raise 150 alerts over 3 rule runs, 2026-11-20T12:01:00.000Z to 2026-11-20T12:11:00.000Z/);
    expect(text).toContain(records[0]!.Title);
    expect(text).toContain('… and 100 more alerts (--format json lists them all)');
    expect(text).toContain('Host HostName=wks-00000 DnsDomain=contoso.local');
  });

  it("are only the run's own: findings an earlier replay wrote at the same --now raise nothing again", async () => {
    write([buildFindingRecord(findingSource(1), { writtenAt: now, alertAfter: now, defenderPortalUrl: 'https://security.microsoft.com' })]);
    const mark = markFindings(outDir);
    const update = buildFindingRecord(findingSource(1, { findingId: 'episode-1-1', sequence: 1, reason: 'update' }), { writtenAt: now, alertAfter: now, defenderPortalUrl: 'https://security.microsoft.com' });
    write([update]);
    const findings = await replayFindings(mark, { appRoot: repoRoot, now });
    expect(findings.written).toEqual({ opened: 0, updates: 1, massDeployment: 0 });
    expect(findings.alerts.map((alert) => alert.findingId)).toEqual(['episode-1-1']);
    const nothing = await replayFindings(markFindings(outDir), { appRoot: repoRoot, now });
    expect(nothing).toMatchObject({ written: { opened: 0, updates: 0, massDeployment: 0 }, alerts: [], crowdedRuns: [] });
    expect(describeFindings(nothing)).toMatch(/^findings: none written this run/);
  });

  it('one evaluation over the span raises exactly what the rule raises run by run (paced, late, duplicated findings)', async () => {
    const pacer = new AlertPacer();
    const record = (index: number, writtenAt: Date, alertAfter: Date) => buildFindingRecord(findingSource(index), { writtenAt, alertAfter, defenderPortalUrl: 'https://security.microsoft.com' });
    const table = new FindingsTableFile(tablesDir(outDir));
    table.append(Array.from({ length: 300 }, (_, index) => record(index, now, pacer.next(now))), now);
    // A retried upload of finding 3 half an hour later, and a finding written at 11:00 that arrived at 12:20.
    table.append([record(3, now, now)], new Date(now.getTime() + 30 * 60_000));
    table.append([record(400, new Date('2026-11-20T11:00:00Z'), new Date('2026-11-20T11:00:00Z'))], new Date('2026-11-20T12:20:00Z'));
    const query = readFileSync(join(repoRoot, FINDINGS_RULE_QUERY_FILE), 'utf8');
    const tables = withTableCache(openDataDir(tablesDir(outDir), localCatalogue));
    const first = new Date(now.getTime() + 60_000);
    const last = new Date(now.getTime() + 60 * 60_000);
    const runByRun = await simulateRuleRuns(async (runAt) => (await evaluate(query, { tables, now: runAt })).rows, first, last);
    const overSpan = await raisedOverSpan(async (runAt, runEvery) => (await evaluate(replaceLetValues(query, { runEvery }), { tables, now: runAt })).rows, first, last);
    expect(runByRun).toHaveLength(301);
    expect(overSpan).toEqual(runByRun);
  });

  it("warn when a rule run would have more findings due than Sentinel raises one by one, an earlier run's included", async () => {
    const unpaced = (from: number, count: number) => Array.from({ length: count }, (_, index) => buildFindingRecord(findingSource(from + index), { writtenAt: now, alertAfter: now, defenderPortalUrl: 'https://security.microsoft.com' }));
    write(unpaced(0, 100));
    const mark = markFindings(outDir);
    write(unpaced(100, 60));
    const findings = await replayFindings(mark, { appRoot: repoRoot, now });
    expect(findings.alerts).toHaveLength(60);
    expect(findings.crowdedRuns).toEqual([{ runAt: '2026-11-20T12:01:00.000Z', due: 160 }]);
    expect(describeFindings(findings)).toContain('warning: the rule run at 2026-11-20T12:01:00.000Z has 160 findings due: Sentinel raises 149 of them and folds the other 11 into one summary alert');
  });

  it('are none when the run wrote no finding', async () => {
    expect((await replayFindings(markFindings(outDir), { appRoot: repoRoot, now })).alerts).toEqual([]);
  });
});
