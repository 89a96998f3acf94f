// A tabular let read more than once runs once (eval/sharing.ts): the context query reads AmmyyFiles
// three times, and each read used to scan DeviceFileCertificateInfo again.
import { describe, expect, it } from 'vitest';
import { defaultCatalogue, evaluate, type Row, type TableProvider } from '../../../src/kql/index.js';
import { NOW } from '../helpers.js';

function countingTables(data: Record<string, Row[]>): TableProvider & { scans: string[] } {
  const scans: string[] = [];
  return {
    scans,
    schemaOf: (t) => defaultCatalogue.schemaOf(t),
    async *scan(t) {
      scans.push(t);
      yield data[t] ?? [];
    },
  };
}

const certs = [
  { DeviceId: 'd1', Signer: 'Ammyy LLC', SHA1: 'a' },
  { DeviceId: 'd2', Signer: 'Ammyy LLC', SHA1: 'b' },
  { DeviceId: 'd3', Signer: 'Contoso', SHA1: 'c' },
];
const procs = [{ DeviceId: 'd1', SHA1: 'a' }, { DeviceId: 'd3', SHA1: 'c' }];

describe('tabular lets read more than once', () => {
  it('scan their table once, whether read as a table or as a subquery list', async () => {
    const tables = countingTables({ DeviceFileCertificateInfo: certs, DeviceProcessEvents: procs });
    const query = `
      let Files = DeviceFileCertificateInfo | where Signer has 'ammyy';
      let Sha1s = Files | distinct SHA1;
      let FromProcs = DeviceProcessEvents | where SHA1 in (Sha1s) | project DeviceId, Kind = 'process';
      let FromNet = DeviceProcessEvents | where SHA1 in (Sha1s) | project DeviceId, Kind = 'again';
      Files | project DeviceId, Kind = 'file' | union FromProcs, FromNet | where DeviceId != 'd9'`;
    const r = await evaluate(query, { tables, now: NOW });
    expect(r.rows).toEqual([
      { DeviceId: 'd1', Kind: 'file' }, { DeviceId: 'd2', Kind: 'file' }, { DeviceId: 'd1', Kind: 'process' }, { DeviceId: 'd1', Kind: 'again' },
    ]);
    expect(tables.scans.filter((t) => t === 'DeviceFileCertificateInfo')).toHaveLength(1);
  });

  it('give each reader the rows the let defines, whatever the reader filters', async () => {
    const tables = countingTables({ DeviceFileCertificateInfo: certs });
    const query = `
      let Files = DeviceFileCertificateInfo | where Signer has 'ammyy';
      Files | where DeviceId == 'd1' | project DeviceId | union (Files | where DeviceId == 'd2' | project DeviceId) | union (Files | count | project DeviceId = tostring(Count))`;
    const r = await evaluate(query, { tables, now: NOW });
    expect(r.rows).toEqual([{ DeviceId: 'd1' }, { DeviceId: 'd2' }, { DeviceId: '2' }]);
    expect(tables.scans).toEqual(['DeviceFileCertificateInfo']);
  });
});
