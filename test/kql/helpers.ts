// Test helpers: in-memory tables and a one-call query runner.
import { defaultCatalogue, evaluate, type QueryResult, type Row, type TableProvider, type TableSchema } from '../../src/kql/index.js';

export const NOW = new Date('2026-11-22T12:00:00.000Z');

export function memoryTables(data: Readonly<Record<string, readonly Row[]>>, extra: readonly TableSchema[] = []): TableProvider {
  const schemas = new Map(extra.map((t) => [t.name, t]));
  return {
    schemaOf: (t) => schemas.get(t) ?? defaultCatalogue.schemaOf(t),
    async *scan(t) {
      const rows = data[t] ?? [];
      for (let i = 0; i < rows.length; i += 2) yield rows.slice(i, i + 2); // small batches exercise batch edges
    },
  };
}

export async function run(query: string, data: Readonly<Record<string, readonly Row[]>> = {}, now = NOW): Promise<QueryResult> {
  return evaluate(query, { tables: memoryTables(data), now });
}

/** Runs `print` style queries and returns the first row's single value. */
export async function scalar(expr: string): Promise<unknown> {
  const r = await run(`print v = ${expr}`);
  return r.rows[0]!['v'];
}
