// JSONL data files: schema coercion and errors naming file:line and column.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { all, dataDir } from './dataDirs.js';
import { DataFileError, openDataDir } from '../../src/data/index.js';
import { evaluate } from '../../src/kql/index.js';



describe('openDataDir / JSONL', () => {
  it('coerces values by the table schema', async () => {
    const dir = dataDir({
      'DeviceFileCertificateInfo.jsonl':
        '{"Timestamp":"2026-11-20T10:00:00.1234567Z","DeviceId":"d1","ReportId":"42","IsSigned":"true","Signer":null}\n\n' +
        '{"Timestamp":"2026-11-20T11:00:00Z","DeviceId":"d2","ReportId":7,"IsSigned":false}\n',
    });
    const rows = await all(openDataDir(dir).scan('DeviceFileCertificateInfo'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ Timestamp: new Date('2026-11-20T10:00:00.123Z'), DeviceId: 'd1', ReportId: 42, IsSigned: true, Signer: '' });
    expect(rows[1]).toMatchObject({ ReportId: 7, IsSigned: false, SHA1: '', CertificateCreationTime: null });
  });

  it('names file, line and column of a value that does not fit', async () => {
    const dir = dataDir({
      'DeviceFileCertificateInfo.jsonl': '{"ReportId":1}\n{"ReportId":2}\n{"ReportId":"abc"}\n',
    });
    const err = await all(openDataDir(dir).scan('DeviceFileCertificateInfo')).catch((e) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect(err).toMatchObject({ line: 3, columnName: 'ReportId' });
    expect(String(err.message)).toBe(`${join(dir, 'DeviceFileCertificateInfo.jsonl')}:3: column 'ReportId': 'abc' is not a valid long`);
  });

  // https://learn.microsoft.com/kusto/query/scalar-data-types/datetime: the documented formats only, read as
  // UTC when they carry no zone; anything else (which Date.parse might have taken) is an error at file:line.
  it('reads datetimes in the documented formats as UTC and rejects other text at file:line', async () => {
    const ok = dataDir({
      'DeviceInfo.jsonl':
        '{"Timestamp":"2026-11-20 10:00:00"}\n{"Timestamp":"Fri, 20 Nov 26 10:00:00 GMT"}\n{"Timestamp":"2026-11-20T12:00:00+02:00"}\n',
    });
    const rows = await all(openDataDir(ok).scan('DeviceInfo', ['Timestamp']));
    expect(rows.map((r) => (r['Timestamp'] as Date).getTime())).toEqual([Date.UTC(2026, 10, 20, 10), Date.UTC(2026, 10, 20, 10), Date.UTC(2026, 10, 20, 10)]);
    const bad = dataDir({ 'DeviceInfo.jsonl': '{"Timestamp":"2026-11-20T10:00:00Z"}\n{"Timestamp":"Version 2026"}\n' });
    const err = await all(openDataDir(bad).scan('DeviceInfo', ['Timestamp'])).catch((e) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect(String(err.message)).toBe(`${join(bad, 'DeviceInfo.jsonl')}:2: column 'Timestamp': 'Version 2026' is not a valid datetime`);
  });

  it('rejects a line that is not a JSON object', async () => {
    const dir = dataDir({ 'DeviceInfo.jsonl': '{"DeviceId":"a"}\n[1,2]\n' });
    await expect(all(openDataDir(dir).scan('DeviceInfo'))).rejects.toMatchObject({ line: 2 });
  });

  it('treats a known table without a file as empty and an unknown table as unknown', async () => {
    const dir = dataDir({ 'DeviceInfo.jsonl': '' });
    const tables = openDataDir(dir);
    expect(tables.schemaOf('Nope')).toBeUndefined();
    const r = await evaluate('DeviceProcessEvents | count', { tables, now: new Date() });
    expect(r.rows).toEqual([{ Count: 0 }]);
  });

  it('runs a query straight from disk', async () => {
    const dir = dataDir({
      'DeviceFileCertificateInfo.jsonl': [
        { Timestamp: '2026-11-21T00:00:00Z', DeviceId: 'd1', DeviceName: 'pc1', Signer: 'Ammyy LLC', ReportId: 1 },
        { Timestamp: '2026-11-21T00:00:00Z', DeviceId: 'd1', DeviceName: 'pc1', Signer: 'Other', ReportId: 2 },
      ].map((r) => JSON.stringify(r)).join('\n'),
    });
    const r = await evaluate("DeviceFileCertificateInfo | where Signer has 'ammyy' | project ReportId", { tables: openDataDir(dir), now: new Date() });
    expect(r.rows).toEqual([{ ReportId: 1 }]);
  });
});
