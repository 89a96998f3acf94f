// Builds public rows from raw file records, coercing each wanted column by the table schema.
import type { Row, TableSchema } from '../kql/types.js';
import { CoercionError, coercerFor, type Coercer } from './coerce.js';
import { createKeyChecker } from './columns.js';
import { DataFileError } from './errors.js';

export interface RowBuilder {
  /**
   * From an object keyed by column name (JSONL, JSON arrays, Graph results). A key that is not a
   * column of the schema is an error (whether or not the query reads that column).
   */
  fromObject(raw: Record<string, unknown>, line: number): Row;
  /**
   * From an array of values whose positions are given by `header` (CSV, Log Analytics rows). The
   * caller checks the header once (`checkColumnNames`).
   */
  fromArray(raw: readonly unknown[], line: number): Row;
}

export function createRowBuilder(
  file: string,
  schema: TableSchema,
  fromText: boolean,
  wanted?: readonly string[],
  header?: readonly string[],
  /** reject object keys that are not columns of the schema */
  strict = true,
): RowBuilder {
  const wantedSet = wanted ? new Set(wanted) : undefined;
  const cols = schema.columns.filter((c) => !wantedSet || wantedSet.has(c.name));
  const names = cols.map((c) => c.name);
  const coercers: Coercer[] = cols.map((c) => coercerFor(c.type, fromText));
  const positions = header ? names.map((n) => header.indexOf(n)) : [];
  const n = names.length;
  const checkKeys = strict ? createKeyChecker(file, schema) : () => {};
  const wrap = (e: unknown, line: number, column: string): never => {
    if (e instanceof CoercionError) throw new DataFileError(file, line, column, e.message);
    throw e;
  };
  return {
    fromObject(raw, line) {
      checkKeys(raw, line);
      const row: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const name = names[i]!;
        try {
          row[name] = coercers[i]!(raw[name]);
        } catch (e) {
          wrap(e, line, name);
        }
      }
      return row;
    },
    fromArray(raw, line) {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const p = positions[i]!;
        try {
          row[names[i]!] = coercers[i]!(p >= 0 ? raw[p] : undefined);
        } catch (e) {
          wrap(e, line, names[i]!);
        }
      }
      return row;
    },
  };
}
