// Resolves names against the schema catalogue, let statements and the function registry, infers
// types, and produces the bound plan the evaluator runs. Everything it does not know how to run is
// rejected here with a positioned error, so nothing is silently ignored at run time.
//
// Split by role, as Kusto.Language's binder is: scope.ts (names and lets), columns.ts (the one column
// builder and naming rules), expressions.ts (scalar expressions and operators), calls.ts (function
// calls and their argument check), queryOperators.ts (tabular sources and row operators),
// projection.ts and summarize.ts (operators that make columns). This file holds the shared state.
import * as A from '../ast.js';
import type { BoundExpr, BoundPlan } from '../bound.js';
import { KqlBindError, type KqlErrorCode } from '../errors.js';
import type { FunctionRegistry } from '../functions/types.js';
import { didYouMean } from '../suggest.js';
import type { ColumnSchema, SchemaCatalogue } from '../types.js';
import { bindScalar } from './expressions.js';
import type { Discovery } from './evaluate.js';
import { defineFunction } from './functions.js';
import { bindTabular } from './queryOperators.js';
import { PoisonedReference, Scope, type LetBinding } from './scope.js';

export { PoisonedReference } from './scope.js';
export { INGESTION_TIME_COLUMN } from './calls.js';

type At = { readonly pos: number; readonly end: number };

/**
 * What an aggregation call binds to where the binder meets one. In a summarize output expression
 * (`output`) it becomes one of the group's aggregates, read by the expression through `slot`, and the
 * expression may read the `input` columns only through such calls; inside an aggregation's arguments
 * (`argument`) another aggregation is refused. Elsewhere (undefined) aggregations are refused too.
 */
export type AggregationScope =
  | { readonly kind: 'output'; readonly input: readonly ColumnSchema[]; slot(call: A.CallExpr): BoundExpr }
  | { readonly kind: 'argument' };

export interface BinderOptions {
  /**
   * Lint mode: a bind error is recorded in `diagnostics` and binding goes on, as Kusto.Language does,
   * so every problem is reported; what failed (a column, a table, a let) is then "poisoned" and its uses
   * are not reported again. Without it the first error throws (compiling a query to run it).
   */
  readonly recover?: boolean;
}

export class Binder {
  readonly scope: Scope;
  /** the bind errors recorded in lint mode, in the order they were found */
  readonly diagnostics: KqlBindError[] = [];
  private readonly recover: boolean;
  private materializeIds = 0;
  /** whether the operator being bound reads a serialized row set (window functions are allowed), see windows.ts */
  windowInput = false;
  /** where aggregation calls are being bound, if anywhere (summarize.ts) */
  aggregation: AggregationScope | undefined;
  /** what the query does that the engine accepts but ignores (render), for the result's notes */
  readonly notes: string[] = [];
  /**
   * What evaluate() learned from the data for operators whose columns depend on it, by operator
   * position (evaluate.ts); undefined when binding without data (lint).
   */
  discoveries?: ReadonlyMap<number, Discovery>;
  /** columns whose expression failed to bind */
  private readonly poisonedColumns = new WeakSet<ColumnSchema>();
  /** rows whose columns are not known (the table or operator that made them failed): any name is silently poisoned */
  private readonly openRows = new WeakSet<readonly ColumnSchema[]>();

  constructor(
    private readonly text: string,
    catalogue: Pick<SchemaCatalogue, 'schemaOf'>,
    readonly functions: FunctionRegistry,
    options: BinderOptions = {},
  ) {
    this.scope = new Scope(catalogue);
    this.recover = options.recover ?? false;
  }

  // ---------- recovery (lint mode) ----------

  /**
   * Runs `bind`. In lint mode a bind error is recorded and `fallback` used instead, and a use of
   * something that already failed (PoisonedReference) falls back silently; otherwise errors propagate.
   */
  attempt<T>(bind: () => T, fallback: (failure: KqlBindError | PoisonedReference) => T): T {
    try {
      return bind();
    } catch (e) {
      if (e instanceof PoisonedReference) return fallback(e);
      if (this.recover && e instanceof KqlBindError) {
        this.diagnostics.push(e);
        return fallback(e);
      }
      throw e;
    }
  }

  /** Binds every item, so each mistake among them is reported; if any failed, the whole is abandoned (silently). */
  each<T, R>(items: readonly T[], bind: (item: T) => R): R[] {
    if (!this.recover) return items.map(bind);
    let failed = false;
    const out = items.map((x) => this.attempt<R | undefined>(() => bind(x), () => ((failed = true), undefined)));
    if (failed) throw new PoisonedReference('');
    return out as R[];
  }

  /**
   * Binds the expression of a column an operator declares. In lint mode a failure is recorded and the
   * result is undefined: the operator still declares the column (see column()), poisoned.
   */
  columnExpr(e: A.Expr, row: readonly ColumnSchema[]): BoundExpr | undefined {
    return this.attempt<BoundExpr | undefined>(() => this.scalar(e, row), () => undefined);
  }

  /** The expression to put in the plan for a declared column: a failed one is poisoned (lint never runs the plan). */
  column(expr: BoundExpr | undefined, declared: ColumnSchema): BoundExpr {
    if (expr) return expr;
    this.poisonedColumns.add(declared);
    return { kind: 'const', type: 'dynamic', value: null };
  }

