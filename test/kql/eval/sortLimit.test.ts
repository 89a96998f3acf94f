// top N and `sort | take N` keep only N rows while sorting (eval/sort.ts): they must return exactly the
// first N rows of the full stable sort, ties in input order and nulls where the sort puts them.
import { describe, expect, it } from 'vitest';
import { run } from '../helpers.js';

/** Rows with many ties and nulls, the same on every run. */
function rows(count: number) {
  let x = 12345;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  return Array.from({ length: count }, (_, i) => ({
    DeviceId: `d${i}`,
    DeviceName: next() < 0.1 ? '' : `n${Math.floor(next() * 5)}`,
    OSBuild: next() < 0.15 ? null : Math.floor(next() * 7),
  }));
}

const table = { DeviceInfo: rows(300) };
const ids = (r: { rows: readonly Record<string, unknown>[] }) => r.rows.map((x) => x['DeviceId']);

describe('sort with a limit', () => {
  const orders = ['OSBuild', 'OSBuild asc', 'OSBuild desc nulls first', 'OSBuild asc nulls last, DeviceName desc', 'DeviceName asc, OSBuild'];
  it.each(orders.flatMap((by) => [0, 1, 7, 299, 300, 301].map((n) => [by, n] as const)))('by %s, %i rows', async (by, n) => {
    const full = ids(await run(`DeviceInfo | sort by ${by}`, table)).slice(0, n);
    // top takes one key (https://learn.microsoft.com/kusto/query/top-operator)
    if (!by.includes(',')) expect(ids(await run(`DeviceInfo | top ${n} by ${by}`, table))).toEqual(full);
    expect(ids(await run(`DeviceInfo | sort by ${by} | take ${n}`, table))).toEqual(full);
    expect(ids(await run(`DeviceInfo | order by ${by} | limit ${n}`, table))).toEqual(full);
  });

  it('take after top keeps the smaller count', async () => {
    const full = ids(await run('DeviceInfo | sort by OSBuild', table));
    expect(ids(await run('DeviceInfo | top 10 by OSBuild | take 3', table))).toEqual(full.slice(0, 3));
    expect(ids(await run('DeviceInfo | top 3 by OSBuild | take 10', table))).toEqual(full.slice(0, 3));
  });
});
