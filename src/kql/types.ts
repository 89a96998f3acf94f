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
   * `hints` say which rows the query can keep: a provider may use them to skip rows early, never required.
   */
  scan(table: string, columns?: readonly string[], hints?: ScanHints): AsyncIterable<readonly Row[]>;
  /**
   * Rows for an `externaldata` operator, from local files the provider maps its URLs to. A provider
   * without it makes the operator fail with the reason, never return an empty table; one that cannot
   * answer a request (no mapping for a URL) throws ReferenceDataUnavailable saying why.
   */
  externalData?(request: ExternalDataRequest): AsyncIterable<readonly Row[]>;
  /**
   * geo_info_from_ip_address() offline: the location a local mapping gives an address (a bag of the
   * documented fields), null when the mapping does not cover it. A provider without it makes the
   * function fail with the reason.
   */
  readonly geoInfo?: (ip: string) => Readonly<Record<string, unknown>> | null;
}

/**
 * What the query's filters straight over a table scan imply, for a provider that can skip rows
 * before it reads or converts them. Each hint holds for every row the query keeps; the evaluator
 * applies its filters to every row it gets anyway, so a provider may use any of them or none.
 */
export interface ScanHints {
  /**
   * The filters, cheapest first (those reading only string columns), each with the columns it reads:
   * a provider may convert those columns, test, and convert the rest of the row only if it passes.
   */
  readonly filters?: readonly RowFilter[];
  /** Rows whose `column` holds none of `values` are dropped (`where DeviceId in (...)`). */
  readonly keyIn?: { readonly column: string; readonly values: ReadonlySet<string> };
  /**
   * For each group, some string column of every kept row contains one of the group's texts, ASCII
   * letters in either case (`has`, `contains`, `==`, `in`, `has_any` over constants): so does the
   * row's raw text, where the file format keeps string values verbatim.
   */
  readonly mustContain?: readonly (readonly string[])[];
}

export interface RowFilter {
  readonly columns: readonly string[];
  readonly test: (row: Row) => boolean;
}

/** What an `externaldata` operator asks for (https://learn.microsoft.com/kusto/query/externaldata-operator). */
export interface ExternalDataRequest {
  readonly urls: readonly string[];
  readonly columns: readonly ColumnSchema[];
  /** the `with (...)` properties, names lower-cased: format, ignorefirstrecord, ... */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** Thrown by a provider that has no local answer for an externaldata request: the message says why. */
export class ReferenceDataUnavailable extends Error {
  override readonly name = 'ReferenceDataUnavailable';
}

export interface QueryResult {
  readonly columns: readonly ColumnSchema[];
  readonly rows: readonly Row[];
  /** what the engine accepted but did not do (render), for the reader of the result */
  readonly notes?: readonly string[];
}

/** Where the binder looks up table schemas (lint works with a catalogue alone, without data). */
export interface SchemaCatalogue {
  schemaOf(table: string): TableSchema | undefined;
  tableNames(): readonly string[];
}

/**
 * The one map of type names to KQL types: the names a query may write (datatable columns, typeof(),
 * typed literals) and the .NET names services and exports use for the same types (Graph
 * runHuntingQuery `schema`: String, DateTime, Int64, Int32, Double, Boolean, Object, Guid, SByte;
 * Log Analytics columns). Keys are lower case; `query` marks the names KQL itself accepts
 * (Kusto.Language rejects `int32`, `object` and the capitalised .NET names in a query).
 */
const TYPE_NAMES: ReadonlyMap<string, { readonly type: KqlType; readonly query: boolean }> = new Map(
  (
    [
      ['string', 'string', true], ['long', 'long', true], ['int64', 'long', true], ['int', 'int', true], ['int32', 'int', false],
      ['real', 'real', true], ['double', 'real', true], ['decimal', 'decimal', true], ['bool', 'bool', true],
      ['boolean', 'bool', true], ['sbyte', 'bool', false], ['datetime', 'datetime', true], ['date', 'datetime', true],
      ['timespan', 'timespan', true], ['time', 'timespan', true], ['dynamic', 'dynamic', true], ['object', 'dynamic', false],
      ['guid', 'guid', true], ['uniqueid', 'guid', true],
    ] as const
  ).map(([name, type, query]) => [name, { type, query }]),
);

/** The type a query names (`datatable(a:long)`, `typeof(datetime)`); undefined when KQL has no such type name. */
export function queryTypeName(name: string): KqlType | undefined {
  const t = TYPE_NAMES.get(name);
  return t?.query ? t.type : undefined;
}

/** The type of a column a service or data file declares: KQL or .NET names, any case, `System.` optional. */
export function kqlTypeOf(name: string): KqlType | undefined {
  return TYPE_NAMES.get(name.toLowerCase().replace(/^system\./, ''))?.type;
}
