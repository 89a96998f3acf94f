// <Table>.json: an array of row objects, a saved Graph runHuntingQuery response
// ({schema:[{name,type}], results:[{...}]}), or a Log Analytics query response
// ({tables:[{columns:[{name,type}], rows:[[...]]}]}). These are single JSON documents, read whole.
import { readFile } from 'node:fs/promises';
import { kqlTypeOf, type ColumnSchema, type KqlType, type Row, type ScanHints, type TableSchema } from '../kql/types.js';
import { checkColumnNames } from './columns.js';
import { DataFileError } from './errors.js';
import { parseJsonExact } from '../core/exactJson.js';
import { arrayElementLines } from './arrayElementLines.js';
import { createRowBuilder } from './row-builder.js';

type JsonShape = (
  | { readonly kind: 'array'; readonly rows: readonly Record<string, unknown>[] }
  | { readonly kind: 'graph'; readonly columns: readonly ColumnSchema[]; readonly rows: readonly Record<string, unknown>[] }
  | { readonly kind: 'logAnalytics'; readonly columns: readonly ColumnSchema[]; readonly rows: readonly unknown[][] }
) & {
  /** line of each row in the file */
  readonly lines: readonly number[];
  /** line of each declared column (Graph `schema`, Log Analytics `columns`) */
  readonly columnLines: readonly number[];
};

function columnType(file: string, raw: unknown): KqlType {
  const name = String(raw ?? '');
  // Graph's hunting schema uses .NET type names, Log Analytics KQL ones
  const t = kqlTypeOf(name);
  if (!t) throw new DataFileError(file, 1, undefined, `unknown column type '${name}'`);
  return t;
}

export function describeColumns(file: string, raw: unknown): ColumnSchema[] {
  if (!Array.isArray(raw)) throw new DataFileError(file, 1, undefined, 'expected an array of {name, type} columns');
  return raw.map((c: { name?: unknown; Name?: unknown; type?: unknown; Type?: unknown; ColumnName?: unknown; DataType?: unknown; ColumnType?: unknown }) => ({
    name: String(c.name ?? c.Name ?? c.ColumnName),
    type: columnType(file, c.type ?? c.Type ?? c.ColumnType ?? c.DataType),
  }));
}

export async function loadJsonShape(file: string): Promise<JsonShape> {
  let doc: unknown;
  const text = await readFile(file, 'utf8');
  try {
    doc = parseJsonExact(text);
  } catch (e) {
    throw new DataFileError(file, 1, undefined, `invalid JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(doc)) return { kind: 'array', rows: doc as Record<string, unknown>[], lines: arrayElementLines(text, []), columnLines: [] };
  if (doc && typeof doc === 'object') {
    const o = doc as Record<string, unknown>;
    if (Array.isArray(o.results) && Array.isArray(o.schema)) {
      return {
        kind: 'graph', columns: describeColumns(file, o.schema), rows: o.results as Record<string, unknown>[],
        lines: arrayElementLines(text, ['results']), columnLines: arrayElementLines(text, ['schema']),
      };
    }
    if (Array.isArray(o.tables)) {
      const t = (o.tables as { columns?: unknown; rows?: unknown }[])[0];
      if (!t || !Array.isArray(t.rows)) throw new DataFileError(file, 1, undefined, 'the Log Analytics response has no table with rows');
      return {
        kind: 'logAnalytics', columns: describeColumns(file, t.columns), rows: t.rows as unknown[][],
        lines: arrayElementLines(text, ['tables', 0, 'rows']), columnLines: arrayElementLines(text, ['tables', 0, 'columns']),
      };
    }
  }
  throw new DataFileError(file, 1, undefined, 'expected an array of rows, a Graph {schema, results} response or a Log Analytics {tables} response');
}

const BATCH = 4096;

export async function* readJson(file: string, schema: TableSchema, wanted?: readonly string[], strict = true, hints?: ScanHints): AsyncGenerator<Row[]> {
  const shape = await loadJsonShape(file);
  const lineOf = (index: number) => shape.lines[index] ?? 1;
  // a response declares its columns: each must be a column of the table (as a row key must)
  if (strict && shape.kind !== 'array') checkColumnNames(file, schema, shape.columns.map((c) => c.name), (i) => shape.columnLines[i] ?? 1);
  if (shape.kind === 'logAnalytics') {
    const builder = createRowBuilder(file, schema, false, wanted, shape.columns.map((c) => c.name), strict, hints?.filters);
    for (let i = 0; i < shape.rows.length; i += BATCH) {
      yield shape.rows.slice(i, i + BATCH).map((r, k) => {
        if (!Array.isArray(r)) throw new DataFileError(file, lineOf(i + k), undefined, 'each Log Analytics row must be an array');
        return builder.fromArray(r, lineOf(i + k));
      }).filter((row) => row !== undefined);
    }
    return;
  }
  const builder = createRowBuilder(file, schema, false, wanted, undefined, strict, hints?.filters);
  for (let i = 0; i < shape.rows.length; i += BATCH) {
    yield shape.rows.slice(i, i + BATCH).map((r, k) => {
      if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new DataFileError(file, lineOf(i + k), undefined, 'each row must be a JSON object');
      return builder.fromObject(r, lineOf(i + k));
    }).filter((row) => row !== undefined);
  }
}
