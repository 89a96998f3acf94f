// `externaldata` offline (https://learn.microsoft.com/kusto/query/externaldata-operator): a data folder may
// hold `externaldata.json`, an object mapping each URL a query reads to a file inside the folder:
//
//   { "https://raw.githubusercontent.com/org/repo/main/hashes.csv": "external/hashes.csv" }
//
// The URL must match exactly. A path must stay inside the data folder (no absolute paths, no `..`, no
// symbolic link out of it). The file is read as the operator's `format` says (csv by default; tsv,
// tsve, psv, scsv, sohsv, txt, raw, json, multijson), `ignoreFirstRecord=true` skips its first record,
// fields map to the declared columns by position (by name for JSON), and a value that does not parse
// as its column's type is null, as when Kusto ingests it. Anything the folder cannot answer is a
// ReferenceDataUnavailable naming what is missing.
import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ReferenceDataUnavailable, type ColumnSchema, type ExternalDataRequest, type Row } from '../kql/types.js';
import { closestNames, formatSuggestion } from '../kql/suggest.js';
import { coercerFor } from './coerce.js';
import { readCsvRecords } from './csv.js';
import { DataFileError } from './errors.js';
import { readLines } from './lines.js';
import { readMappingFile } from './mappingFile.js';

export const EXTERNAL_DATA_MAP = 'externaldata.json';

const SEPARATORS: Readonly<Record<string, string>> = { csv: ',', tsv: '\t', tsve: '\t', psv: '|', scsv: ';', sohsv: '\u0001' };
const FORMATS = [...Object.keys(SEPARATORS), 'txt', 'raw', 'json', 'multijson'];

/** The folder's URL → file mapping, with every path checked to lie inside the folder. */
export function readExternalDataMap(dir: string): ReadonlyMap<string, string> | undefined {
  const mapping = readMappingFile(dir, EXTERNAL_DATA_MAP, 'each URL to a file in this folder');
  if (!mapping) return undefined;
  const { file, entries } = mapping;
  const root = realpathSync(dir);
  const map = new Map<string, string>();
  for (const [url, target] of Object.entries(entries)) {
    if (typeof target !== 'string' || target.trim() === '') throw new DataFileError(file, 0, url, 'the value must be the path of a file in this folder');
    const full = path.resolve(root, target);
    if (path.isAbsolute(target) || !inside(root, full)) throw new DataFileError(file, 0, url, `'${target}' is outside the data folder; give a path inside it`);
    if (!existsSync(full)) throw new DataFileError(file, 0, url, `'${target}' does not exist in the data folder`);
    if (!inside(root, realpathSync(full))) throw new DataFileError(file, 0, url, `'${target}' links outside the data folder`);
    map.set(url, full);
  }
  return map;
}

function inside(root: string, full: string): boolean {
  const rel = path.relative(root, full);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The rows of one externaldata operator, read from the files `map` gives its URLs. */
export async function* readExternalData(dir: string, map: ReadonlyMap<string, string> | undefined, request: ExternalDataRequest): AsyncGenerator<Row[]> {
  if (!map) throw new ReferenceDataUnavailable(`no ${EXTERNAL_DATA_MAP} in the data folder ${dir}: add one mapping each URL to a local file`);
  const format = String(request.properties['format'] ?? 'csv').toLowerCase();
  if (!FORMATS.includes(format)) throw new ReferenceDataUnavailable(`format '${format}' is not supported offline (only ${FORMATS.join(', ')})`);
  const skipFirst = request.properties['ignorefirstrecord'] === true;
  const files = request.urls.map((url) => {
    const file = map.get(url);
    if (!file) throw new ReferenceDataUnavailable(`${EXTERNAL_DATA_MAP} has no file for '${url}'${formatSuggestion(closestNames(url, [...map.keys()]), 'URLs')}`);
    return file;
  });
  const convert = converters(request.columns);
  for (const file of files) {
    let first = true;
    for await (const records of readRecords(file, format)) {
      const rows: Row[] = [];
      for (const record of records) {
        if (first && skipFirst) {
          first = false;
          continue;
        }
        first = false;
        rows.push(convert(record));
      }
      if (rows.length > 0) yield rows;
    }
  }
}

type RawRecord = readonly string[] | Readonly<Record<string, unknown>>;

async function* readRecords(file: string, format: string): AsyncGenerator<RawRecord[]> {
  const separator = SEPARATORS[format];
  if (separator !== undefined) {
    for await (const records of readCsvRecords(file, separator)) yield records.filter((r) => !(r.fields.length === 1 && r.fields[0] === '')).map((r) => r.fields);
    return;
  }
  if (format === 'raw') {
    yield [[await readFile(file, 'utf8')]];
    return;
  }
  if (format === 'multijson') {
    const text = (await readFile(file, 'utf8')).trim();
    const value = parseJson(file, 1, text.startsWith('[') ? text : `[${text.replace(/}\s*{/g, '},{')}]`);
    yield (Array.isArray(value) ? value : [value]).map((v) => objectRecord(file, 1, v));
    return;
  }
  for await (const lines of readLines(file)) {
    const out: RawRecord[] = [];
    for (const { text, line } of lines) {
      const t = text.replace(/\r$/, '');
      if (format === 'txt') out.push([t]);
      else if (t.trim() !== '') out.push(objectRecord(file, line, parseJson(file, line, t)));
    }
    if (out.length > 0) yield out;
  }
}

function parseJson(file: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DataFileError(file, line, undefined, `invalid JSON: ${(e as Error).message}`);
  }
}

function objectRecord(file: string, line: number, v: unknown): Readonly<Record<string, unknown>> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DataFileError(file, line, undefined, 'each JSON record must be an object');
  return v as Record<string, unknown>;
}

/** Values coerced to the declared column types; one that does not parse is null ('' for strings). */
function converters(columns: readonly ColumnSchema[]) {
  const lenient = (fromText: boolean) =>
    columns.map((c) => {
      const f = coercerFor(c.type, fromText);
      return (raw: unknown) => {
        try {
          return f(raw);
        } catch {
          return c.type === 'string' ? '' : null;
        }
      };
    });
  const text = lenient(true);
  const json = lenient(false);
  const build = (coerce: ((raw: unknown) => unknown)[], get: (c: ColumnSchema, i: number) => unknown): Row => {
    const row: Record<string, unknown> = {};
    columns.forEach((c, i) => (row[c.name] = coerce[i]!(get(c, i))));
    return row;
  };
  return (record: RawRecord): Row =>
    isFields(record) ? build(text, (_, i) => record[i]) : build(json, (c) => record[c.name]);
}

const isFields = (r: RawRecord): r is readonly string[] => Array.isArray(r);
