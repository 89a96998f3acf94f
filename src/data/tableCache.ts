// Keeps each table's rows in memory after its first complete read, so a run that queries the same
// tables many times (the hunt, then the context query once per batch of hit devices, then the
// incident's device query) parses each data file once instead of once per query. A query that asks
// for a few key values (`where DeviceId in (...)`, ScanHints.keyIn) reads only their rows through an
// index built on first use, so a run's context batches together read each row about once.
// A query whose filters imply texts on the raw line (`Signer has 'Contoso'`) reads, and keeps, only
// the rows whose lines hold them (jsonLinePrefilter.ts); a later query making the same test is served
// from those rows, any other reads the file again. The hunt and the context query's file leg both
// test for the signer, so neither parses the lines of other software.
import { statSync } from 'node:fs';
import type { Row, ScanHints } from '../kql/types.js';
import type { DataDirProvider } from './index.js';
import { lineTestGroups } from './jsonLinePrefilter.js';

export interface TableCacheOptions {
  /**
   * Most bytes of data files kept in memory at once. A table whose file does not fit is read from
   * disk on every scan, as without a cache: parsed rows take about as much memory as the file for
   * the few columns a query reads, several times more for all of them.
   */
  readonly maxFileBytes?: number;
}

export const DEFAULT_CACHE_FILE_BYTES = 256 * 2 ** 20;

const BATCH = 4096;

interface Entry {
  /** size, mtime and inode of the file the rows were read from: a rewritten file is read again */
  readonly stamp: string;
  readonly bytes: number;
  /** the columns the rows hold; undefined: all of the table's */
  readonly columns: ReadonlySet<string> | undefined;
  /** the line tests the rows were read under (ScanHints.mustContain groups); none: every row */
  readonly lineTests: readonly (readonly string[])[];
  readonly rows: readonly Row[];
  /** positions of the rows by the value of a column, built when a query first asks by that column */
  readonly indexes: Map<string, Map<unknown, number[]>>;
}

function positionsOf(entry: Entry, keyIn: NonNullable<ScanHints['keyIn']>): number[] {
  let index = entry.indexes.get(keyIn.column);
  if (!index) {
    index = new Map();
    entry.rows.forEach((row, i) => {
      const v = row[keyIn.column];
      const list = index!.get(v);
      if (list) list.push(i);
      else index!.set(v, [i]);
    });
    entry.indexes.set(keyIn.column, index);
  }
  const out: number[] = [];
  for (const v of keyIn.values) for (const i of index.get(v) ?? []) out.push(i);
  // in file order, as a full scan would give them
  return out.sort((a, b) => a - b);
}

const groupKey = (texts: readonly string[]) => JSON.stringify(texts);

/** Every line test the rows were read under is one the query makes too: the rows it can keep are all there. */
function implied(lineTests: Entry['lineTests'], hints: ScanHints | undefined): boolean {
  if (lineTests.length === 0) return true;
  const asked = new Set((hints?.mustContain ?? []).map(groupKey));
  return lineTests.every((texts) => asked.has(groupKey(texts)));
}

/**
 * The line tests to read a table under: the query's, except its key list (a context batch's device
 * ids change from batch to batch; the key index serves them), and only those the rows already kept
 * were read under too, so queries that test for different texts end up with every row, not a
 * re-read each. Only the JSONL reader tests raw lines; the other readers hand over every row.
 */
function lineTestsFor(path: string, hints: ScanHints | undefined, kept: Entry | undefined): Entry['lineTests'] {
  if (!/\.jsonl$/i.test(path)) return [];
  const keyIn = hints?.keyIn;
  const isKeyList = (texts: readonly string[]) => keyIn !== undefined && texts.length === keyIn.values.size && texts.every((t) => keyIn.values.has(t));
  const asked = lineTestGroups(hints).filter((texts) => !isKeyList(texts));
  if (kept === undefined) return asked;
  const before = new Set(kept.lineTests.map(groupKey));
  return asked.filter((texts) => before.has(groupKey(texts)));
}

function covers(cached: ReadonlySet<string> | undefined, wanted: readonly string[] | undefined): boolean {
  if (cached === undefined) return true;
  return wanted !== undefined && wanted.every((c) => cached.has(c));
}

function union(cached: ReadonlySet<string> | undefined, wanted: readonly string[] | undefined): readonly string[] | undefined {
  if (cached === undefined || wanted === undefined) return undefined;
  return [...new Set([...cached, ...wanted])];
}

export function withTableCache(provider: DataDirProvider, options: TableCacheOptions = {}): DataDirProvider {
  const budget = options.maxFileBytes ?? DEFAULT_CACHE_FILE_BYTES;
  const entries = new Map<string, Entry>();
  let used = 0;
  const drop = (table: string) => {
    const e = entries.get(table);
    if (e) used -= e.bytes;
    entries.delete(table);
  };

  async function* scan(table: string, columns?: readonly string[], hints?: ScanHints): AsyncGenerator<readonly Row[]> {
    const path = provider.dataFile(table);
    if (path === undefined) {
      yield* provider.scan(table, columns, hints);
      return;
    }
    const stat = statSync(path);
    const stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    const cached = entries.get(table);
    if (cached && cached.stamp === stamp && covers(cached.columns, columns) && implied(cached.lineTests, hints) && (!hints?.keyIn || cached.columns === undefined || cached.columns.has(hints.keyIn.column))) {
      if (hints?.keyIn) {
        const positions = positionsOf(cached, hints.keyIn);
        for (let i = 0; i < positions.length; i += BATCH) yield positions.slice(i, i + BATCH).map((p) => cached.rows[p]!);
        return;
      }
      for (let i = 0; i < cached.rows.length; i += BATCH) yield cached.rows.slice(i, i + BATCH);
      return;
    }
    // a stale entry, one with too few columns or one read under line tests the query does not make is
    // replaced by a read of every column asked so far
    const current = cached && cached.stamp === stamp ? cached : undefined;
    const wanted = current ? union(current.columns, columns) : columns;
    const lineTests = lineTestsFor(path, hints, current);
    drop(table);
    if (used + stat.size > budget) {
      yield* provider.scan(table, columns, hints);
      return;
    }
    // every row whose line passes the line tests, whatever the query's other filters: the rows kept
    // serve later queries with other filters
    const rows: Row[] = [];
    for await (const batch of provider.scan(table, wanted, lineTests.length > 0 ? { mustContain: lineTests } : undefined)) {
      for (const r of batch) rows.push(r);
      yield batch;
    }
    // only a complete read is kept (a consumer that stopped early, e.g. `take`, never gets here)
    entries.set(table, { stamp, bytes: stat.size, columns: wanted === undefined ? undefined : new Set(wanted), lineTests, rows, indexes: new Map() });
    used += stat.size;
  }

  return { ...provider, scan };
}
