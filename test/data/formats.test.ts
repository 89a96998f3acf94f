// .json (array, Graph runHuntingQuery response, Log Analytics response) and .csv (Defender portal
// export) data files; and streaming: a query that needs only the first rows never reads the rest.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir } from './dataDirs.js';
import { DataFileError, openDataDir } from '../../src/data/index.js';
import { evaluate } from '../../src/kql/index.js';


const NOW = new Date('2026-11-22T00:00:00Z');
const QUERY = `DeviceFileCertificateInfo | where Signer has 'ammyy' | project Timestamp, DeviceId, ReportId, IsTrusted`;
const EXPECTED = [{ Timestamp: new Date('2026-11-21T10:00:00Z'), DeviceId: 'd1', ReportId: 5, IsTrusted: true }];

describe('JSON data files', () => {
  it('reads an array of rows', async () => {
    const dir = dataDir({
      'DeviceFileCertificateInfo.json': JSON.stringify([
        { Timestamp: '2026-11-21T10:00:00Z', DeviceId: 'd1', Signer: 'Ammyy LLC', ReportId: 5, IsTrusted: true },
        { Timestamp: '2026-11-21T10:00:00Z', DeviceId: 'd2', Signer: 'Other', ReportId: 6, IsTrusted: true },
      ]),
    });
    expect((await evaluate(QUERY, { tables: openDataDir(dir), now: NOW })).rows).toEqual(EXPECTED);
  });

  it('reads a saved Graph runHuntingQuery response', async () => {
    const dir = dataDir({
      'DeviceFileCertificateInfo.json': JSON.stringify({
        schema: [
          { name: 'Timestamp', type: 'DateTime' }, { name: 'DeviceId', type: 'String' }, { name: 'Signer', type: 'String' },
          { name: 'ReportId', type: 'Int64' }, { name: 'IsTrusted', type: 'Boolean' },
        ],
        results: [{ Timestamp: '2026-11-21T10:00:00Z', DeviceId: 'd1', Signer: 'Ammyy LLC', ReportId: 5, IsTrusted: true }],
      }),
    });
    expect((await evaluate(QUERY, { tables: openDataDir(dir), now: NOW })).rows).toEqual(EXPECTED);
  });

  it('reads a Log Analytics query response (rows as arrays in column order)', async () => {
    const dir = dataDir({
      'DeviceFileCertificateInfo.json': JSON.stringify({
        tables: [{
          name: 'PrimaryResult',
          columns: [
            { name: 'DeviceId', type: 'string' }, { name: 'Timestamp', type: 'datetime' }, { name: 'ReportId', type: 'long' },
            { name: 'Signer', type: 'string' }, { name: 'IsTrusted', type: 'bool' },
          ],
          rows: [['d1', '2026-11-21T10:00:00Z', 5, 'Ammyy LLC', true], ['d2', '2026-11-21T10:00:00Z', 6, 'x', false]],
        }],
      }),
    });
    expect((await evaluate(QUERY, { tables: openDataDir(dir), now: NOW })).rows).toEqual(EXPECTED);
  });

  it('gives tables outside the catalogue the schema their file declares', async () => {
    const dir = dataDir({
      'CustomTable.json': JSON.stringify({ schema: [{ name: 'N', type: 'Int64' }], results: [{ N: 1 }, { N: 2 }] }),
    });
    const r = await evaluate('CustomTable | summarize s = sum(N)', { tables: openDataDir(dir), now: NOW });
    expect(r.rows).toEqual([{ s: 3 }]);
  });

  it('reports a bad value with the line its row starts on, and the column', async () => {
    const dir = dataDir({ 'DeviceInfo.json': '[\n  {"OSBuild": 1, "DeviceName": "a,[b]{c}\\"x"},\n  {"OSBuild": 2},\n\n  {"OSBuild": "x"}\n]\n' });
    const err = await evaluate('DeviceInfo | project OSBuild', { tables: openDataDir(dir), now: NOW }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect(err).toMatchObject({ line: 5, columnName: 'OSBuild' });
  });

  it('finds row lines inside Graph and Log Analytics responses', async () => {
    const graph = JSON.stringify({ schema: [{ name: 'OSBuild', type: 'Int64' }], results: [{ OSBuild: 1 }, { OSBuild: 'bad' }] }, null, 2);
    const la = JSON.stringify({ tables: [{ name: 't', columns: [{ name: 'OSBuild', type: 'long' }], rows: [[1], [2], ['bad']] }] }, null, 1);
    // pretty-printed: the row's '{' or '[' sits on the line before the bad value (0-based index = 1-based line)
    const dir = dataDir({ 'DeviceInfo.json': graph });
    const e1 = await evaluate('DeviceInfo | project OSBuild', { tables: openDataDir(dir), now: NOW }).catch((e) => e);
    expect(e1).toMatchObject({ line: graph.split('\n').findIndex((l) => l.includes('"bad"')) });
    const dir2 = dataDir({ 'DeviceInfo.json': la });
    const e2 = await evaluate('DeviceInfo | project OSBuild', { tables: openDataDir(dir2), now: NOW }).catch((e) => e);
    expect(e2).toMatchObject({ line: la.split('\n').findIndex((l) => l.includes('"bad"')), columnName: 'OSBuild' });
  });
});

describe('CSV data files (Defender portal export)', () => {
  const header = 'Timestamp,DeviceId,DeviceName,Signer,ReportId,IsTrusted,CrlDistributionPointUrls';
  it('parses quoted fields, embedded commas, quotes and newlines, and a BOM', async () => {
    const dir = dataDir({
      'DeviceFileCertificateInfo.csv':
        '\ufeff' + header + '\r\n' +
        '2026-11-21T10:00:00Z,d1,pc1,"Ammyy LLC, ""trusted""",5,True,"http://a\nhttp://b"\r\n' +
        '2026-11-21T10:00:00Z,d2,pc2,Other,6,False,\r\n',
    });
    const r = await evaluate('DeviceFileCertificateInfo | project Signer, ReportId, IsTrusted, CrlDistributionPointUrls', { tables: openDataDir(dir), now: NOW });
    expect(r.rows).toEqual([
      { Signer: 'Ammyy LLC, "trusted"', ReportId: 5, IsTrusted: true, CrlDistributionPointUrls: 'http://a\nhttp://b' },
      { Signer: 'Other', ReportId: 6, IsTrusted: false, CrlDistributionPointUrls: '' },
    ]);
  });

  it('reports a bad value at its file line, counting newlines inside quotes', async () => {
    const dir = dataDir({
      'DeviceFileCertificateInfo.csv': header + '\n2026-11-21T10:00:00Z,d1,pc1,"multi\nline",5,true,\n2026-11-21T10:00:00Z,d2,pc2,x,five,true,\n',
    });
    const err = await evaluate('DeviceFileCertificateInfo | project ReportId', { tables: openDataDir(dir), now: NOW }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect(err).toMatchObject({ line: 4, columnName: 'ReportId' });
  });

  it('rejects a row with the wrong number of fields', async () => {
    const dir = dataDir({ 'DeviceInfo.csv': 'DeviceId,DeviceName\na,b\nc\n' });
    await expect(evaluate('DeviceInfo | count', { tables: openDataDir(dir), now: NOW })).rejects.toMatchObject({ line: 3 });
  });

  // RFC 4180 section 2: a field holding a quote must be quoted as a whole, its quotes doubled. A stray
  // quote read leniently opens a quoted field that runs on into the next record and merges two devices.
  describe('strict quoting: a stray quote is an error at file:line, never a merged row', () => {
    const cases: [string, string, number][] = [
      ['a quote inside an unquoted field', 'DeviceId,DeviceName\nd1,ws"1\nd2,ws2"\nd3,ws3\n', 2],
      ['text after a closing quote', 'DeviceId,DeviceName\nd1,ws1\nd2,"ws2"x\n', 3],
      ['a quote that is never closed', 'DeviceId,DeviceName\nd1,ws1\nd2,"ws2\nd3,ws3\n', 3],
      ['a stray quote in the header', 'DeviceId,Device"Name\nd1,ws1\n', 1],
    ];
    it.each(cases)('%s', async (_name, text, line) => {
      const dir = dataDir({ 'DeviceInfo.csv': text });
      const err = await evaluate('DeviceInfo | project DeviceId', { tables: openDataDir(dir), now: NOW }).catch((e) => e);
      expect(err).toBeInstanceOf(DataFileError);
      expect(err).toMatchObject({ file: join(dir, 'DeviceInfo.csv'), line });
      expect(String(err.message)).toMatch(new RegExp(`^${escapeRegExp(join(dir, 'DeviceInfo.csv'))}:${line}: .*quote`));
    });

    it('still reads quoted fields that span lines, and counts their lines', async () => {
      const dir = dataDir({ 'DeviceInfo.csv': 'DeviceId,DeviceName\nd1,"ws\n1"\n\nd2,"ws ""2"""\nd3,bad"\n' });
      const err = await evaluate('DeviceInfo | project DeviceId, DeviceName', { tables: openDataDir(dir), now: NOW }).catch((e) => e);
      expect(err).toMatchObject({ line: 6 });
      const ok = dataDir({ 'DeviceInfo.csv': 'DeviceId,DeviceName\nd1,"ws\n1"\n\nd2,"ws ""2"""\n' });
      const r = await evaluate('DeviceInfo | project DeviceId, DeviceName', { tables: openDataDir(ok), now: NOW });
      expect(r.rows).toEqual([{ DeviceId: 'd1', DeviceName: 'ws\n1' }, { DeviceId: 'd2', DeviceName: 'ws "2"' }]);
    });
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('streaming', () => {
  // a file whose last line is broken: a query that stops early never reaches it
  const good = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ DeviceId: `d${i}`, DeviceName: 'x'.repeat(40) })).join('\n');
  const dir = dataDir({ 'DeviceInfo.jsonl': good + '\n{broken json\n', 'DeviceFileEvents.csv': 'DeviceId,FileSize\n' + Array.from({ length: 150_000 }, (_, i) => `device-${i}-padding-padding,${i}`).join('\n') + '\nbad,notanumber\n' });

  it('take stops reading a JSONL file early', async () => {
    const r = await evaluate('DeviceInfo | take 3 | project DeviceId', { tables: openDataDir(dir), now: NOW });
    expect(r.rows).toEqual([{ DeviceId: 'd0' }, { DeviceId: 'd1' }, { DeviceId: 'd2' }]);
  });

  it('take stops reading a CSV file early', async () => {
    const r = await evaluate('DeviceFileEvents | take 1 | project FileSize', { tables: openDataDir(dir), now: NOW });
    expect(r.rows).toEqual([{ FileSize: 0 }]);
  });

  it('a full scan does reach the broken line', async () => {
    await expect(evaluate('DeviceInfo | count', { tables: openDataDir(dir), now: NOW })).rejects.toBeInstanceOf(DataFileError);
  });
});
