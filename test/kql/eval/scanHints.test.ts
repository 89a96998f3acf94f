// What the evaluator tells a table provider about the filters straight over its scan (ScanHints).
import { describe, expect, it } from 'vitest';
import { defaultCatalogue, evaluate, type ScanHints, type TableProvider } from '../../../src/kql/index.js';
import { NOW } from '../helpers.js';

async function hintsOf(query: string): Promise<ScanHints | undefined> {
  let seen: ScanHints | undefined;
  const tables: TableProvider = {
    schemaOf: (t) => defaultCatalogue.schemaOf(t),
    async *scan(_t, _c, hints) {
      seen = hints;
    },
  };
  await evaluate(query, { tables, now: NOW });
  return seen;
}

describe('scan hints', () => {
  it('split the filters at and, string-only ones first, each with the columns it reads', async () => {
    const h = await hintsOf(`DeviceFileCertificateInfo | where Timestamp > ago(1d) and IsTrusted | where Signer has 'Ammyy' and DeviceId in (dynamic(['a', 'b']))`);
    expect(h?.filters?.map((f) => f.columns)).toEqual([['Signer'], ['DeviceId'], ['Timestamp'], ['IsTrusted']]);
    expect(h?.keyIn).toEqual({ column: 'DeviceId', values: new Set(['a', 'b']) });
    expect(h?.mustContain).toEqual([['Ammyy'], ['a', 'b']]);
  });

  it('name texts only for constants compared with a string column', async () => {
    expect((await hintsOf(`DeviceInfo | where tolower(DeviceName) has 'x'`))?.mustContain).toBeUndefined();
    expect((await hintsOf(`DeviceInfo | where DeviceName has DeviceId`))?.mustContain).toBeUndefined();
    expect((await hintsOf(`DeviceInfo | where DeviceName has 'x' or DeviceId has 'y'`))?.mustContain).toBeUndefined();
    expect((await hintsOf(`DeviceInfo | where DeviceName in ('a', '')`))?.mustContain).toBeUndefined();
    expect((await hintsOf(`DeviceInfo | where DeviceName !has 'x'`))?.mustContain).toBeUndefined();
    expect((await hintsOf(`DeviceInfo | where DeviceName in~ ('A') | where DeviceName has_any ('', 'b')`))?.mustContain).toEqual([['A'], ['b']]);
    expect(await hintsOf(`DeviceInfo | extend n = DeviceName | where n has 'x'`)).toEqual({});
  });
});
