// The one column builder: every operator that makes an output schema (extend, project, print,
// distinct, summarize, mv-expand, project-rename, join, union) declares its columns here, so the rules
// for adding, replacing and naming columns are written once. Kusto.Language's binder keeps the same
// rules in one projection builder; the naming below follows what it infers (checked against
// @kusto/language-service-next in test/kql/column-naming.test.ts).
import type * as A from '../ast.js';
import type { BoundExpr } from '../bound.js';
import type { KqlBindError } from '../errors.js';
import type { AggregateFunction } from '../functions/types.js';
import type { ColumnSchema, KqlType } from '../types.js';

type At = { readonly pos: number; readonly end: number };
type DuplicateError = (name: string, at: At) => KqlBindError;

/**
 * Where a column's name comes from. A `declared` name (written `Name = ...`, or a plain column
 * reference) may not be declared twice by one operator; any other collision is resolved the way
 * Kusto.Language resolves it, by giving the later column the first free numeric suffix (max_x, max_x1).
 */
export type NameOrigin = 'declared' | 'generated';

export class ColumnBuilder {
  private readonly columns: ColumnSchema[];
  private readonly declared = new Set<string>();
  private readonly replaced = new Set<string>();
  private unnamed = 0;

  /** `input`: the columns an extend-like operator starts from (none for a projection); their names count as declared. */
  constructor(
    private readonly duplicate: DuplicateError,
    input: readonly ColumnSchema[] = [],
  ) {
    this.columns = [...input];
    for (const c of input) this.declared.add(c.name);
  }

  get schema(): readonly ColumnSchema[] {
    return this.columns;
  }

  has(name: string): boolean {
    return this.columns.some((c) => c.name === name);
  }

  /** Appends a column (projection style); returns its index. */
  add(name: string, type: KqlType, at: At, origin: NameOrigin): number {
    let unique = name;
    if (this.has(name)) {
      if (origin === 'declared' && this.declared.has(name)) throw this.duplicate(name, at);
      for (let n = 1; this.has(unique); n++) unique = `${name}${n}`;
    }
    if (origin === 'declared') this.declared.add(unique);
    this.columns.push({ name: unique, type });
    return this.columns.length - 1;
  }

  /** Replaces the input column of that name, or appends one (extend, mv-expand); a name set twice by one operator is an error. */
  set(name: string, type: KqlType, at: At): number {
    if (this.replaced.has(name)) throw this.duplicate(name, at);
    this.replaced.add(name);
    const existing = this.columns.findIndex((c) => c.name === name);
    if (existing >= 0) {
      this.columns[existing] = { name, type };
      return existing;
    }
    this.columns.push({ name, type });
    return this.columns.length - 1;
  }

  /** Gives an existing column a new name (project-rename). */
  rename(index: number, name: string): void {
    this.columns[index] = { name, type: this.columns[index]!.type };
  }

  /** The next generated name for an expression Kusto cannot name: Column1, Column2, ... */
  nextUnnamed(): string {
    return `Column${++this.unnamed}`;
  }
}

/** A bound reference to input column `index`. */
export function columnRef(c: ColumnSchema, index: number): BoundExpr {
  return { kind: 'column', type: c.type, index, name: c.name };
}

/** Functions whose result column is named after their (first) argument: tostring(d.k) is d_k, bin(Timestamp, 1h) is Timestamp. */
const NAMED_AFTER_ARGUMENT: ReadonlySet<string> = new Set([
  'tostring', 'toint', 'tolong', 'toreal', 'todouble', 'todecimal', 'tobool', 'toboolean', 'todatetime', 'totimespan',
  'toguid', 'todynamic', 'parse_json', 'abs', 'round', 'bin', 'floor', 'startofday', 'format_datetime', 'split',
]);

/** Functions whose result column name is built from their argument's: strlen(s) is strlen_s, array_sort_asc(d) is d_sorted. */
const NAME_FROM_ARGUMENT: Readonly<Record<string, (arg: string) => string>> = {
  strlen: (arg) => `strlen_${arg}`,
  array_sort_asc: (arg) => `${arg}_sorted`,
  array_sort_desc: (arg) => `${arg}_sorted`,
};

/**
 * The column name Kusto.Language infers for an expression, or undefined (then the operator's ColumnN):
 * a column's own name; `d.k` and `d["k"]` are d_k, `d[0]` is d_0; conversions and a few functions are
 * named after their argument (NAMED_AFTER_ARGUMENT, NAME_FROM_ARGUMENT). `callName`: the name of a call
 * that has one of its own (in summarize, an aggregation inside an expression: tostring(count()) is count_).
 */
export function expressionName(e: A.Expr, callName?: (call: A.CallExpr) => string | undefined): string | undefined {
  switch (e.kind) {
    case 'NameRef':
      return e.name === '*' ? undefined : e.name;
    case 'Member': {
      const target = expressionName(e.target, callName);
      return target === undefined ? undefined : `${target}_${e.member.name}`;
    }
    case 'Index': {
      const target = expressionName(e.target, callName);
      if (target === undefined || e.index.kind !== 'Literal' || (typeof e.index.value !== 'string' && typeof e.index.value !== 'number')) return undefined;
      return `${target}_${e.index.value}`;
    }
    case 'Call': {
      const own = callName?.(e);
      if (own !== undefined) return own;
      const fn = e.name.name;
      const arg = e.args[0] ? expressionName(e.args[0], callName) : undefined;
      if (arg === undefined) return undefined;
      if (NAMED_AFTER_ARGUMENT.has(fn)) return arg;
      return NAME_FROM_ARGUMENT[fn]?.(arg);
    }
    default:
      return undefined;
  }
}

/** Column-name prefix of each aggregation's result (`count_`, `set_DeviceName`); others are `<name>_<arg>`. */
const AGGREGATE_PREFIX: Readonly<Record<string, string>> = {
  count: 'count_', countif: 'countif_', dcount: 'dcount_', min: 'min_', max: 'max_', sum: 'sum_', avg: 'avg_',
  make_set: 'set_', make_list: 'list_', makeset: 'set_', makelist: 'list_',
};

/**
 * The result column of an aggregation call the query does not name: max(x) is max_x, count() is count_,
 * max(a*2) is max_; a function may name its own (percentile(x, 95) is percentile_x_95).
 */
export function aggregateColumnName(call: A.CallExpr, fn?: Pick<AggregateFunction, 'columnName'>, constants: readonly unknown[] = []): string {
  const name = call.name.name;
  const arg = !call.args[0] ? '' : expressionName(call.args[0]) ?? '';
  return fn?.columnName?.(arg, constants) ?? `${AGGREGATE_PREFIX[name] ?? name + '_'}${name === 'count' || name === 'countif' ? '' : arg}`;
}

/** How an assignment names its column: explicitly, after the expression, or not at all (undefined). */
export function assignmentName(a: A.Assignment, callName?: (call: A.CallExpr) => string | undefined): { name: string; origin: NameOrigin } | undefined {
  if (a.name) return { name: a.name.name, origin: 'declared' };
  const inferred = expressionName(a.expr, callName);
  if (inferred === undefined) return undefined;
  return { name: inferred, origin: a.expr.kind === 'NameRef' ? 'declared' : 'generated' };
}
