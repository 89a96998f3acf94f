// Function calls: resolving a name to a scalar or aggregate function, and the one check of argument
// count and types every call goes through.
import type * as A from '../ast.js';
import type { BoundExpr } from '../bound.js';
import type { KqlBindError } from '../errors.js';
import type { AggregateFunction, ScalarFunction } from '../functions/types.js';
import { didYouMean } from '../suggest.js';
import type { ColumnSchema, KqlType } from '../types.js';
import { columnRef } from './columns.js';
import { callUserFunction } from './functions.js';
import type { Binder } from './index.js';
import { bindWindowCall, WINDOW_FUNCTIONS } from './windows.js';

/** Kusto functions we know of but do not implement: reported as "not supported", not "unknown". */
const KNOWN_UNSUPPORTED_FUNCTIONS = new Set([
  'parse_path', 'parse_command_line', 'parse_xml', 'parse_csv', 'parse_user_agent', 'hash', 'mv_expand',
  'series_stats', 'stdev', 'variance', 'hll', 'tdigest', 'zip', 'range', 'toscalar_list', 'make_datetime',
  'make_timespan', 'todatetime_utc', 'datetime_local_to_utc', 'datetime_utc_to_local', 'countof_regex',
  'ipv6_is_match', 'ipv6_compare', 'parse_ipv6', 'format_ipv4', 'has_any_ipv4', 'has_ipv4', 'has_ipv4_prefix',
  'translate', 'trim_whitespace', 'gettype', 'arg_max_if', 'current_cluster_endpoint',
  'current_database', 'cursor_after', 'estimate_data_size', 'binary_and', 'binary_or',
  // more that hunting queries use (scalars and aggregations)
  'bin_at', 'strcat_array', 'dayofmonth', 'dayofyear', 'monthofyear', 'week_of_year', 'getyear_of_week',
  'datetime_part', 'format_timespan', 'repeat', 'string_size', 'has_any_index', 'sign', 'ceiling',
  'array_split', 'array_iff', 'array_rotate_left', 'array_rotate_right', 'array_shift_left', 'array_shift_right',
  'binary_xor', 'binary_not', 'binary_shift_left', 'binary_shift_right', 'bitset_count_ones',
  'unixtime_microseconds_todatetime', 'unixtime_nanoseconds_todatetime', 'isascii', 'isutf8', 'new_guid',
  'rand', 'tohex', 'parse_version', 'ipv4_netmask_suffix', 'ipv4_range_to_cidr_list', 'jaccard_index',
  'stdevif', 'varianceif', 'stdevp', 'variancep', 'make_list_with_nulls', 'buildschema', 'percentilew',
  'percentilesw', 'hll_merge', 'tdigest_merge',
  // references to other tables, databases and clusters, and view functions
  'table', 'database', 'cluster', 'view',
]);

/** Whether `name` is a Kusto function we know of and do not run (reported as "not supported"). */
export function isKnownUnsupportedFunction(name: string): boolean {
  return KNOWN_UNSUPPORTED_FUNCTIONS.has(name);
}

/** Aggregations summarize binds itself, because they make several columns. */
export const MULTI_COLUMN_AGGREGATES: ReadonlySet<string> = new Set(['arg_max', 'arg_min', 'take_any', 'any', 'percentiles']);

/** Functions bindCall resolves before the registry's scalar functions. */
const SPECIAL_SCALARS: ReadonlySet<string> = new Set(['toscalar', 'column_ifexists']);

/**
 * Whether a call of `name` binds as a scalar function (a user-defined one included), not as an aggregation:
 * a summarize output that is such a call is an expression, any other call an aggregation (so a misspelt one
 * is reported as an unknown aggregation).
 */
export function bindsAsScalar(b: Binder, name: string): boolean {
  const let_ = b.scope.let(name)?.kind;
  return let_ === 'function' || let_ === 'poisoned' || SPECIAL_SCALARS.has(name) || name === INGESTION_TIME_FUNCTION || WINDOW_FUNCTIONS.has(name) || b.functions.scalar(name) !== undefined;
}

