import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

interface HuntRow {
  DeviceId: string;
  DeviceName: string;
  FirstSeen: string;
  LastSeen: string;
  Report: number[];
  Count: number;
}

const byDevice = (a: HuntRow, b: HuntRow) => `${a.DeviceId}${a.DeviceName}`.localeCompare(`${b.DeviceId}${b.DeviceName}`);

describe('hunter query on the sample data', () => {
  it('prints exactly the rows the seed rule defines', async () => {
    const run = await runCli(['query', '--data', 'test/fixtures/ammyy-basic', '--now', '2026-11-20T12:00:00Z', '--rule', 'rules/ammyy-file-signature.yaml', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = (JSON.parse(run.stdout) as HuntRow[]).map((row) => ({ ...row, Report: [...row.Report].sort() })).sort(byDevice);
    expect(rows).toEqual([
      // make_set keeps report 1001 once although two rows carry it; Count counts rows (3).
      { DeviceId: '3f1c2b9a8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b', DeviceName: 'wks-fin-007.contoso.local', FirstSeen: '2026-11-17T08:14:22.123Z', LastSeen: '2026-11-18T09:02:10.000Z', Report: [1001, 1002], Count: 3 },
      // grouping by DeviceId and DeviceName: the renamed device yields two rows
      { DeviceId: '8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b', DeviceName: 'srv-helpdesk-02', FirstSeen: '2026-11-16T13:30:00.000Z', LastSeen: '2026-11-16T13:30:00.000Z', Report: [2001], Count: 1 },
      { DeviceId: '8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b', DeviceName: 'srv-helpdesk-02.contoso.local', FirstSeen: '2026-11-19T07:45:00.000Z', LastSeen: '2026-11-19T07:45:00.000Z', Report: [2002], Count: 1 },
      // 'AMMYY LLC' matches (has is case-insensitive); seen exactly at now(-5d): between is inclusive
      { DeviceId: 'c0ffee0000000000000000000000000000000113', DeviceName: 'laptop-mkt-113.contoso.local', FirstSeen: '2026-11-15T12:00:00.000Z', LastSeen: '2026-11-15T12:00:00.000Z', Report: [3001], Count: 1 },
    ]);
  });

  it('finds nothing for signers where ammyy is only part of a term', async () => {
    const run = await runCli([
      'query', '--data', 'test/fixtures/ammyy-basic', '--now', '2026-11-20T12:00:00Z', '--format', 'json',
      '--kql', "DeviceFileCertificateInfo | where DeviceName == 'wks-dev-201.contoso.local' | where Signer has 'Ammyy' | count",
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ Count: 0 }]);
  });

  it('says on stderr that render was ignored (https://learn.microsoft.com/kusto/query/render-operator)', async () => {
    const run = await runCli([
      'query', '--data', 'test/fixtures/ammyy-basic', '--now', '2026-11-20T12:00:00Z', '--format', 'json',
      '--kql', 'DeviceFileCertificateInfo | summarize n = count() | render piechart',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(1);
    expect(run.stderr).toBe('note: render piechart was ignored: the local engine returns the table, not a chart\n');
  });

  it('reports a KQL error with line and column, exit 1', async () => {
    const run = await runCli(['query', '--data', 'test/fixtures/ammyy-basic', '--kql', 'DeviceFileCertificateInfo\n| where Signer hass "x"']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/2:\d+/);
  });

  it('exits 2 on usage errors', async () => {
    expect((await runCli(['query', '--data', 'x'])).code).toBe(2);
    expect((await runCli(['query', '--bogus'])).code).toBe(2);
    expect((await runCli(['nonsense'])).code).toBe(2);
  });
});
