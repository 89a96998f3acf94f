// Builds public rows from raw file records, coercing each wanted column by the table schema. With the
// query's filters (ScanHints.filters), a row is built in stages: the columns a filter reads, the
// filter, and the rest of the row only for rows that pass, so a rejected row costs the conversion of
// the columns its filters read (a Timestamp is parsed only for rows whose Signer already matched).
import type { Row, RowFilter, TableSchema } from '../kql/types.js';
import { CoercionError, coercerFor, type Coercer } from './coerce.js';
import { createKeyChecker } from './columns.js';
import { DataFileError } from './errors.js';

export interface RowBuilder {
  /**
   * From an object keyed by column name (JSONL, JSON arrays, Graph results). A key that is not a
   * column of the schema is an error (whether or not the query reads that column). undefined: the
   * row failed a filter.
   */
  fromObject(raw: Record<string, unknown>, line: number): Row | undefined;
  /**
   * From an array of values whose positions are given by `header` (CSV, Log Analytics rows). The
   * caller checks the header once (`checkColumnNames`).
   */
  fromArray(raw: readonly unknown[], line: number): Row | undefined;
}

interface Stage {
  /** indices (into the builder's columns) converted before `test` */
  readonly columns: readonly number[];
  readonly test: ((row: Row) => boolean) | undefined;
}

/** Filters in order, each after the columns it reads that earlier stages did not; then the rest. */
function stagesFor(names: readonly string[], filters: readonly RowFilter[]): Stage[] {
  const done = new Set<number>();
  const take = (wanted: readonly string[]) => {
    const out: number[] = [];
    for (const name of wanted) {
      const i = names.indexOf(name);
      if (i >= 0 && !done.has(i)) {
        done.add(i);
        out.push(i);
      }
    }
    return out;
  };
  const stages: Stage[] = filters.map((f) => ({ columns: take(f.columns), test: f.test }));
  stages.push({ columns: take(names), test: undefined });
  return stages;
}

export function createRowBuilder(
  file: string,
  schema: TableSchema,
  fromText: boolean,
  wanted?: readonly string[],
  header?: readonly string[],
  /** reject object keys that are not columns of the schema */
  strict = true,
  filters: readonly RowFilter[] = [],
): RowBuilder {
  const wantedSet = wanted ? new Set(wanted) : undefined;
  const cols = schema.columns.filter((c) => !wantedSet || wantedSet.has(c.name));
  const names = cols.map((c) => c.name);
  const coercers: Coercer[] = cols.map((c) => coercerFor(c.type, fromText));
  const positions = header ? names.map((n) => header.indexOf(n)) : [];
  const stages = stagesFor(names, filters);
  const checkKeys = strict ? createKeyChecker(file, schema) : () => {};
  const wrap = (e: unknown, line: number, column: string): never => {
    if (e instanceof CoercionError) throw new DataFileError(file, line, column, e.message);
    throw e;
  };
  const build = (valueOf: (i: number) => unknown, line: number): Row | undefined => {
    const row: Record<string, unknown> = {};
    for (const stage of stages) {
      const columns = stage.columns;
      for (let k = 0; k < columns.length; k++) {
        const i = columns[k]!;
        const name = names[i]!;
        try {
          row[name] = coercers[i]!(valueOf(i));
        } catch (e) {
          wrap(e, line, name);
        }
      }
      if (stage.test && !stage.test(row)) return undefined;
    }
    return row;
  };
  return {
    fromObject(raw, line) {
      checkKeys(raw, line);
      return build((i) => raw[names[i]!], line);
    },
    fromArray(raw, line) {
      return build((i) => {
        const p = positions[i]!;
        return p >= 0 ? raw[p] : undefined;
      }, line);
    },
  };
}