function arity(min: number, max: number): string {
  if (min === max) return `${min} argument${min === 1 ? '' : 's'}`;
  return max > 64 ? `at least ${min} arguments` : `${min} to ${max} arguments`;
}

/**
 * The one argument check: the count against the function's arity, then its type rule over the
 * bound arguments. Returns the bound arguments and the result type.
 */
function checkArguments(
  b: Binder,
  fn: Pick<ScalarFunction | AggregateFunction, 'name' | 'minArgs' | 'maxArgs' | 'resultType'>,
  call: A.CallExpr,
  row: readonly ColumnSchema[],
): { args: BoundExpr[]; type: KqlType; constants: unknown[] } {
  const name = call.name.name;
  if (call.args.length < fn.minArgs || call.args.length > fn.maxArgs) {
    throw b.error('KQL105', `${name}() takes ${arity(fn.minArgs, fn.maxArgs)}, got ${call.args.length}`, call);
  }
  const typeArgument = 'typeArgument' in fn ? fn.typeArgument : undefined;
  const args = b.each(call.args.map((x, i) => [x, i] as const), ([x, i]): BoundExpr => {
    if (x.kind === 'TypeOf' && i === typeArgument) return { kind: 'const', type: 'string', value: x.type };
    if (i === typeArgument) throw b.error('KQL104', `argument ${i + 1} of ${name}() must be a type literal such as typeof(long)`, x);
    return b.scalar(x, row);
  });
  const constants = args.map((x) => (x.kind === 'const' ? x.value : undefined));
  const typed = fn.resultType(args.map((x) => x.type), constants);
  if ('error' in typed) throw b.error(typed.unsupported ? 'KQL106' : 'KQL104', `${name}(): ${typed.error}`, call.args[typed.argIndex ?? 0] ?? call);
  return { args, type: typed.type, constants };
}

/** A scalar function call (toscalar included). */
export function bindCall(b: Binder, e: A.CallExpr, row: readonly ColumnSchema[]): BoundExpr {
  const name = e.name.name;
  if (name === 'toscalar') {
    if (e.args.length !== 1) throw b.error('KQL105', 'toscalar() takes one argument', e);
    const arg = e.args[0]!;
    if (!b.scope.isTabular(arg, row)) return b.scalar(arg, row);
    const plan = b.tabular(arg);
    if (plan.schema.length === 0) throw b.error('KQL111', 'the subquery has no columns', arg);
    return { kind: 'subquery', type: plan.schema[0]!.type, mode: 'scalar', plan };
  }
  if (name === INGESTION_TIME_FUNCTION) return bindIngestionTime(b, e, row);
  if (name === 'column_ifexists') return bindColumnIfExists(b, e, row);
  if (WINDOW_FUNCTIONS.has(name)) return bindWindowCall(b, e, row);
  const let_ = b.scope.let(name)?.kind;
  if (let_ === 'function' || let_ === 'poisoned') return callUserFunction(b, e, [], row).expr();
  const aggregation = b.aggregation;
  if (aggregation && (b.functions.aggregate(name) || MULTI_COLUMN_AGGREGATES.has(name))) {
    // Kusto.Language: KS144 "The aggregate function 'count' is not allowed in this context."
    if (aggregation.kind === 'argument') throw b.error('KQL109', `the aggregation '${name}()' cannot be used inside another aggregation`, e.name);
    return aggregation.slot(e);
  }
  const fn = b.functions.scalar(name);
  if (!fn) {
    if (b.functions.aggregate(name) || MULTI_COLUMN_AGGREGATES.has(name)) {
      throw b.error('KQL109', `the aggregation '${name}()' can only be used in summarize`, e.name);
    }
    if (KNOWN_UNSUPPORTED_FUNCTIONS.has(name) || name === 'materialize') {
      throw b.error('KQL106', `the function '${name}()' is not supported`, e.name);
    }
    // in a summarize expression an aggregation may be meant too
    const aggregations = aggregation ? [...(b.functions.names?.('aggregate') ?? []), ...MULTI_COLUMN_AGGREGATES] : [];
    throw b.error('KQL103', `unknown function '${name}'${didYouMean(name, [...(b.functions.names?.('scalar') ?? []), ...SPECIAL_SCALARS, ...aggregations], 'function names')}`, e.name);
  }
  const { args, type } = checkArguments(b, fn, e, row);
  return { kind: 'call', type, fn, args, at: e };
}

