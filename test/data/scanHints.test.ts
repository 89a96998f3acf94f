// Readers use the query's scan hints (ScanHints) to skip work, never to change the answer: a JSONL line
// that cannot hold a `has` term is not parsed; a row's other columns are converted only once its
// filters pass; the cached table answers `DeviceId in (...)` from an index.
import { describe, expect, it } from 'vitest';
import { all, dataDir } from './dataDirs.js';
import { openDataDir, withTableCache, type DataDirProvider } from '../../src/data/index.js';
import { evaluate } from '../../src/kql/index.js';
import { jsonLinePrefilter } from '../../src/data/jsonLinePrefilter.js';

const NOW = new Date('2026-11-22T00:00:00Z');
const CERT = 'DeviceFileCertificateInfo';
const T = '2026-11-21T10:00:00Z';
const line = (o: object) => JSON.stringify(o);

describe('JSONL lines ruled out before parsing', () => {
  it('skips a line without the term unparsed, and still reports a broken line that has it', async () => {
    const ok = dataDir({ [`${CERT}.jsonl`]: `${line({ Timestamp: T, DeviceId: 'd1', Signer: 'Ammyy LLC' })}\n{broken, not the term\n` });
    const r = await evaluate(`${CERT} | where Signer has 'ammyy' | project DeviceId`, { tables: openDataDir(ok), now: NOW });
    expect(r.rows).toEqual([{ DeviceId: 'd1' }]);
    const bad = dataDir({ [`${CERT}.jsonl`]: `${line({ Timestamp: T, DeviceId: 'd1', Signer: 'Ammyy LLC' })}\n{broken AMMYY\n` });
    await expect(evaluate(`${CERT} | where Signer has 'ammyy' | project DeviceId`, { tables: openDataDir(bad), now: NOW })).rejects.toMatchObject({ line: 2 });
  });

  // every way a value can hold the term without its characters standing in the line
  const tricky = [
    '{"DeviceId":"escaped","Signer":"\\u0041mmyy LLC"}',
    '{"DeviceId":"object","Signer":{"name":"Ammyy"}}',
    '{"DeviceId":"number","Signer":1E2}',
    '{"DeviceId":"bool","Signer":true}',
    '{"DeviceId":"slash","Signer":"a\\/b"}',
    '{"DeviceId":"spaced","Signer":{"k": "v"}}',
  ].join('\n');
  const queries = [
    `where Signer has 'ammyy'`, `where Signer has '100'`, `where Signer has 'true'`, `where Signer contains 'a/b'`,
    `where Signer has_any ('ammyy', 'zzz')`, `where Signer in ('true', '100')`, `where Signer contains '"k":"v"'`, `where Signer =~ 'AMMYY LLC'`,
  ];
  it.each(queries)('gives the answer of a full parse: %s', async (filter) => {
    const dir = dataDir({ [`${CERT}.jsonl`]: tricky + '\n' });
    const tables = openDataDir(dir);
    const hinted = await evaluate(`${CERT} | ${filter} | project DeviceId`, { tables, now: NOW });
    // the same filter behind an extend is not over the scan: no hints, every line parsed
    const plain = await evaluate(`${CERT} | extend x = 1 | ${filter} | project DeviceId`, { tables, now: NOW });
    expect(hinted.rows).toEqual(plain.rows);
  });

  it('uses only texts whose characters stand verbatim in a JSON line', () => {
    expect(jsonLinePrefilter({ mustContain: [['ammyy']] })).toBeDefined();
    for (const text of ['1e5', '12', 'a"b', 'a/b', 'a b', 'a:b', 'a,b', 'a\\b', '{x', '']) expect(jsonLinePrefilter({ mustContain: [[text]] }), text).toBeUndefined();
    expect(jsonLinePrefilter({ mustContain: [Array.from({ length: 40 }, (_, i) => `host${i}`)] })).toBeUndefined();
    const test = jsonLinePrefilter({ mustContain: [['Ammyy']] })!;
    expect(test('{"Signer":"AMMYY"}')).toBe(true);
    expect(test('{"Signer":"\\u0061mmyy"}')).toBe(true);
    expect(test('{"Signer":"Contoso"}')).toBe(false);
  });
});

describe('rows converted filter by filter', () => {
  it('never converts the Timestamp of a row whose Signer filter fails', async () => {
    const dir = dataDir({
      [`${CERT}.csv`]: `Timestamp,DeviceId,Signer\n${T},d1,Ammyy LLC\nnot a date,d2,Contoso\n`,
      [`DeviceInfo.jsonl`]: `${line({ Timestamp: T, DeviceId: 'd1', DeviceName: 'pc1' })}\n${line({ Timestamp: 'not a date', DeviceId: 'd2', DeviceName: 'pc2' })}\n`,
    });
    const tables = openDataDir(dir);
    const r = await evaluate(`${CERT} | where Timestamp > ago(5d) | where Signer has 'ammyy' | project DeviceId`, { tables, now: NOW });
    expect(r.rows).toEqual([{ DeviceId: 'd1' }]);
    const s = await evaluate(`DeviceInfo | where Timestamp > ago(5d) and DeviceName == 'pc1' | project DeviceId`, { tables, now: NOW });
    expect(s.rows).toEqual([{ DeviceId: 'd1' }]);
    // a row that passes the string filters has its bad Timestamp reported
    await expect(evaluate(`DeviceInfo | where Timestamp > ago(5d) | where DeviceName == 'pc2'`, { tables, now: NOW })).rejects.toMatchObject({ line: 2, columnName: 'Timestamp' });
  });
});

describe('the cached table answers key lists from an index', () => {
  function counting(provider: DataDirProvider): DataDirProvider & { reads: number } {
    const counted = { ...provider, reads: 0, scan: (t: string, c?: readonly string[]) => { counted.reads++; return provider.scan(t, c); } };
    return counted;
  }

  it('yields only the rows of the asked devices, in file order, after one read', async () => {
    const rows = ['d1', 'd2', 'd3', 'd1', 'd2'].map((d, i) => line({ Timestamp: T, DeviceId: d, ReportId: i }));
    const files = counting(openDataDir(dataDir({ [`${CERT}.jsonl`]: rows.join('\n') })));
    const tables = withTableCache(files);
    const ask = (ids: string[]) => evaluate(`${CERT} | where DeviceId in (dynamic(${JSON.stringify(ids)})) | project ReportId`, { tables, now: NOW });
    expect((await ask(['d2', 'd1'])).rows).toEqual([0, 1, 3, 4].map((ReportId) => ({ ReportId })));
    expect((await ask(['d3', 'd9'])).rows).toEqual([{ ReportId: 2 }]);
    expect((await ask([])).rows).toEqual([]);
    expect(files.reads).toBe(1);
    const direct = await all(tables.scan(CERT, ['DeviceId', 'ReportId'], { keyIn: { column: 'DeviceId', values: new Set(['d3']) } }));
    expect(direct).toEqual([{ DeviceId: 'd3', ReportId: 2 }]);
  });
});
