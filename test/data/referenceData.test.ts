// The data folder's reference-data mappings: externaldata.json (URL → local file) and geoip.json
// (address range → location). Paths never leave the folder; a missing answer is an error naming why.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { all, dataDir } from './dataDirs.js';
import { DataFileError, openDataDir } from '../../src/data/index.js';
import { ReferenceDataUnavailable, type ExternalDataRequest } from '../../src/kql/types.js';

const URL = 'https://raw.githubusercontent.com/org/repo/main/hashes.csv';
const COLUMNS: ExternalDataRequest['columns'] = [
  { name: 'Sha256', type: 'string' },
  { name: 'Count', type: 'long' },
  { name: 'Seen', type: 'datetime' },
];

function request(properties: Record<string, unknown> = {}, urls = [URL]): ExternalDataRequest {
  return { urls, columns: COLUMNS, properties };
}

describe('externaldata.json', () => {
  // https://learn.microsoft.com/kusto/query/externaldata-operator: csv by default, ignoreFirstRecord skips a header
  it('reads the mapped file as CSV by position; values that do not parse are null, as Kusto ingests them', async () => {
    const dir = dataDir({
      'externaldata.json': JSON.stringify({ [URL]: 'hashes.csv' }),
      'hashes.csv': 'Sha256,Count,Seen\n"abc, quoted",3,2026-01-02T00:00:00Z\ndef,not-a-number\n',
    });
    const rows = await all(openDataDir(dir).externalData!(request({ format: 'csv', ignorefirstrecord: true })));
    expect(rows).toEqual([
      { Sha256: 'abc, quoted', Count: 3, Seen: new Date('2026-01-02T00:00:00Z') },
      { Sha256: 'def', Count: null, Seen: null },
    ]);
  });

  it.each([
    ['tsv', 'a\t1\n', [{ Sha256: 'a', Count: 1, Seen: null }]],
    ['psv', 'a|1\n', [{ Sha256: 'a', Count: 1, Seen: null }]],
    ['txt', 'whole line, with comma\n', [{ Sha256: 'whole line, with comma', Count: null, Seen: null }]],
    ['json', '{"Sha256": "a", "Count": 2}\n{"Count": "x"}\n', [{ Sha256: 'a', Count: 2, Seen: null }, { Sha256: '', Count: null, Seen: null }]],
    ['multijson', '[{"Sha256": "a"}, {"Sha256": "b"}]', [{ Sha256: 'a', Count: null, Seen: null }, { Sha256: 'b', Count: null, Seen: null }]],
  ])('format=%s', async (format, text, expected) => {
    const dir = dataDir({ 'externaldata.json': JSON.stringify({ [URL]: 'data.txt' }), 'data.txt': text });
    expect(await all(openDataDir(dir).externalData!(request({ format })))).toEqual(expected);
  });

  it('a subfolder of the data folder may hold the files', async () => {
    const dir = dataDir({ 'externaldata.json': JSON.stringify({ [URL]: 'external/hashes.csv' }) });
    mkdirSync(join(dir, 'external'));
    writeFileSync(join(dir, 'external', 'hashes.csv'), 'x,1\n');
    expect(await all(openDataDir(dir).externalData!(request()))).toEqual([{ Sha256: 'x', Count: 1, Seen: null }]);
  });

  it.each([
    ['../outside.csv', /outside the data folder/],
    ['/etc/passwd', /outside the data folder/],
    ['missing.csv', /does not exist in the data folder/],
  ])('refuses the path %s when the folder is opened', (target, message) => {
    const dir = dataDir({ 'externaldata.json': JSON.stringify({ [URL]: target }) });
    expect(() => openDataDir(dir)).toThrow(DataFileError);
    expect(() => openDataDir(dir)).toThrow(message);
  });

  it('refuses a symbolic link that leads out of the folder', () => {
    const outside = dataDir({ 'secret.csv': 'x\n' });
    const dir = dataDir({ 'externaldata.json': JSON.stringify({ [URL]: 'link.csv' }) });
    symlinkSync(join(outside, 'secret.csv'), join(dir, 'link.csv'));
    expect(() => openDataDir(dir)).toThrow(/links outside the data folder/);
  });

  it('says what is missing: no mapping file, no entry for the URL (with the nearest), an unsupported format', async () => {
    const bare = dataDir({});
    await expect(all(openDataDir(bare).externalData!(request()))).rejects.toThrow(ReferenceDataUnavailable);
    await expect(all(openDataDir(bare).externalData!(request()))).rejects.toThrow(/no externaldata\.json/);
    const dir = dataDir({ 'externaldata.json': JSON.stringify({ [URL]: 'h.csv' }), 'h.csv': '' });
    await expect(all(openDataDir(dir).externalData!(request({}, [URL + 'x'])))).rejects.toThrow(/has no file for .*did you mean/);
    await expect(all(openDataDir(dir).externalData!(request({ format: 'parquet' })))).rejects.toThrow(/format 'parquet' is not supported offline/);
  });

  it('is not taken for a table file', () => {
    const dir = dataDir({ 'externaldata.json': '{}', 'geoip.json': '{}' });
    expect(openDataDir(dir).tablesWithData()).toEqual([]);
  });
});

describe('geoip.json', () => {
  // https://learn.microsoft.com/kusto/query/geo-info-from-ip-address-function: country, state, city, latitude, longitude
  const SYDNEY = { country: 'Australia', state: 'New South Wales', city: 'Sydney', latitude: -33.8715, longitude: 151.2006 };

  it('answers from the longest range that holds the address; null outside every range or for non-addresses', () => {
    const dir = dataDir({
      'geoip.json': JSON.stringify({ '20.0.0.0/8': { country: 'United States' }, '20.53.203.0/24': SYDNEY, '2a03:2880::/32': { country: 'Ireland' } }),
    });
    const geo = openDataDir(dir).geoInfo!;
    expect(geo('20.53.203.50')).toEqual(SYDNEY);
    expect(geo('20.1.2.3')).toEqual({ country: 'United States' });
    expect(geo('2a03:2880:f12c:83:face:b00c::25de')).toEqual({ country: 'Ireland' });
    expect(geo('10.0.0.1')).toBeNull();
    expect(geo('not an address')).toBeNull();
  });

  it('without the file the folder has no geo lookup', () => {
    expect(openDataDir(dataDir({})).geoInfo).toBeUndefined();
  });

  it.each([
    [{ 'not-a-range': { country: 'x' } }, /not an IPv4 or IPv6 address/],
    [{ '1.2.3.0/24': { contry: 'x' } }, /unknown field 'contry' \(did you mean 'country'\?\)/],
    [{ '1.2.3.0/24': { latitude: '1' } }, /'latitude' must be a number/],
  ])('a bad entry is an error naming it: %j', (doc, message) => {
    expect(() => openDataDir(dataDir({ 'geoip.json': JSON.stringify(doc) }))).toThrow(message);
  });
});

it('temporary folders live under the OS temp directory', () => {
  expect(dataDir({})).toContain(tmpdir());
});
