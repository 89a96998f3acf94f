/**
 * Typed rows from a runHuntingQuery answer. The service sends `schema: [{ name, type }]` (some
 * responses spell them `Name`/`Type`) and `results: [{ column: value }]`; types are .NET names
 * (DateTime, String, Int64, Int32, Double, Boolean, Object, Guid). We map them to the Kusto names the
 * rest of the hunter uses and type the values as every query service's are (resultValues.ts).
 */
import type { QueryResult, ResultColumn, ResultRow } from '../../core/model.js';
import { kqlTypeOf } from '../../kql/types.js';
import { typedValue } from '../resultValues.js';

export interface HuntingQueryResponse {
  readonly schema?: readonly { readonly name?: string; readonly type?: string; readonly Name?: string; readonly Type?: string }[];
  readonly results?: readonly Readonly<Record<string, unknown>>[];
}

function toKustoType(serviceType: string): string {
  return kqlTypeOf(serviceType) ?? serviceType.toLowerCase();
}

/** A response without its schema and results arrays is not "no rows": it must never pass as an empty hunt. */
export function toQueryResult(response: HuntingQueryResponse): QueryResult {
  if (!Array.isArray(response.schema) || !Array.isArray(response.results)) {
    const keys = response && typeof response === 'object' ? Object.keys(response).join(', ') || 'none' : typeof response;
    throw new Error(`runHuntingQuery answered without the documented "schema" and "results" arrays (keys: ${keys}); refusing to treat it as an empty result`);
  }
  const columns: ResultColumn[] = response.schema.map((column) => ({
    name: column.name ?? column.Name ?? '',
    type: toKustoType(column.type ?? column.Type ?? 'string'),
  }));
  const rows: ResultRow[] = response.results.map((result) => {
    const row: Record<string, unknown> = {};
    for (const column of columns) row[column.name] = typedValue(result[column.name], column.type);
    return row;
  });
  return { columns, rows };
}
