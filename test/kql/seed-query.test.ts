// The seed Ammyy rule end to end: let/now(), comments, inclusive between, term `has`, summarize.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadRule } from '../../src/rules/load.js';
import { run, NOW } from './helpers.js';

// The shipped rule's query, as published upstream.
const SEED = loadRule(fileURLToPath(new URL('../../rules/ammyy-file-signature.yaml', import.meta.url))).query;

const at = (isoOrOffsetMs: string | number) =>
  typeof isoOrOffsetMs === 'number' ? new Date(NOW.getTime() + isoOrOffsetMs) : new Date(isoOrOffsetMs);
const DAY = 86_400_000;

function cert(over: Record<string, unknown>) {
  return { Timestamp: at(-DAY), DeviceId: 'dev-1', DeviceName: 'pc1.contoso.com', Signer: 'Ammyy LLC', ReportId: 1, ...over };
}

describe('seed query (rmm_Ammyy_filesig)', () => {
  it('groups Ammyy-signed files by device and keeps distinct report ids', async () => {
    const r = await run(SEED, {
      DeviceFileCertificateInfo: [
        cert({ ReportId: 10, Timestamp: at(-2 * DAY) }),
        cert({ ReportId: 11 }),
        cert({ ReportId: 11 }), // duplicate report: make_set de-duplicates, count() does not
        cert({ DeviceId: 'dev-2', DeviceName: 'pc2.contoso.com', ReportId: 20 }),
      ],
    });
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'DeviceId:string', 'DeviceName:string', 'FirstSeen:datetime', 'LastSeen:datetime', 'Report:dynamic', 'Count:long',
    ]);
    expect(r.rows).toEqual([
      { DeviceId: 'dev-1', DeviceName: 'pc1.contoso.com', FirstSeen: at(-2 * DAY), LastSeen: at(-DAY), Report: [10, 11], Count: 3 },
      { DeviceId: 'dev-2', DeviceName: 'pc2.contoso.com', FirstSeen: at(-DAY), LastSeen: at(-DAY), Report: [20], Count: 1 },
    ]);
  });

  it('includes both ends of the window and excludes rows outside it', async () => {
    const r = await run(SEED, {
      DeviceFileCertificateInfo: [
        cert({ ReportId: 1, Timestamp: at(-5 * DAY) }), // exactly now(-5d): inclusive
        cert({ ReportId: 2, Timestamp: at(0) }), // exactly now(): inclusive
        cert({ ReportId: 3, Timestamp: at(-5 * DAY - 1) }), // 1 ms too old
        cert({ ReportId: 4, Timestamp: at(1) }), // 1 ms in the future
      ],
    });
    expect(r.rows.map((x) => x['Report'])).toEqual([[1, 2]]);
  });

  it('matches Ammyy as a whole term, case-insensitively, and not inside longer terms', async () => {
    const signers = ['Ammyy LLC', 'AMMYY', 'ammyy.com', 'Ammyy-Group', 'NotAmmyy Corp', 'AmmyyAdmin Ltd', 'Ammyy2 Inc'];
    const r = await run(SEED, {
      DeviceFileCertificateInfo: signers.map((Signer, i) => cert({ Signer, DeviceId: `d${i}`, ReportId: i })),
    });
    expect(r.rows.map((x) => x['DeviceId'])).toEqual(['d0', 'd1', 'd2', 'd3']);
  });

  it('groups by DeviceId and DeviceName together', async () => {
    const r = await run(SEED, {
      DeviceFileCertificateInfo: [cert({ DeviceName: 'old-name' }), cert({ DeviceName: 'new-name' })],
    });
    expect(r.rows.map((x) => [x['DeviceId'], x['DeviceName']])).toEqual([
      ['dev-1', 'old-name'],
      ['dev-1', 'new-name'],
    ]);
  });

  it('returns no rows when nothing matches', async () => {
    const r = await run(SEED, { DeviceFileCertificateInfo: [cert({ Signer: 'Contoso Ltd' })] });
    expect(r.rows).toEqual([]);
  });
});
