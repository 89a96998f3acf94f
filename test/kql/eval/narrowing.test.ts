// Rows only as wide as the query reads (eval/narrowing.ts): a query reading 4 of DeviceProcessEvents'
// 73 columns used to allocate, copy (extend) and hold (sort, join, lets read twice) 73 slots per row.
// Widths are counted on the narrowed plan; the answers are checked through evaluate.
import { describe, expect, it } from 'vitest';
import { Binder } from '../../../src/kql/binder/index.js';
import type { BoundPlan } from '../../../src/kql/bound.js';
import { narrowPlan } from '../../../src/kql/eval/narrowing.js';
import { inputsOf } from '../../../src/kql/eval/sharing.js';
import { createFunctionRegistry } from '../../../src/kql/functions/registry.js';
import { defaultCatalogue, parse } from '../../../src/kql/index.js';
import { run } from '../helpers.js';

function narrowed(query: string): BoundPlan {
  return narrowPlan(new Binder(query, defaultCatalogue, createFunctionRegistry()).bindScript(parse(query))!);
}

/** Every plan of the query with its row width, readers first. */
function widths(plan: BoundPlan): string[] {
  const out: string[] = [];
  const seen = new Set<BoundPlan>();
  const walk = (p: BoundPlan): void => {
    if (seen.has(p)) return;
    seen.add(p);
    out.push(`${p.kind === 'scan' ? `scan ${p.table}` : p.kind}: ${p.schema.map((c) => c.name).join(',')}`);
    inputsOf(p).forEach(walk);
  };
  walk(plan);
  return out;
}

const procs = [
  { Timestamp: new Date('2026-11-22T10:00:00Z'), DeviceId: 'd1', DeviceName: 'one', FileName: 'AA_v3.exe', FolderPath: 'C:\\X\\AA_v3.exe', SHA1: 'a', AccountName: 'u1' },
  { Timestamp: new Date('2026-11-22T11:00:00Z'), DeviceId: 'd2', DeviceName: 'two', FileName: 'chrome.exe', FolderPath: 'C:\\P\\chrome.exe', SHA1: 'b', AccountName: 'u2' },
  { Timestamp: new Date('2026-11-22T09:00:00Z'), DeviceId: 'd3', DeviceName: 'three', FileName: 'aa_v3.exe', FolderPath: 'D:\\AA_V3.EXE', SHA1: 'a', AccountName: 'u3' },
];
const certs = [
  { DeviceId: 'd1', SHA1: 'a', Signer: 'Ammyy LLC' },
  { DeviceId: 'd3', SHA1: 'c', Signer: 'Contoso' },
];

describe('rows as wide as the query reads', () => {
  it('carry from the scan up only the columns the operators above read, in table order', async () => {
    const query = `DeviceProcessEvents | where FileName =~ 'aa_v3.exe' | extend Folder = tolower(FolderPath) | sort by Timestamp desc | project Timestamp, DeviceName, Folder`;
    expect(widths(narrowed(query))).toEqual([
      'project: Timestamp,DeviceName,Folder',
      'sort: Timestamp,DeviceName,FileName,FolderPath,Folder',
      'extend: Timestamp,DeviceName,FileName,FolderPath,Folder',
      'where: Timestamp,DeviceName,FileName,FolderPath',
      'scan DeviceProcessEvents: Timestamp,DeviceName,FileName,FolderPath',
    ]);
    expect((await run(query, { DeviceProcessEvents: procs })).rows).toEqual([
      { Timestamp: new Date('2026-11-22T10:00:00Z'), DeviceName: 'one', Folder: 'c:\\x\\aa_v3.exe' },
      { Timestamp: new Date('2026-11-22T09:00:00Z'), DeviceName: 'three', Folder: 'd:\\aa_v3.exe' },
    ]);
  });

  it('keep a let read twice as wide as its readers together, and the query output whole', async () => {
    const query = `
      let P = DeviceProcessEvents | where SHA1 == 'a';
      P | project DeviceId | union (P | project Name = DeviceName)`;
    const plan = narrowed(query);
    expect(widths(plan).filter((w) => w.startsWith('scan'))).toEqual(['scan DeviceProcessEvents: DeviceId,DeviceName,SHA1']);
    expect(plan.schema.map((c) => c.name)).toEqual(['DeviceId', 'Name']);
    expect((await run(query, { DeviceProcessEvents: procs })).rows).toEqual([
      { DeviceId: 'd1', Name: '' }, { DeviceId: 'd3', Name: '' }, { DeviceId: '', Name: 'one' }, { DeviceId: '', Name: 'three' },
    ]);
  });

  it('narrow both sides of a join to its keys and the columns read after it', async () => {
    const query = `DeviceProcessEvents | join kind=inner (DeviceFileCertificateInfo) on SHA1 | project DeviceName, Signer`;
    const lines = widths(narrowed(query));
    expect(lines).toContain('join: DeviceName,Signer');
    expect(lines).toContain('scan DeviceProcessEvents: DeviceName,SHA1');
    expect(lines).toContain('scan DeviceFileCertificateInfo: SHA1,Signer');
    expect((await run(query, { DeviceProcessEvents: procs, DeviceFileCertificateInfo: certs })).rows).toEqual([
      { DeviceName: 'one', Signer: 'Ammyy LLC' }, { DeviceName: 'three', Signer: 'Ammyy LLC' },
    ]);
  });

  it('narrow the inputs of a union to the columns read after it, and count reads none', async () => {
    const query = `union DeviceProcessEvents, DeviceFileCertificateInfo | where SHA1 == 'a' | summarize n = count() by DeviceId | extend k = 1 | join kind=inner (DeviceProcessEvents | count | extend k = 1) on k | project DeviceId, n, Count`;
    const lines = widths(narrowed(query));
    expect(lines).toContain('scan DeviceProcessEvents: DeviceId,SHA1');
    expect(lines).toContain('scan DeviceFileCertificateInfo: DeviceId,SHA1');
    expect(lines).toContain('scan DeviceProcessEvents: ');
    expect((await run(query, { DeviceProcessEvents: procs, DeviceFileCertificateInfo: certs })).rows).toEqual([
      { DeviceId: 'd1', n: 2, Count: 3 }, { DeviceId: 'd3', n: 1, Count: 3 },
    ]);
  });

  it('do not read a column an extend replaces when nothing reads it', async () => {
    const query = `DeviceProcessEvents | extend AccountName = 'x', Exe = tolower(FileName) | where Exe == 'aa_v3.exe' | project DeviceId`;
    const lines = widths(narrowed(query));
    expect(lines).toContain('scan DeviceProcessEvents: DeviceId,FileName');
    expect(lines).toContain('extend: DeviceId,FileName,Exe,AccountName');
    expect((await run(query, { DeviceProcessEvents: procs })).rows).toEqual([{ DeviceId: 'd1' }, { DeviceId: 'd3' }]);
  });

  it('keep what mv-expand computes (the item index too) after the columns it keeps', async () => {
    const query = `DeviceProcessEvents | extend Parts = split(FolderPath, '\\\\') | mv-expand with_itemindex=At Part = Parts to typeof(string) | where At == 1 | project DeviceId, Part, At`;
    const lines = widths(narrowed(query));
    expect(lines).toContain('scan DeviceProcessEvents: DeviceId,FolderPath');
    expect((await run(query, { DeviceProcessEvents: procs })).rows).toEqual([
      { DeviceId: 'd1', Part: 'X', At: 1 }, { DeviceId: 'd2', Part: 'P', At: 1 }, { DeviceId: 'd3', Part: 'AA_V3.EXE', At: 1 },
    ]);
  });
});
