// ReportIds are Kusto longs and Defender's exceed 2^53: a JavaScript number would round them, and a
// rounded id names another event (and breaks dedupe). Every data format keeps them exact, from the
// file through the seed rule's make_set to the hit's report ids.
import { describe, expect, it } from 'vitest';
import { dataDir, all } from './dataDirs.js';
import { openDataDir } from '../../src/data/index.js';
import { evaluate } from '../../src/kql/index.js';
import { hitsFromResult } from '../../src/core/hitRows.js';
import { loadRule } from '../../src/rules/load.js';

const NOW = new Date('2026-11-22T00:00:00Z');
const BIG = ['9007199254740993', '1234567890123456789', '-9223372036854775808'];
const T = '2026-11-21T10:00:00Z';

const files: Record<string, string> = {
  jsonl: BIG.map((id) => `{"Timestamp":"${T}","DeviceId":"d1","DeviceName":"pc1","Signer":"Ammyy LLC","ReportId":${id}}`).join('\n') + '\n',
  csv: 'Timestamp,DeviceId,DeviceName,Signer,ReportId\n' + BIG.map((id) => `${T},d1,pc1,Ammyy LLC,${id}`).join('\n') + '\n',
  json: `[\n${BIG.map((id) => `  {"Timestamp":"${T}","DeviceId":"d1","DeviceName":"pc1","Signer":"Ammyy LLC","ReportId":${id}}`).join(',\n')}\n]\n`,
  'json (Graph response)': JSON.stringify({ schema: [{ name: 'Timestamp', type: 'DateTime' }, { name: 'DeviceId', type: 'String' }, { name: 'DeviceName', type: 'String' }, { name: 'Signer', type: 'String' }, { name: 'ReportId', type: 'Int64' }], results: [] })
    .replace('"results":[]', `"results":[${BIG.map((id) => `{"Timestamp":"${T}","DeviceId":"d1","DeviceName":"pc1","Signer":"Ammyy LLC","ReportId":${id}}`).join(',')}]`),
  'json (Log Analytics response)': JSON.stringify({ tables: [{ columns: [{ name: 'Timestamp', type: 'datetime' }, { name: 'DeviceId', type: 'string' }, { name: 'DeviceName', type: 'string' }, { name: 'Signer', type: 'string' }, { name: 'ReportId', type: 'long' }], rows: [] }] })
    .replace('"rows":[]', `"rows":[${BIG.map((id) => `["${T}","d1","pc1","Ammyy LLC",${id}]`).join(',')}]`),
};

describe('ReportIds beyond 2^53 stay exact', () => {
  it.each(Object.keys(files))('%s: through the seed rule to the hit', async (format) => {
    const ext = format.split(' ')[0]!;
    const dir = dataDir({ [`DeviceFileCertificateInfo.${ext}`]: files[format]! });
    const rule = loadRule('rules/ammyy-file-signature.yaml');
    const result = await evaluate(rule.query, { tables: openDataDir(dir), now: NOW });
    const [hit] = hitsFromResult(result, rule.sourcePath).hits;
    expect([...hit!.reportIds].sort()).toEqual([...BIG].sort());
  });

  it('a long beyond 2^53 is its exact decimal text; a smaller one stays a number', async () => {
    const dir = dataDir({ 'DeviceFileCertificateInfo.jsonl': '{"ReportId":9007199254740991}\n{"ReportId":9007199254740993}\n{"ReportId":"+001234567890123456789"}\n' });
    expect(await all(openDataDir(dir).scan('DeviceFileCertificateInfo', ['ReportId']))).toEqual([
      { ReportId: 9007199254740991 }, { ReportId: '9007199254740993' }, { ReportId: '1234567890123456789' },
    ]);
  });

  it('a long outside the 64-bit range is an error at file:line', async () => {
    const dir = dataDir({ 'DeviceFileCertificateInfo.jsonl': '{"ReportId":1}\n{"ReportId":9223372036854775808}\n' });
    await expect(all(openDataDir(dir).scan('DeviceFileCertificateInfo', ['ReportId']))).rejects.toMatchObject({ line: 2, columnName: 'ReportId' });
  });

  it('integers inside dynamic values are kept exact too', async () => {
    const dir = dataDir({ 'DeviceInfo.jsonl': '{"AdditionalFields":{"Ids":[9007199254740993, 1]}}\n{"AdditionalFields":"[1234567890123456789]"}\n' });
    expect(await all(openDataDir(dir).scan('DeviceInfo', ['AdditionalFields']))).toEqual([
      { AdditionalFields: { Ids: ['9007199254740993', 1] } }, { AdditionalFields: ['1234567890123456789'] },
    ]);
  });
});
