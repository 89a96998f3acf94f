// Mistakes in data files fail loudly instead of silently giving zero hits: a key or header that is
// not a column of the table (file:line, the key, the nearest column), and a file whose name is not
// a table (the file, the nearest table name).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { all, dataDir } from './dataDirs.js';
import { localCatalogue } from '../../src/adapters/local/localCatalogue.js';
import { DataFileError, openDataDir } from '../../src/data/index.js';
import { defenderCatalogue, evaluate } from '../../src/kql/index.js';



const NOW = new Date('2026-11-22T00:00:00Z');
const CERT = 'DeviceFileCertificateInfo';
const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const row = (i: number) => ({ Timestamp: '2026-11-21T10:00:00Z', DeviceId: `d${i}`, Signer: 'Ammyy LLC', ReportId: i });

describe('keys that are not columns of the table', () => {
  it('names file:line, the key and the nearest column (JSONL)', async () => {
    const { Signer, ...rest } = row(2);
    const dir = dataDir({ [`${CERT}.jsonl`]: jsonl([row(1), { ...rest, Signr: Signer }, row(3)]) });
    const err = await evaluate(`${CERT} | where Signer has 'ammyy'`, { tables: openDataDir(dir), now: NOW }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect(err).toMatchObject({ line: 2, columnName: 'Signr' });
    expect(err.message).toBe(`${join(dir, `${CERT}.jsonl`)}:2: column 'Signr': not a column of ${CERT} (did you mean 'Signer'?)`);
  });

  it('checks every key, also of columns the query does not read', async () => {
    const dir = dataDir({ 'DeviceInfo.jsonl': jsonl([{ DeviceId: 'a', DeviceNme: 'pc1' }]) });
    const err = await all(openDataDir(dir).scan('DeviceInfo', ['DeviceId'])).catch((e) => e);
    expect(err).toMatchObject({ line: 1, columnName: 'DeviceNme' });
    expect(err.message).toMatch(/did you mean 'DeviceName'\?/);
  });

  it('finds a misspelt key late in a file whose rows otherwise share their keys', async () => {
    const rows: object[] = Array.from({ length: 5000 }, (_, i) => row(i));
    // same number of keys, same order, one of them different
    const { Timestamp, ...rest } = row(5000);
    rows.push({ Timestmp: Timestamp, ...rest }, row(5001));
    const dir = dataDir({ [`${CERT}.jsonl`]: jsonl(rows) });
    const err = await all(openDataDir(dir).scan(CERT, ['DeviceId'])).catch((e) => e);
    expect(err).toMatchObject({ line: 5001, columnName: 'Timestmp' });
    expect(err.message).toMatch(/did you mean 'Timestamp'\?/);
  });

  it('says a column differs only in case', async () => {
    const dir = dataDir({ 'DeviceInfo.jsonl': jsonl([{ DeviceId: 'a' }, { DeviceId: 'b', devicename: 'x' }]) });
    const err = await all(openDataDir(dir).scan('DeviceInfo')).catch((e) => e);
    expect(err.message).toMatch(/:2: column 'devicename': not a column of DeviceInfo \(did you mean 'DeviceName'\? column names are case-sensitive\)$/);
  });

  it('TimeGenerated in Defender-schema data points at Timestamp; the Log Analytics view has both', async () => {
    const dir = dataDir({ [`${CERT}.jsonl`]: jsonl([{ TimeGenerated: '2026-11-21T10:00:00Z', DeviceId: 'd1', Signer: 'Ammyy LLC' }]) });
    const err = await all(openDataDir(dir, defenderCatalogue).scan(CERT)).catch((e) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect(err).toMatchObject({ line: 1, columnName: 'TimeGenerated' });
    expect(err.message).toMatch(/did you mean 'Timestamp'\?/);
    await expect(all(openDataDir(dir, localCatalogue).scan(CERT))).resolves.toHaveLength(1);
  });

  it("tolerates Log Analytics' standard _ResourceId-style columns, and drops unknown keys when asked to", async () => {
    const dir = dataDir({ 'DeviceInfo.jsonl': jsonl([{ DeviceId: 'a', _ResourceId: '/subscriptions/x', _SubscriptionId: 'x' }]) });
    expect(await all(openDataDir(dir).scan('DeviceInfo', ['DeviceId']))).toEqual([{ DeviceId: 'a' }]);
    const typo = dataDir({ 'DeviceInfo.jsonl': jsonl([{ DeviceId: 'a', DeviceNme: 'x' }]) });
    const rows = await all(openDataDir(typo, undefined, { unknownColumns: 'drop' }).scan('DeviceInfo', ['DeviceId', 'DeviceName']));
    expect(rows).toEqual([{ DeviceId: 'a', DeviceName: '' }]);
  });

  it('checks the CSV header on its line', async () => {
    const dir = dataDir({ 'DeviceInfo.csv': '\ufeffDeviceId,DeviceNme\r\na,b\r\n' });
    const err = await evaluate('DeviceInfo | count', { tables: openDataDir(dir), now: NOW }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect(err.message).toBe(`${join(dir, 'DeviceInfo.csv')}:1: column 'DeviceNme': not a column of DeviceInfo (did you mean 'DeviceName'?)`);
  });

  it('checks the keys of JSON array rows, Graph results and declared Graph / Log Analytics columns', async () => {
    const array = '[\n  {"DeviceId": "a"},\n  {"DeviceId": "b", "OSBiuld": 1}\n]\n';
    const graph = JSON.stringify({ schema: [{ name: 'DeviceId', type: 'String' }, { name: 'OSBiuld', type: 'Int64' }], results: [] }, null, 2);
    const graphRow = JSON.stringify({ schema: [{ name: 'DeviceId', type: 'String' }], results: [{ DeviceId: 'a' }, { DeviceId: 'b', DeviceNme: 'x' }] }, null, 2);
    const la = JSON.stringify({ tables: [{ name: 't', columns: [{ name: 'DeviceId', type: 'string' }, { name: 'OSBiuld', type: 'long' }], rows: [['a', 1]] }] }, null, 2);
    const cases: [string, number, string, string][] = [
      [array, 3, 'OSBiuld', 'OSBuild'],
      [graph, graph.split('\n').findIndex((l) => l.includes('"OSBiuld"')), 'OSBiuld', 'OSBuild'],
      [graphRow, graphRow.split('\n').findIndex((l) => l.includes('"b"')), 'DeviceNme', 'DeviceName'],
      [la, la.split('\n').findIndex((l) => l.includes('"OSBiuld"')), 'OSBiuld', 'OSBuild'],
    ];
    for (const [text, line, columnName, meant] of cases) {
      const dir = dataDir({ 'DeviceInfo.json': text });
      const err = await evaluate('DeviceInfo | count', { tables: openDataDir(dir), now: NOW }).catch((e) => e);
      expect(err).toBeInstanceOf(DataFileError);
      expect(err).toMatchObject({ line, columnName });
      expect(err.message).toContain(`(did you mean '${meant}'?)`);
    }
  });

  it('checks the rows of a table a Graph response declares against its own columns', async () => {
    const dir = dataDir({ 'CustomTable.json': JSON.stringify({ schema: [{ name: 'N', type: 'Int64' }], results: [{ N: 1 }, { n: 2 }] }) });
    const err = await evaluate('CustomTable | count', { tables: openDataDir(dir), now: NOW }).catch((e) => e);
    expect(err.message).toMatch(/column 'n': not a column of CustomTable \(did you mean 'N'\? column names are case-sensitive\)/);
  });
});

describe('files that are not tables', () => {
  it('a misnamed table file is an error naming the file and the table', () => {
    const dir = dataDir({ [`${CERT}o.jsonl`]: jsonl([row(1)]) });
    const err = (() => {
      try {
        openDataDir(dir);
      } catch (e) {
        return e as DataFileError;
      }
    })();
    expect(err).toBeInstanceOf(DataFileError);
    expect(err).toMatchObject({ file: join(dir, `${CERT}o.jsonl`), line: 0 });
    expect(err!.message).toMatch(new RegExp(`^${join(dir, `${CERT}o.jsonl`)}: '${CERT}o' is not a known table \\(did you mean '${CERT}'\\?\\)`));
  });

  it.each([
    ['devicefilecertificateinfo.csv', /did you mean 'DeviceFileCertificateInfo'\? table names are case-sensitive/],
    ['DeviceNetworkEvent.jsonl', /did you mean 'DeviceNetworkEvents'\?/],
    ['notes.jsonl', /'notes' is not a known table; a \.jsonl file must be named after a table of the schema/],
    // a self-describing response may add a table, but not one named like a typo of a known table
    ['DeviceInfoo.json', /'DeviceInfoo' is not a known table \(did you mean 'DeviceInfo'\?\)/],
    // an array of rows does not declare its columns, so it must be a known table
    ['Custom.json', /'Custom' is not a known table; a \.json file is a table of the schema, or a Graph or Log Analytics response/],
  ])('%s', (name, message) => {
    const text = name === 'DeviceInfoo.json' ? JSON.stringify({ schema: [{ name: 'DeviceId', type: 'String' }], results: [] }) : name.endsWith('.json') ? '[]' : '';
    const dir = dataDir({ [name]: text, 'DeviceInfo.jsonl': '' });
    expect(() => openDataDir(dir)).toThrow(DataFileError);
    expect(() => openDataDir(dir)).toThrow(message);
  });

  it('leaves replay.json, other extensions, dot-files and folders alone; reads extensions in any case', async () => {
    const dir = dataDir({
      'replay.json': JSON.stringify({ now: '2026-11-22T00:00:00Z' }),
      'README.md': '# sample',
      'notes.txt': 'x',
      '._DeviceInfo.jsonl': 'binary junk',
      'DeviceInfo.JSONL': jsonl([{ DeviceId: 'a' }]),
    });
    mkdirSync(join(dir, 'old.json'));
    const tables = openDataDir(dir);
    expect(tables.tablesWithData()).toEqual(['DeviceInfo']);
    expect((await evaluate('DeviceInfo | count', { tables, now: NOW })).rows).toEqual([{ Count: 1 }]);
  });

  it('lists the tables self-describing files add, so the binder can suggest them', async () => {
    const dir = dataDir({ 'CustomTable.json': JSON.stringify({ schema: [{ name: 'N', type: 'Int64' }], results: [] }) });
    const tables = openDataDir(dir);
    expect(tables.tableNames()).toContain('CustomTable');
    const err = await evaluate('CustomTabel | count', { tables, now: NOW }).catch((e) => e);
    expect(err.message).toMatch(/unknown table 'CustomTabel' \(did you mean 'CustomTable'\?\)/);
  });
});
