/**
 * Typed rows from a Log Analytics query answer, read from the body as the service sent it:
 * `{ tables: [{ name, columns: [{ name, type }], rows: [[...]] }], error? }` with Kusto type names
 * (learn.microsoft.com/azure/azure-monitor/logs/api/response-format). parseJsonExact keeps longs
 * beyond 2^53 exact; the values are typed as every query service's are (resultValues.ts).
 */
import { parseJsonExact } from '../../core/exactJson.js';
import type { QueryResult, ResultColumn, ResultRow } from '../../core/model.js';
import { typedValue } from '../resultValues.js';

/** The SDK has read the same body and refused it unless each table has both arrays. */
interface LogAnalyticsTable {
  readonly columns: readonly { readonly name?: string; readonly type?: string }[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface LogAnalyticsBody {
  readonly tables?: readonly LogAnalyticsTable[];
  readonly error?: unknown;
}

/** The parsed body, or undefined when it is not a JSON object (the SDK reports such an answer itself). */
export function parseLogAnalyticsBody(text: string | undefined): LogAnalyticsBody | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const body = parseJsonExact(text);
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as LogAnalyticsBody) : undefined;
  } catch {
    return undefined;
  }
}

export function toQueryResult(table: LogAnalyticsTable): QueryResult {
  const columns: ResultColumn[] = table.columns.map((column) => ({ name: column.name ?? '', type: column.type ?? 'string' }));
  const rows: ResultRow[] = table.rows.map((values) => {
    const row: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      row[column.name] = typedValue(values[index], column.type);
    });
    return row;
  });
  return { columns, rows };
}
