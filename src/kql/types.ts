// Public types shared by the KQL engine, the data loader and the rest of the app.

export type KqlType =
  | 'string'
  | 'long'
  | 'int'
  | 'real'
  | 'decimal'
  | 'bool'
  | 'datetime'
  | 'timespan'
  | 'dynamic'
  | 'guid';

export interface ColumnSchema {
  readonly name: string;
  readonly type: KqlType;
}

export interface TableSchema {
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
}

/**
 * Public row representation at the API boundary:
 * datetime → Date, long/int/real → number, bool → boolean, string → string,
 * dynamic → parsed JSON value, timespan → milliseconds, null → null.
 */
export type Row = Readonly<Record<string, unknown>>;

export interface TableProvider {
  /** undefined → bind error "unknown table". */
  schemaOf(table: string): TableSchema | undefined;
  /**
   * Batches of rows in the public representation. `columns`, when given, names the only columns
   * the query reads: a provider may leave the others out of the rows (an optimisation, never required).
   */
  scan(table: string, columns?: readonly string[]): AsyncIterable<readonly Row[]>;
}

export interface QueryResult {
  readonly columns: readonly ColumnSchema[];
  readonly rows: readonly Row[];
}

/** Where the binder looks up table schemas (lint works with a catalogue alone, without data). */
export interface SchemaCatalogue {
  schemaOf(table: string): TableSchema | undefined;
  tableNames(): readonly string[];
}

export function mapKqlTypeName(name: string): KqlType | undefined {
  switch (name) {
    case 'string': return 'string';
    case 'long': case 'int64': return 'long';
    case 'int': case 'int32': return 'int';
    case 'real': case 'double': return 'real';
    case 'decimal': return 'decimal';
    case 'bool': case 'boolean': return 'bool';
    case 'datetime': case 'date': return 'datetime';
    case 'timespan': case 'time': return 'timespan';
    case 'dynamic': return 'dynamic';
    case 'guid': case 'uniqueid': return 'guid';
    default: return undefined;
  }
}
