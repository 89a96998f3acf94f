/**
 * Context queries sized by the backend's limits (issue 14): as many values per query as the query
 * text limit allows, fewer once results show how many rows a value brings, halves when the service
 * says a result is too large. Each value is bound exactly once per answered batch.
 */
import { describe, expect, it } from 'vitest';
import { runBatched, type BatchedQuery } from '../../src/context/queryBatches.js';
import { QueryResultTooLarge, type QueryLimits } from '../../src/core/queryLimits.js';
import { defenderQueryLimits } from '../../src/adapters/defender/defenderLimits.js';
import { kqlStringArray } from '../../src/kql/queryText.js';
import type { ResultRow } from '../../src/core/model.js';

/** Defender device ids are 40 hex characters. */
const deviceIds = (count: number) => Array.from({ length: count }, (_, i) => (i * 2654435761 >>> 0).toString(16).padStart(40, '0'));

const PREFIX = 'let HitDeviceIds = ';
const SUFFIX = ';\nT | where DeviceId in (HitDeviceIds)';

/** A fake service: answers `rowsPerValue` rows per bound value, or too large above `tooLargeAbove` rows. */
function service(options: { rowsPerValue?: number; tooLargeAbove?: number; fail?: (values: string[]) => boolean } = {}) {
  const calls: string[][] = [];
  const failed: string[][] = [];
  let done = 0;
  const query: BatchedQuery = {
    bind: (values) => `${PREFIX}${kqlStringArray(values)}${SUFFIX}`,
    async run(text) {
      const values = JSON.parse(text.slice(PREFIX.length + 'dynamic('.length, text.length - SUFFIX.length - 1)) as string[];
      calls.push(values);
      if (options.fail?.(values)) throw new Error('service unavailable');
      const rows: ResultRow[] = values.flatMap((value) => Array.from({ length: options.rowsPerValue ?? 1 }, () => ({ DeviceId: value })));
      if (options.tooLargeAbove !== undefined && rows.length > options.tooLargeAbove) throw new QueryResultTooLarge('too large');
      return rows;
    },
    failed: (values) => failed.push([...values]),
    done: (values) => (done += values),
  };
  return { query, calls, failed, done: () => done };
}

describe('context query batches', () => {
  it('binds 10,000 Defender device ids in 2 queries, each within the query text limit', async () => {
    const ids = deviceIds(10_000);
    const fake = service({ rowsPerValue: 4 });
    const rows = await runBatched(ids, defenderQueryLimits, fake.query);
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls.every((values) => fake.query.bind(values).length <= defenderQueryLimits.maxQueryChars)).toBe(true);
    expect(fake.calls.flat()).toEqual(ids);
    expect(rows).toHaveLength(40_000);
    expect(fake.done()).toBe(10_000);
  });

  it('fills each query up to the text limit exactly: one more value would not fit', async () => {
    const ids = deviceIds(300);
    const limits: QueryLimits = { maxQueryChars: 2_000, maxRows: 100_000 };
    const fake = service();
    await runBatched(ids, limits, fake.query);
    for (const [index, values] of fake.calls.entries()) {
      expect(fake.query.bind(values).length).toBeLessThanOrEqual(limits.maxQueryChars);
      const nextValue = fake.calls[index + 1]?.[0];
      if (nextValue !== undefined) expect(fake.query.bind([...values, nextValue]).length).toBeGreaterThan(limits.maxQueryChars);
    }
  });

  it('sends fewer values per query once results show many rows per value, keeping under half the row limit', async () => {
    const ids = deviceIds(1_000);
    // 100 rows per device; the service refuses a result of 10,000 rows or more, like Defender at its row limit.
    const fake = service({ rowsPerValue: 100, tooLargeAbove: 9_999 });
    const rows = await runBatched(ids, { maxQueryChars: 1_000_000, maxRows: 10_000 }, fake.query);
    expect(rows).toHaveLength(100_000);
    expect(fake.failed).toEqual([]);
    // The first query knows no better and is refused; so are its halves until 63 devices (6,300 rows) fit.
    expect(fake.calls.slice(0, 5).map((values) => values.length)).toEqual([1_000, 500, 250, 125, 63]);
    // From then on each query binds at most 50 devices: 5,000 rows, half the limit.
    const answered = fake.calls.filter((values) => values.length * 100 < 10_000);
    expect(answered.flat().sort()).toEqual([...ids].sort());
    expect(Math.max(...answered.slice(1).map((values) => values.length))).toBe(50);
    expect(fake.done()).toBe(1_000);
  });

  it('asks a result the service calls too large again in halves, and gives up only on a single value', async () => {
    const fake = service({ rowsPerValue: 3, tooLargeAbove: 2 });
    const rows = await runBatched(deviceIds(4), { maxQueryChars: 1_000_000, maxRows: 100 }, fake.query);
    expect(rows).toEqual([]);
    expect(fake.failed).toEqual(deviceIds(4).map((id) => [id]));
    expect(fake.done()).toBe(4);
  });

  it('reports a failed batch and goes on with the others', async () => {
    const ids = deviceIds(10);
    const fake = service({ fail: (values) => values.includes(ids[0]!) });
    const rows = await runBatched(ids, { maxQueryChars: 1_000_000, maxRows: 100 }, { ...fake.query, maxValues: 4 });
    expect(fake.failed).toEqual([ids.slice(0, 4)]);
    expect(rows.map((row) => row['DeviceId'])).toEqual(ids.slice(4));
    expect(fake.done()).toBe(10);
  });

  it('still sends a value longer than any query allows, alone, and lets the service answer', async () => {
    const long = 'x'.repeat(5_000);
    const fake = service();
    await runBatched(['a', long, 'b'], { maxQueryChars: 1_000, maxRows: 100 }, fake.query);
    expect(fake.calls).toEqual([['a'], [long], ['b']]);
  });
});
