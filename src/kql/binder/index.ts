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
import { Scope } from './scope.js';

export { PoisonedReference } from './scope.js';
export { INGESTION_TIME_COLUMN } from './calls.js';

type At = { readonly pos: number; readonly end: number };

export class Binder {
  readonly scope: Scope;
  private materializeIds = 0;
  /** whether the operator being bound reads a serialized row set (window functions are allowed), see windows.ts */
  windowInput = false;
  /** what the query does that the engine accepts but ignores (render), for the result's notes */
  readonly notes: string[] = [];
  /**
   * What evaluate() learned from the data for operators whose columns depend on it, by operator
   * position (evaluate.ts); undefined when binding without data (lint).
   */
  discoveries?: ReadonlyMap<number, Discovery>;

  constructor(
    private readonly text: string,
    catalogue: Pick<SchemaCatalogue, 'schemaOf'>,
    readonly functions: FunctionRegistry,
  ) {
    this.scope = new Scope(catalogue);
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

  tabular(e: A.Expr): BoundPlan {
    return bindTabular(this, e);
  }

  /** The index of a named input column, or an unknown-column error with a suggestion. */
  columnIndex(id: A.Identifier, row: readonly ColumnSchema[], where = 'input'): number {
    const i = row.findIndex((c) => c.name === id.name);
    if (i < 0) throw this.error('KQL102', `unknown column '${id.name}' in the ${where}${didYouMean(id.name, row.map((c) => c.name), 'column names')}`, id);
    return i;
  }

  /** Binds `f` with window functions allowed or not, then restores the outer operator's setting. */
  withWindowInput<T>(allowed: boolean, f: () => T): T {
    const outer = this.windowInput;
    this.windowInput = allowed;
    try {
      return f();
    } finally {
      this.windowInput = outer;
    }
  }

  nextMaterializeId(): number {
    return ++this.materializeIds;
  }

  /** Binds one statement; lint calls this per statement to report each failure once. */
  bindStatement(statement: A.Statement): BoundPlan | undefined {
    switch (statement.kind) {
      case 'Let': {
        const name = statement.name.name;
        try {
          const value = statement.value;
          this.scope.define(
            name,
            value.kind === 'FunctionDef'
              ? { kind: 'function', fn: defineFunction(this, name, value) }
              : this.scope.isTabular(value, [])
                ? { kind: 'tabular', plan: this.tabular(value) }
                : { kind: 'scalar', expr: this.scalar(value, []) },
          );
        } catch (e) {
          this.scope.define(name, { kind: 'poisoned' });
          throw e;
        }
        return undefined;
      }
      case 'ExprStatement':
        if (!this.scope.isTabular(statement.expr, [])) {
          // a scalar expression statement is evaluated like `print`
          const expr = this.scalar(statement.expr, []);
          return { kind: 'project', schema: [{ name: 'print_0', type: expr.type }], input: { kind: 'rows', schema: [], rows: [[]] }, exprs: [expr] };
        }
        return this.tabular(statement.expr);
      case 'UnsupportedStatement':
        throw this.error('KQL106', `${statement.what} are not supported`, statement);
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
