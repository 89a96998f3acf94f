// Keeps each table's rows in memory after its first complete read, so a run that queries the same
// tables many times (the hunt, then the context query once per batch of hit devices, then the
// incident's device query) parses each data file once instead of once per query. A query that asks
// for a few key values (`where DeviceId in (...)`, ScanHints.keyIn) reads only their rows through an
// index built on first use, so a run's context batches together read each row about once.
import { statSync } from 'node:fs';
import type { Row, ScanHints } from '../kql/types.js';
import type { DataDirProvider } from './index.js';

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
    if (cached && cached.stamp === stamp && covers(cached.columns, columns) && (!hints?.keyIn || cached.columns === undefined || cached.columns.has(hints.keyIn.column))) {
      if (hints?.keyIn) {
        const positions = positionsOf(cached, hints.keyIn);
        for (let i = 0; i < positions.length; i += BATCH) yield positions.slice(i, i + BATCH).map((p) => cached.rows[p]!);
        return;
      }
      for (let i = 0; i < cached.rows.length; i += BATCH) yield cached.rows.slice(i, i + BATCH);
      return;
    }
    // a stale entry, or one with too few columns, is replaced by a read of every column asked so far
    const wanted = cached && cached.stamp === stamp ? union(cached.columns, columns) : columns;
    drop(table);
    if (used + stat.size > budget) {
      yield* provider.scan(table, columns, hints);
      return;
    }
    // every row is read (no hints): the rows kept serve later queries with other filters
    const rows: Row[] = [];
    for await (const batch of provider.scan(table, wanted)) {
      for (const r of batch) rows.push(r);
      yield batch;
    }
    // only a complete read is kept (a consumer that stopped early, e.g. `take`, never gets here)
    entries.set(table, { stamp, bytes: stat.size, columns: wanted === undefined ? undefined : new Set(wanted), rows, indexes: new Map() });
    used += stat.size;
  }

  return { ...provider, scan };
}
