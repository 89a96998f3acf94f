// `--data DIR`: a directory with one file per table, <Table>.jsonl, <Table>.json or <Table>.csv.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCatalogue } from '../kql/schema/index.js';
import type { Row, SchemaCatalogue, TableProvider, TableSchema } from '../kql/types.js';
import { readCsv } from './csv.js';
import { DataFileError } from './errors.js';
import { readJson } from './json.js';
import { readJsonl } from './jsonl.js';

export { DataFileError } from './errors.js';
export { coercerFor } from './coerce.js';

type Format = 'jsonl' | 'json' | 'csv';

export interface DataDirProvider extends TableProvider {
  /** Tables that have a file in the directory. */
  tablesWithData(): readonly string[];
  /** `columns` limits coercion to the columns the query reads (others are left out of the rows). */
  scan(table: string, columns?: readonly string[]): AsyncIterable<readonly Row[]>;
}

const FILE_PATTERN = /^(.+)\.(jsonl|json|csv)$/;

export function openDataDir(dir: string, catalogue: SchemaCatalogue = defaultCatalogue): DataDirProvider {
  const files = new Map<string, { path: string; format: Format }>();
  for (const name of readdirSync(dir)) {
    const m = FILE_PATTERN.exec(name);
    if (!m) continue;
    const table = m[1]!;
    const format = m[2] as Format;
    const existing = files.get(table);
    if (existing) {
      throw new DataFileError(join(dir, name), 1, undefined, `table ${table} has two data files (${existing.path} too); keep one`);
    }
    files.set(table, { path: join(dir, name), format });
  }
  const declared = new Map<string, TableSchema | undefined>();

  const schemaOf = (table: string): TableSchema | undefined => {
    const known = catalogue.schemaOf(table);
    if (known) return known;
    // a table outside the catalogue is usable when its file declares its columns (Graph / Log Analytics JSON)
    const file = files.get(table);
    if (!file || file.format !== 'json') return undefined;
    if (!declared.has(table)) declared.set(table, readDeclaredSchema(table, file.path));
    return declared.get(table);
  };

  return {
    schemaOf,
    tablesWithData: () => [...files.keys()],
    scan(table, columns) {
      const schema = schemaOf(table);
      if (!schema) throw new Error(`unknown table '${table}'`);
      const file = files.get(table);
      if (!file) return emptyTable();
      switch (file.format) {
        case 'jsonl': return readJsonl(file.path, schema, columns);
        case 'json': return readJson(file.path, schema, columns);
        case 'csv': return readCsv(file.path, schema, columns);
      }
    },
  };
}

async function* emptyTable(): AsyncGenerator<Row[]> {
  // a known table without a data file is an empty table, as in a workspace with no events
}

function readDeclaredSchema(table: string, path: string): TableSchema | undefined {
  let doc: { schema?: { name?: string; Name?: string; type?: string; Type?: string }[]; tables?: { columns?: { name: string; type: string }[] }[] };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DataFileError(path, 1, undefined, `invalid JSON: ${(e as Error).message}`);
  }
  const cols = Array.isArray(doc) ? undefined : doc.schema ?? doc.tables?.[0]?.columns;
  if (!cols) return undefined;
  return {
    name: table,
    columns: cols.map((c: { name?: string; Name?: string; type?: string; Type?: string }) => ({
      name: String(c.name ?? c.Name),
      type: normaliseType(String(c.type ?? c.Type)),
    })),
  };
}

function normaliseType(t: string): TableSchema['columns'][number]['type'] {
  const map: Record<string, TableSchema['columns'][number]['type']> = {
    string: 'string', datetime: 'datetime', long: 'long', int: 'int', real: 'real', double: 'real', decimal: 'decimal',
    bool: 'bool', boolean: 'bool', dynamic: 'dynamic', object: 'dynamic', guid: 'guid', timespan: 'timespan',
    int64: 'long', int32: 'int', sbyte: 'bool',
  };
  return map[t.toLowerCase().replace(/^system\./, '')] ?? 'dynamic';
}
