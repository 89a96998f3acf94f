/** The hunting query an incident offers is the rule's device query, bound to the device, and it runs. */
import { describe, expect, it } from 'vitest';
import { deviceHuntingQuery } from '../../src/incidents/deviceHuntingQuery.js';
import { runCli } from '../support/cli.js';
import { testRule } from '../support/rules.js';

const sampleDevice = '3f1c2b9a8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b';

describe('the device hunting query', () => {
  it('binds the window from a day before the first evidence to now, and the one device', () => {
    const query = deviceHuntingQuery(testRule(), sampleDevice, new Date('2026-11-17T08:14:22.123Z'))!;
    expect(query).toContain('let Time_start = datetime(2026-11-16T08:14:22.123Z);\nlet Time_end = now();\n');
    expect(query).toContain(`let HitDeviceIds = dynamic(["${sampleDevice}"]);`);
  });

  it('finds every signed file, process and connection of the device in the sample data, oldest first, and nothing of other devices', async () => {
    const query = deviceHuntingQuery(testRule(), sampleDevice, new Date('2026-11-17T08:14:22.123Z'))!;
    const run = await runCli(['query', '--data', 'test/fixtures/ammyy-basic', '--kql', query, '--format', 'json']);
    expect(run.stderr).toBe('');
    const rows = JSON.parse(run.stdout) as { Timestamp: string; ReportId: number | string; RemoteIP: string | null; ProcessCommandLine: string | null }[];
    expect(rows.map((row) => String(row.ReportId))).toEqual(['1001', '11001', '11002', '11003', '1002', '1001']);
    expect(rows.map((row) => row.Timestamp)).toEqual([...rows.map((row) => row.Timestamp)].sort());
    expect(rows.filter((row) => row.ProcessCommandLine)).toHaveLength(1);
    expect(rows.filter((row) => row.RemoteIP).map((row) => row.RemoteIP)).toEqual(['203.0.113.45', '10.44.0.12']);
  });

  it('is absent when the rule names no device query', () => {
    expect(deviceHuntingQuery(testRule({ deviceQuery: undefined }), sampleDevice, new Date())).toBeUndefined();
  });
});
