// The local backend's table cache: one parse of each data file per run, however many queries read it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { all, dataDir } from './dataDirs.js';
import { openDataDir, withTableCache, type DataDirProvider } from '../../src/data/index.js';
import { evaluate } from '../../src/kql/index.js';

const CERT = 'DeviceFileCertificateInfo';
const line = (device: string, signer: string) => JSON.stringify({ Timestamp: '2026-11-20T10:00:00Z', DeviceId: device, Signer: signer, ReportId: 1 });

/** Counts the reads that reach the data files. */
function counting(provider: DataDirProvider): DataDirProvider & { reads: string[] } {
  const reads: string[] = [];
  return {
    ...provider,
    reads,
    scan(table, columns, hints) {
      reads.push(`${table}:${columns?.join(',') ?? '*'}${hints?.mustContain ? ` lines with ${JSON.stringify(hints.mustContain)}` : ''}`);
      return provider.scan(table, columns, hints);
    },
  };
}

function folder(rows = 3): string {
  return dataDir({ [`${CERT}.jsonl`]: Array.from({ length: rows }, (_, i) => line(`d${i}`, i === 0 ? 'Ammyy LLC' : 'Contoso')).join('\n') + '\n' });
}

describe('withTableCache', () => {
  it('reads a table file once for any number of queries that need no more columns', async () => {
    const files = counting(openDataDir(folder()));
    const tables = withTableCache(files);
    const now = new Date('2026-11-21T00:00:00Z');
    for (const batch of [['d0'], ['d1'], ['d2']]) {
      const r = await evaluate(`${CERT} | where DeviceId in (dynamic(${JSON.stringify(batch)})) | project DeviceId, Signer`, { tables, now });
      expect(r.rows).toEqual([{ DeviceId: batch[0], Signer: batch[0] === 'd0' ? 'Ammyy LLC' : 'Contoso' }]);
    }
    expect(files.reads).toEqual([`${CERT}:DeviceId,Signer`]);
  });

  it('reads again, with every column asked so far, when a query needs a column the cache lacks', async () => {
    const files = counting(openDataDir(folder()));
    const tables = withTableCache(files);
    await all(tables.scan(CERT, ['DeviceId']));
    expect(await all(tables.scan(CERT, ['Signer']))).toHaveLength(3);
    await all(tables.scan(CERT, ['DeviceId', 'Signer']));
    expect(files.reads).toEqual([`${CERT}:DeviceId`, `${CERT}:DeviceId,Signer`]);
  });

  it('reads a rewritten file again', async () => {
    const dir = folder(1);
    const tables = withTableCache(openDataDir(dir));
    expect(await all(tables.scan(CERT, ['DeviceId']))).toEqual([{ DeviceId: 'd0' }]);
    writeFileSync(join(dir, `${CERT}.jsonl`), `${line('d7', 'x')}\n${line('d8', 'y')}\n`);
    expect(await all(tables.scan(CERT, ['DeviceId']))).toEqual([{ DeviceId: 'd7' }, { DeviceId: 'd8' }]);
  });

  it('keeps nothing from a read the consumer stopped early', async () => {
    const files = counting(openDataDir(folder()));
    const tables = withTableCache(files);
    const now = new Date('2026-11-21T00:00:00Z');
    await evaluate(`${CERT} | take 1`, { tables, now });
    expect((await evaluate(`${CERT} | count`, { tables, now })).rows).toEqual([{ Count: 3 }]);
    expect(files.reads).toHaveLength(2);
  });

  it('reads a table bigger than the memory budget from disk on every scan', async () => {
    const files = counting(openDataDir(folder()));
    const tables = withTableCache(files, { maxFileBytes: 10 });
    await all(tables.scan(CERT, ['DeviceId']));
    expect(await all(tables.scan(CERT, ['DeviceId']))).toHaveLength(3);
    expect(files.reads).toHaveLength(2);
  });

  it('does not keep a file whose read failed', async () => {
    const dir = dataDir({ [`${CERT}.jsonl`]: `${line('d0', 'x')}\n{"ReportId":"abc"}\n` });
    const tables = withTableCache(openDataDir(dir));
    await expect(all(tables.scan(CERT, ['ReportId']))).rejects.toMatchObject({ line: 2 });
    await expect(all(tables.scan(CERT, ['ReportId']))).rejects.toMatchObject({ line: 2 });
  });

  it('keeps only the lines a query tests for, serves later queries making the same test, reads again for others', async () => {
    // the second line is not even JSON: a read that tests lines for 'Ammyy' never parses it
    const dir = dataDir({ [`${CERT}.jsonl`]: `${line('d0', 'Ammyy LLC')}\nnot json, not signed\n${line('d2', 'Ammyy Ltd')}\n` });
    const files = counting(openDataDir(dir));
    const tables = withTableCache(files);
    const now = new Date('2026-11-21T00:00:00Z');
    const hunt = await evaluate(`${CERT} | where Signer has 'Ammyy' | summarize n = count() by DeviceId`, { tables, now });
    expect(hunt.rows).toEqual([{ DeviceId: 'd0', n: 1 }, { DeviceId: 'd2', n: 1 }]);
    const context = await evaluate(`${CERT} | where DeviceId in ('d2') and Signer has 'Ammyy' | project DeviceId`, { tables, now });
    expect(context.rows).toEqual([{ DeviceId: 'd2' }]);
    expect(files.reads).toEqual([`${CERT}:DeviceId,Signer lines with [["Ammyy"]]`]);
    await expect(evaluate(`${CERT} | project DeviceId`, { tables, now })).rejects.toMatchObject({ line: 2 });
    expect(files.reads).toHaveLength(2);
  });

  it('reads every row once queries test lines for different texts', async () => {
    const files = counting(openDataDir(folder()));
    const tables = withTableCache(files);
    const now = new Date('2026-11-21T00:00:00Z');
    for (const signer of ['Ammyy', 'Contoso', 'Ammyy', 'Contoso']) await evaluate(`${CERT} | where Signer has '${signer}' | project DeviceId`, { tables, now });
    expect(files.reads).toEqual([`${CERT}:DeviceId,Signer lines with [["Ammyy"]]`, `${CERT}:DeviceId,Signer`]);
  });
});