  /**
   * A plan standing for a source or operator that failed. `open`: its columns are not known (an operator
   * we do not run), so names read from it are not reported; otherwise it has no columns (an unknown
   * table), and names read from it are unknown, as Kusto.Language reports them.
   */
  unknownPlan(open: boolean): BoundPlan {
    const schema: ColumnSchema[] = [];
    if (open) this.markUnknown(schema);
    return { kind: 'rows', rows: [], schema };
  }

  /** Marks `output` unknown when `input` is (an operator over an unknown table). */
  inherit(input: readonly ColumnSchema[], output: readonly ColumnSchema[]): void {
    if (this.openRows.has(input)) this.openRows.add(output);
  }

  /** Marks a row as not fully known (a summarize whose arg_max failed): names it lacks are poisoned, not unknown. */
  markUnknown(row: readonly ColumnSchema[]): void {
    this.openRows.add(row);
  }

  /** The column of that name in `row`; a poisoned column, or any name in an unknown row, is a PoisonedReference. */
  lookupColumn(name: string, row: readonly ColumnSchema[]): number | undefined {
    const i = row.findIndex((c) => c.name === name);
    if (i >= 0 && this.poisonedColumns.has(row[i]!)) throw new PoisonedReference(name);
    if (i < 0 && this.openRows.has(row)) throw new PoisonedReference(name);
    return i < 0 ? undefined : i;
  }

  error(code: KqlErrorCode, message: string, node: At): KqlBindError {
    return new KqlBindError(code, message, this.text, node.pos, Math.max(1, node.end - node.pos));
  }

  /** The error for a column name declared twice by one operator. */
  duplicateColumn(where?: string): (name: string, at: At) => KqlBindError {
    return (name, at) => this.error('KQL108', `a column named '${name}' is already declared${where ? ' ' + where : ''}`, at);
  }

  scalar(e: A.Expr, row: readonly ColumnSchema[]): BoundExpr {
    return bindScalar(this, e, row);
  }

  /** A tabular expression (a subquery starts outside any aggregation). */
  tabular(e: A.Expr): BoundPlan {
    return this.withAggregation(undefined, () => bindTabular(this, e));
  }

  /**
   * A tabular input (of a pipe, join, union, let); in lint mode one that fails is a plan without
   * columns, so binding goes on. It is open (names read from it not reported) unless it is a let that
   * failed for a reason other than a construct we do not run, as Kusto.Language reports them:
   * `NoTable | where X` reports NoTable only, `let t = NoTable; t | where X` reports X too.
   */
  source(e: A.Expr): BoundPlan {
    return this.attempt(() => this.tabular(e), (failure) => this.unknownPlan(failure instanceof KqlBindError || failure.open));
  }

  /** The index of a named input column, or an unknown-column error with a suggestion. */
  columnIndex(id: A.Identifier, row: readonly ColumnSchema[], where = 'input'): number {
    const i = this.lookupColumn(id.name, row);
    if (i === undefined) throw this.error('KQL102', `unknown column '${id.name}' in the ${where}${didYouMean(id.name, row.map((c) => c.name), 'column names')}`, id);
    return i;
  }

  /** Binds `f` with window functions allowed or not, then restores the outer operator's setting. */
  withWindowInput<T>(allowed: boolean, f: () => T): T {
    return this.settingWhile('windowInput', allowed, f);
  }

  /** Binds `f` with aggregation calls bound as `scope` says, then restores the outer setting. */
  withAggregation<T>(scope: AggregationScope | undefined, f: () => T): T {
    return this.settingWhile('aggregation', scope, f);
  }

  /** Runs `f` with one of the binder's per-operator settings changed, then restores it. */
  private settingWhile<K extends 'windowInput' | 'aggregation', T>(key: K, value: this[K], f: () => T): T {
    const outer = this[key];
    this[key] = value;
    try {
      return f();
    } finally {
      this[key] = outer;
    }
  }

  nextMaterializeId(): number {
    return ++this.materializeIds;
  }

  /** Binds one statement; returns its plan when it is a query. */
  bindStatement(statement: A.Statement): BoundPlan | undefined {
    switch (statement.kind) {
      case 'Let': {
        const name = statement.name.name;
        const value = statement.value;
        const binding = this.attempt<LetBinding>(
          () =>
            value.kind === 'FunctionDef'
              ? { kind: 'function', fn: defineFunction(this, name, value) }
              : this.scope.isTabular(value, [])
                ? { kind: 'tabular', plan: this.source(value) }
                : { kind: 'scalar', expr: this.scalar(value, []) },
          (failure) => ({ kind: 'poisoned', open: failure instanceof KqlBindError ? failure.code === 'KQL106' : failure.open }),
        );
        this.scope.define(name, binding);
        return undefined;
      }
      case 'ExprStatement':
        return this.attempt<BoundPlan | undefined>(() => {
          if (this.scope.isTabular(statement.expr, [])) return this.tabular(statement.expr);
          // a scalar expression statement is evaluated like `print`
          const expr = this.scalar(statement.expr, []);
          return { kind: 'project', schema: [{ name: 'print_0', type: expr.type }], input: { kind: 'rows', schema: [], rows: [[]] }, exprs: [expr] };
        }, () => this.unknownPlan(true));
      case 'UnsupportedStatement':
        this.attempt(() => {
          throw this.error('KQL106', `${statement.what} are not supported`, statement);
        }, () => undefined);
        return undefined;
      default:
        return A.assertNever(statement, 'statement');
    }
  }

  /** The plan of the last expression statement, if it is tabular. */
  bindScript(script: A.Script): BoundPlan | undefined {
    let query: BoundPlan | undefined;
    for (const st of script.statements) query = this.bindStatement(st) ?? query;
    return query;
  }
}
