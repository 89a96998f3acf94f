/** `hunter state` reads the state `hunter replay` left in its local Azurite; `hunter runs` the run records it wrote. */
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useAzurite } from '../support/azurite.js';
import { recordSuppression } from '../../src/core/suppression.js';
import { testRunReport } from '../support/runReports.js';

const wksFin007 = '3f1c2b9a8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b';

describe('hunter state and hunter runs', () => {
  it('list, show and reset the replay state, and list its runs', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-state-'));
    const data = path.join(work, 'data');
    cpSync('test/fixtures/ammyy-basic', data, { recursive: true });
    const state = path.join(work, 'state');
    const replay = await runCli(['replay', '--data', data, '--now', '2026-11-20T12:00:00Z', '--state', state, '--out', path.join(work, 'out'), '--format', 'json']);
    expect(replay.code, replay.stderr).toBe(0);
    const created = (JSON.parse(replay.stdout) as { created: { deviceId: string; episodeId: string }[] }).created;

    const list = await runCli(['state', 'list', '--state', state, '--format', 'json']);
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as { ruleId: string; watermark: string; devices: { deviceId: string; episodeId: string; episodeUpdates: number }[] };
    expect(listed.ruleId).toBe('7c20af02-4bce-4d6d-b609-3ddf5ca4fb59');
    expect(listed.watermark).toBeTruthy();
    expect(listed.devices.map((d) => [d.deviceId, d.episodeId]).sort()).toEqual(created.map((c) => [c.deviceId, c.episodeId]).sort());
    expect(listed.devices.every((d) => d.episodeUpdates === 0)).toBe(true);

    const table = await runCli(['state', 'list', '--state', state]);
    expect(table.stdout).toContain(wksFin007);
    expect(table.stdout).toMatch(/watermark: 2026-11-20T/);

    const show = await runCli(['state', 'show', wksFin007, '--state', state, '--format', 'json']);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ deviceId: wksFin007, episodeUpdates: 0 });
    const missing = await runCli(['state', 'show', 'no-such-device', '--state', state]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no state for device no-such-device/);

    // hunter runs reads the run records the replay wrote, in the workspace table's shape.
    const runs = await runCli(['runs', '--out', path.join(work, 'out'), '--format', 'json']);
    expect(runs.code, runs.stderr).toBe(0);
    const records = JSON.parse(runs.stdout) as { Status: string; Created: number }[];
    expect(records).toHaveLength(1);
    // The record counts the queries: the hunt, one context query, one group lookup; the local evaluator has no quota.
    expect(records[0]).toMatchObject({ Status: 'succeeded', BackendCalls: 3, BackendCallsByPurpose: { hunt: 1, context: 2 }, QuotaWaits: 0, Created: created.length });
    expect((await runCli(['runs', '--out', path.join(work, 'out')])).stdout).toMatch(/1 run\(s\)[\s\S]*queries[\s\S]*first run/);

    const reset = await runCli(['state', 'reset', '--state', state]);
    expect(reset.code, reset.stderr).toBe(0);
    const after = JSON.parse((await runCli(['state', 'list', '--state', state, '--format', 'json'])).stdout) as { devices: unknown[]; watermark?: string };
    expect(after.devices).toEqual([]);
    expect(after.watermark).toBeUndefined();
    // Eight CLI processes, each starting the local emulator: slow on a busy machine, never a measure.
  }, 240_000);

  it('rejects bad usage with exit code 2', async () => {
    expect((await runCli(['state'])).code).toBe(2);
    expect((await runCli(['state', 'show'])).code).toBe(2);
    expect((await runCli(['state', 'reset', '--azure'])).code).toBe(2);
    expect((await runCli(['runs', '--limit', 'zero'])).code).toBe(2);
    expect((await runCli(['state', '--help'])).stdout).toMatch(/hunter state list\|show DEVICE\|reset/);
  });
});

describe('hunter state --azure', () => {
  const az = useAzurite();
  it('opens the table the settings name (here: Azurite through AzureWebJobsStorage)', async () => {
    const { store, table } = await az.newStore();
    await store.appendRunReport(testRunReport({ ruleId: 'rule-x', watermark: '2026-11-20T11:00:00.000Z' }));
    const env = { AzureWebJobsStorage: az.azurite().connectionString, STATE_TABLE_NAME: table.tableName };
    const list = await runCli(['state', 'list', '--azure', '--rule-id', 'rule-x', '--format', 'json'], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ ruleId: 'rule-x', watermark: '2026-11-20T11:00:00.000Z', devices: [] });
    const reset = await runCli(['state', 'reset', '--azure', '--yes', '--rule-id', 'rule-x'], { env });
    expect(reset.code, reset.stderr).toBe(0);
    expect(await store.loadWatermark('rule-x')).toBeUndefined();
  });

  it('lists and shows what exclusions suppressed: a column in the list, every field in show', async () => {
    const { store, table } = await az.newStore();
    const hit = { deviceId: 'sup-dev', deviceName: 'sup-dev.contoso.local', firstSeen: new Date('2026-11-20T10:00:00Z'), lastSeen: new Date('2026-11-20T11:00:00Z'), reportIds: ['41', '42'], eventCount: 2 };
    const state = recordSuppression(undefined, hit, ['scheduled-maintenance'], new Date('2026-11-20T12:00:00Z'))!;
    await store.writeDevices('rule-s', [{ state, expectedEtag: undefined }]);
    const env = { AzureWebJobsStorage: az.azurite().connectionString, STATE_TABLE_NAME: table.tableName };

    const list = await runCli(['state', 'list', '--azure', '--rule-id', 'rule-s'], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/suppressed\s*$/m);
    expect(list.stdout).toContain('1x, last 2026-11-20T12:00:00.000Z (scheduled-maintenance)');

    const show = await runCli(['state', 'show', 'sup-dev', '--azure', '--rule-id', 'rule-s', '--format', 'json'], { env });
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({
      deviceId: 'sup-dev',
      episodeId: 'none (only suppressed so far)',
      reportCount: 0,
      suppressions: 1,
      lastSuppressedAt: '2026-11-20T12:00:00.000Z',
      suppressedBy: ['scheduled-maintenance'],
      suppressedReportCount: 2,
      suppressedReportIds: ['41', '42'],
    });
    const text = await runCli(['state', 'show', 'sup-dev', '--azure', '--rule-id', 'rule-s'], { env });
    expect(text.stdout).toMatch(/suppressedBy\s+\["scheduled-maintenance"\]/);
  });

  it('names the missing connection setting', async () => {
    const run = await runCli(['state', 'list', '--azure', '--rule-id', 'rule-x'], { env: {} });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/AzureWebJobsStorage/);
  });
});