/**
 * ingestion_time(): "the approximate datetime in UTC format indicating when the current record was ingested"; in
 * the context of a table only, null elsewhere (learn.microsoft.com/kusto/query/ingestion-time-function). Offline
 * a row's ingestion time is its `_TimeReceived`, the Log Analytics standard column a workspace export (and the
 * findings file sink) writes: where the row has no such column the value is null, as outside a table.
 */
const INGESTION_TIME_FUNCTION = 'ingestion_time';
export const INGESTION_TIME_COLUMN = '_TimeReceived';

function bindIngestionTime(b: Binder, e: A.CallExpr, row: readonly ColumnSchema[]): BoundExpr {
  if (e.args.length !== 0) throw b.error('KQL105', `${INGESTION_TIME_FUNCTION}() takes 0 arguments, got ${e.args.length}`, e);
  const index = row.findIndex((c) => c.name === INGESTION_TIME_COLUMN && c.type === 'datetime');
  return index >= 0 ? columnRef(row[index]!, index) : { kind: 'const', type: 'datetime', value: null };
}

/**
 * column_ifexists(name, default) (https://learn.microsoft.com/kusto/query/column-ifexists-function):
 * the input column of that name if the row has one, else the default.
 */
function bindColumnIfExists(b: Binder, e: A.CallExpr, row: readonly ColumnSchema[]): BoundExpr {
  if (e.args.length !== 2) throw b.error('KQL105', `column_ifexists() takes 2 arguments, got ${e.args.length}`, e);
  const name = b.scalar(e.args[0]!, row);
  if (name.kind !== 'const' || typeof name.value !== 'string') throw b.error('KQL110', 'the column name of column_ifexists() must be a constant string', e.args[0]!);
  const i = row.findIndex((c) => c.name === name.value);
  const aggregation = b.aggregation;
  if (aggregation?.kind === 'output' && aggregation.input.some((c) => c.name === name.value)) throw outsideAggregation(b, String(name.value), e);
  return i >= 0 ? columnRef(row[i]!, i) : b.scalar(e.args[1]!, row);
}

/** A single-column aggregation call in summarize: the function, its bound arguments (and their constant values) and result type. */
export function bindAggregateCall(b: Binder, call: A.CallExpr, row: readonly ColumnSchema[]): { fn: AggregateFunction; args: BoundExpr[]; type: KqlType; constants: unknown[] } {
  const fname = call.name.name;
  const fn = b.functions.aggregate(fname);
  if (!fn) {
    if (b.functions.scalar(fname)) {
      throw b.error('KQL106', `'${fname}' is a scalar function; an aggregation is needed here, such as count() or max(x)`, call.name);
    }
    if (KNOWN_UNSUPPORTED_FUNCTIONS.has(fname)) throw b.error('KQL106', `the aggregation '${fname}' is not supported`, call.name);
    const candidates = [...(b.functions.names?.('aggregate') ?? []), ...MULTI_COLUMN_AGGREGATES];
    throw b.error('KQL103', `unknown aggregation function '${fname}'${didYouMean(fname, candidates, 'function names')}`, call.name);
  }
  return { fn, ...b.withAggregation({ kind: 'argument' }, () => checkArguments(b, fn, call, row)) };
}

/**
 * A summarize output expression reads an input column outside an aggregation call (Kusto.Language: KS236
 * "The name 'x' is not an aggregate or scalar function.", at the name).
 */
export function outsideAggregation(b: Binder, name: string, at: { readonly pos: number; readonly end: number }): KqlBindError {
  return b.error('KQL102', `'${name}' is read outside an aggregation: a summarize expression reads columns only through aggregations such as max(${name}) or take_any(${name})`, at);
}
