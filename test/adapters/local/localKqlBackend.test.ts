// The local backend reads every data file once per run, whatever the number of queries (issue: context batches).
import { describe, expect, it } from 'vitest';
import { dataDir } from '../../data/dataDirs.js';
import { LocalKqlBackend } from '../../../src/adapters/local/localKqlBackend.js';
import { openDataDir, type DataDirProvider } from '../../../src/data/index.js';

function counting(provider: DataDirProvider): DataDirProvider & { reads: number } {
  const counted = {
    ...provider,
    reads: 0,
    scan(table: string, columns?: readonly string[]) {
      counted.reads++;
      return provider.scan(table, columns);
    },
  };
  return counted;
}

describe('LocalKqlBackend', () => {
  it('parses each data file once for many queries', async () => {
    const rows = ['Ammyy LLC', 'Contoso'].map((signer, i) => JSON.stringify({ Timestamp: '2026-11-20T10:00:00Z', DeviceId: `d${i}`, Signer: signer }));
    const files = counting(openDataDir(dataDir({ 'DeviceFileCertificateInfo.jsonl': rows.join('\n') })));
    const backend = new LocalKqlBackend(files, { now: () => new Date('2026-11-21T00:00:00Z') });
    const window = { start: new Date(0), end: new Date('2026-11-21T00:00:00Z') };
    for (const device of ['d0', 'd1', 'd0']) {
      // a batch's device list, as the context query binds it (queries testing lines for different
      // texts read again: test/data/tableCache.test.ts)
      const result = await backend.run({ query: `DeviceFileCertificateInfo | where DeviceId in ('${device}') | where Signer has 'ammyy' | project DeviceId`, window, purpose: 'context' });
      expect(result.rows).toEqual(device === 'd0' ? [{ DeviceId: 'd0' }] : []);
    }
    expect(files.reads).toBe(1);
  });
});
