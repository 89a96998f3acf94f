/**
 * Runs one query over many values (device ids, account names) in as few calls as the backend's
 * limits allow. Each batch takes as many values as fit the query text limit; once results come
 * back, as many as keep the expected rows under half the row limit. A result the service calls
 * too large is asked again in two halves. Cost is linear in the values: each is bound once and
 * its rows are read once.
 */
import type { ResultRow } from '../core/model.js';
import { QueryResultTooLarge, type QueryLimits } from '../core/queryLimits.js';
import { kqlString } from '../kql/queryText.js';

export interface BatchedQuery {
  /** The query text with these values bound; the values are a KQL string list (`dynamic([...])`). */
  bind(values: readonly string[]): string;
  run(query: string): Promise<readonly ResultRow[]>;
  /** A batch that failed for any other reason: its values get no rows, the others go on. */
  failed(values: readonly string[], error: unknown): void;
  /** `values` more are done (answered or failed). */
  done?(values: number): void;
  /** An optional cap on values per query (a setting), below what the limits allow. */
  readonly maxValues?: number | undefined;
}

/** Expected rows of a batch stay under this share of the row limit, leaving room for busy devices. */
const ROW_HEADROOM = 0.5;

/** Each value adds its literal and a `, ` separator to the bound text. */
const boundChars = (value: string) => kqlString(value).length + 2;

export async function runBatched(values: readonly string[], limits: QueryLimits, query: BatchedQuery): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const textBudget = limits.maxQueryChars - query.bind([]).length;
  const cap = query.maxValues ?? Infinity;
  let rowsPerValue = 0;
  // Batches asked again in halves go first, so values are answered in order.
  const retry: string[][] = [];
  let next = 0;

  /** Most values the next query may bind: the cap, and the rows seen so far. */
  const mostValues = () => Math.min(cap, rowsPerValue > 0 ? Math.max(1, Math.floor((limits.maxRows * ROW_HEADROOM) / rowsPerValue)) : Infinity);

  const takeBatch = (most: number): string[] => {
    const batch: string[] = [];
    let chars = 0;
    while (next < values.length && batch.length < most) {
      const cost = boundChars(values[next]!);
      // A value too long for any query still goes alone: the service's answer decides.
      if (batch.length > 0 && chars + cost > textBudget) break;
      batch.push(values[next++]!);
      chars += cost;
    }
    return batch;
  };

  while (retry.length > 0 || next < values.length) {
    const most = mostValues();
    let batch = retry.shift() ?? takeBatch(most);
    if (batch.length > most) {
      retry.unshift(batch.slice(most));
      batch = batch.slice(0, most);
    }
    try {
      const answer = await query.run(query.bind(batch));
      rowsPerValue = Math.max(rowsPerValue, answer.length / batch.length);
      for (const row of answer) rows.push(row);
      query.done?.(batch.length);
    } catch (error) {
      if (error instanceof QueryResultTooLarge && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        retry.unshift(batch.slice(0, half), batch.slice(half));
        // Later batches start no larger than these halves.
        rowsPerValue = Math.max(rowsPerValue, (limits.maxRows * ROW_HEADROOM) / half);
        continue;
      }
      query.failed(batch, error);
      query.done?.(batch.length);
    }
  }
  return rows;
}
