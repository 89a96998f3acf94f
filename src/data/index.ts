// `--data DIR`: a directory with one file per table, <Table>.jsonl, <Table>.json or <Table>.csv.
// Every such file must be a table's: a misnamed one (DeviceFileCertificateInfoo.jsonl) is an error
// naming the table it was probably meant for, not a table that silently has no rows.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCatalogue } from '../kql/schema/index.js';
import { closestNames, formatSuggestion } from '../kql/suggest.js';
import type { Row, ScanHints, SchemaCatalogue, TableProvider, TableSchema } from '../kql/types.js';
import { readCsv } from './csv.js';
import { DataFileError } from './errors.js';
import { describeColumns, readJson } from './json.js';
import { readJsonl } from './jsonl.js';
import { EXTERNAL_DATA_MAP, readExternalData, readExternalDataMap } from './externalData.js';
import { GEO_IP_MAP, readGeoIpMap } from './geoIp.js';

export { DataFileError } from './errors.js';
export { coercerFor } from './coerce.js';
export { withTableCache, type TableCacheOptions } from './tableCache.js';

type Format = 'jsonl' | 'json' | 'csv';

export interface DataDirProvider extends TableProvider {
  /** Tables that have a file in the directory. */
  tablesWithData(): readonly string[];
  /** The catalogue's tables and those the directory's self-describing .json files add. */
  tableNames(): readonly string[];
  /** The file holding a table's rows, if there is one. */
  dataFile(table: string): string | undefined;
  /**
   * `columns` limits coercion to the columns the query reads (others are left out of the rows);
   * `hints` let the readers skip rows the query cannot keep before parsing or converting them.
   */
  scan(table: string, columns?: readonly string[], hints?: ScanHints): AsyncIterable<readonly Row[]>;
}

const FILE_PATTERN = /^(.+)\.(jsonl|json|csv)$/i;

/** Files in a data folder that are not tables: the replay manifest (`now`) and the reference-data mappings. */
const NOT_TABLES = new Set(['replay.json', EXTERNAL_DATA_MAP, GEO_IP_MAP]);

export interface DataDirOptions {
  /**
   * A key or header name that is not a column of the table: 'error' (default) names file:line, the key
   * and the nearest column; 'drop' leaves it out of the rows, for callers that knowingly read data
   * through a narrower schema (e.g. Sentinel's IdentityInfo data as Defender's IdentityInfo).
   */
  readonly unknownColumns?: 'error' | 'drop';
}

/**
 * Which files are tables: every `<name>.jsonl|.json|.csv` (extension in any case) except `replay.json`
 * and dot-files. `<name>` must be a table of the catalogue, except that a .json file that declares its
 * columns (a Graph or Log Analytics response) may add a table of its own, unless its name is a typo
 * or a case variant of a catalogue table. Anything else (README.md, notes.txt) is not looked at.
 */
export function openDataDir(dir: string, catalogue: SchemaCatalogue = defaultCatalogue, options: DataDirOptions = {}): DataDirProvider {
  const strict = options.unknownColumns !== 'drop';
  const files = new Map<string, { path: string; format: Format }>();
  const declared = new Map<string, TableSchema>();
  const known = catalogue.tableNames();
  const externalMap = readExternalDataMap(dir);
  // the files externaldata.json maps URLs to are that data, not tables
  const mapped = new Set(externalMap?.values());
  const root = realpathSync(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const name = entry.name;
    if (entry.isDirectory() || name.startsWith('.') || NOT_TABLES.has(name.toLowerCase()) || mapped.has(join(root, name))) continue;
    const m = FILE_PATTERN.exec(name);
    if (!m) continue;
    const table = m[1]!;
    const format = m[2]!.toLowerCase() as Format;
    const path = join(dir, name);
    const existing = files.get(table);
    if (existing) {
      throw new DataFileError(path, 1, undefined, `table ${table} has two data files (${existing.path} too); keep one`);
    }
    if (!catalogue.schemaOf(table)) {
      const near = closestNames(table, known, { affixes: false });
      const own = format === 'json' && !near ? readDeclaredSchema(table, path) : undefined;
      if (!own) throw unknownTableFile(path, table, format, formatSuggestion(near, 'table names'));
      declared.set(table, own);
    }
    files.set(table, { path, format });
  }

  const schemaOf = (table: string): TableSchema | undefined => catalogue.schemaOf(table) ?? declared.get(table);

  return {
    schemaOf,
    externalData: (request) => readExternalData(dir, externalMap, request),
    geoInfo: readGeoIpMap(dir),
    tablesWithData: () => [...files.keys()],
    tableNames: () => [...known, ...declared.keys()],
    dataFile: (table) => files.get(table)?.path,
    scan(table, columns, hints) {
      const schema = schemaOf(table);
      if (!schema) throw new Error(`unknown table '${table}'`);
      const file = files.get(table);
      if (!file) return emptyTable();
      switch (file.format) {
        case 'jsonl': return readJsonl(file.path, schema, columns, strict, hints);
        case 'json': return readJson(file.path, schema, columns, strict, hints);
        case 'csv': return readCsv(file.path, schema, columns, strict, hints);
      }
    },
  };
}

function unknownTableFile(path: string, table: string, format: Format, hint: string): DataFileError {
  const rule = format === 'json'
    ? 'a .json file is a table of the schema, or a Graph or Log Analytics response that declares its columns'
    : `a .${format} file must be named after a table of the schema`;
  return new DataFileError(path, 0, undefined, `'${table}' is not a known table${hint}; ${rule} (only replay.json, externaldata.json, geoip.json, the files externaldata.json maps and files with other extensions are not tables)`);
}

async function* emptyTable(): AsyncGenerator<Row[]> {
  // a known table without a data file is an empty table, as in a workspace with no events
}

/** The columns a Graph or Log Analytics response declares (read once, at open, to know its table's schema). */
function readDeclaredSchema(table: string, path: string): TableSchema | undefined {
  let doc: { schema?: unknown; tables?: { columns?: unknown }[] };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DataFileError(path, 1, undefined, `invalid JSON: ${(e as Error).message}`);
  }
  const cols = Array.isArray(doc) ? undefined : doc.schema ?? doc.tables?.[0]?.columns;
  return cols === undefined ? undefined : { name: table, columns: describeColumns(path, cols) };
}
