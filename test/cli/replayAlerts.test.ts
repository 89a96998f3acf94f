import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindingsTableFile, tablesDir } from '../../src/adapters/local/findingsTableFile.js';
import { alertsTheRuleWouldRaise, describeAlerts } from '../../src/cli/replayAlerts.js';
import { buildFindingRecord } from '../../src/findings/findingRecord.js';
import { AlertPacer } from '../../src/findings/pacing.js';
import { repoRoot } from '../infra/infraChecks.js';
import { findingSource } from '../support/findingSources.js';

const now = new Date('2026-11-20T12:00:00Z');
let outDir: string;
beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'hunter-replay-alerts-'));
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

describe('the alerts a replay shows', () => {
  it('are what the analytics rule raises over the findings written, run by run, with their entities', async () => {
    const pacer = new AlertPacer();
    const records = Array.from({ length: 150 }, (_, index) => buildFindingRecord(findingSource(index), { writtenAt: now, alertAfter: pacer.next(now), defenderPortalUrl: 'https://security.microsoft.com' }));
    new FindingsTableFile(tablesDir(outDir)).append(records, now);
    const alerts = await alertsTheRuleWouldRaise({ appRoot: repoRoot, outDir, now });
    expect(alerts.map((alert) => alert.findingId).sort()).toEqual(records.map((record) => record.FindingId).sort());
    // 70 at once, 70 in the next run, 10 in the one after.
    expect([...new Set(alerts.map((alert) => alert.runAt))]).toHaveLength(3);
    const first = alerts.find((alert) => alert.findingId === 'episode-0-0')!;
    expect(first.entities.map((entity) => entity.type)).toEqual(['Host', 'FileHash', 'File', 'Process', 'Account', 'Account', 'IP', 'URL']);
    expect(first.entities[0]).toEqual({ type: 'Host', identifiers: { HostName: 'wks-00000', DnsDomain: 'contoso.local' } });
    expect(first.customDetails).toMatchObject({ EpisodeId: 'episode-0', FindingId: 'episode-0-0', DefenderDeviceId: records[0]!.DeviceId });
    const text = describeAlerts(alerts);
    expect(text).toMatch(/^the analytics rule would raise 150 alert\(s\) over 3 rule run\(s\):/);
    expect(text).toContain('Host HostName=wks-00000 DnsDomain=contoso.local');
  });

  it('are none when the run wrote no finding', async () => {
    expect(await alertsTheRuleWouldRaise({ appRoot: repoRoot, outDir, now })).toEqual([]);
  });
});
