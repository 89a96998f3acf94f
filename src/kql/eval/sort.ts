// sort, top and `sort | take N`. With a limit, only the N best rows are ever kept, in a binary heap
// whose root is the worst of them: a row that cannot make the top N costs one comparison with the
// root and no copy, so `top 20` over a million rows holds 20 rows, not a million. Ties keep input
// order (the row's sequence number is the last key), exactly as the full stable sort does.
import type { SortKeyBound } from '../bound.js';
import type { Compiled } from '../functions/types.js';
import { compareNonNull } from '../values.js';

interface Entry {
  readonly keys: unknown[];
  readonly seq: number;
  readonly row: unknown[];
}

type Compare = (a: Entry, b: Entry) => number;

function keyComparator(keys: readonly SortKeyBound[]): (a: readonly unknown[], b: readonly unknown[]) => number {
  return (a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const va = a[k];
      const vb = b[k];
      // null and NaN sort together at the nulls end, null outermost: nulls first is null, NaN, values;
      // nulls last is values, NaN, null (https://learn.microsoft.com/kusto/query/sort-operator)
      const ra = va === null || va === undefined ? 2 : va !== va ? 1 : 0;
      const rb = vb === null || vb === undefined ? 2 : vb !== vb ? 1 : 0;
      if (ra !== 0 || rb !== 0) {
        if (ra === rb) continue;
        return (ra - rb) * (key.nullsFirst ? -1 : 1);
      }
      const c = compareNonNull(va, vb);
      if (c !== 0) return key.descending ? -c : c;
    }
    return 0;
  };
}

/** A max-heap of at most `limit` entries under `cmp`: the root is the entry that would go first. */
class WorstFirstHeap {
  readonly items: Entry[] = [];
  constructor(private readonly cmp: Compare) {}

  push(e: Entry): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.cmp(a[p]!, e) >= 0) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = e;
  }

  replaceRoot(e: Entry): void {
    const a = this.items;
    const n = a.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.cmp(a[r]!, a[l]!) > 0 ? r : l;
      if (this.cmp(a[c]!, e) <= 0) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = e;
  }
}

/**
 * Sorts the rows of `batches` by `keyFns`, returning at most `limit` of them (Infinity: all).
 * `keyFns[k]` computes the value of `keys[k]` for a row.
 */
export async function sortRows(batches: AsyncIterable<unknown[][]>, keys: readonly SortKeyBound[], keyFns: readonly Compiled[], limit: number): Promise<unknown[][]> {
  const byKeys = keyComparator(keys);
  const cmp: Compare = (a, b) => byKeys(a.keys, b.keys) || a.seq - b.seq;
  const n = keyFns.length;
  const keysOf = (r: unknown[]) => {
    const ks = new Array(n);
    for (let k = 0; k < n; k++) ks[k] = keyFns[k]!(r);
    return ks;
  };
  let seq = 0;
  if (limit === Infinity) {
    const all: Entry[] = [];
    for await (const batch of batches) for (const row of batch) all.push({ keys: keysOf(row), seq: seq++, row });
    return all.sort(cmp).map((e) => e.row);
  }
  const heap = new WorstFirstHeap(cmp);
  const scratch = new Array(n);
  for await (const batch of batches) {
    for (const row of batch) {
      const s = seq++;
      if (heap.items.length < limit) {
        heap.push({ keys: keysOf(row), seq: s, row });
        continue;
      }
      // compare before allocating: most rows lose to the current worst of the top N
      const worst = heap.items[0]!;
      for (let k = 0; k < n; k++) scratch[k] = keyFns[k]!(row);
      if (byKeys(scratch, worst.keys) >= 0) continue; // equal keys: the earlier row (already kept) wins
      heap.replaceRoot({ keys: scratch.slice(), seq: s, row });
    }
  }
  return heap.items.sort(cmp).map((e) => e.row);
}
