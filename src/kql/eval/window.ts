// Window functions (https://learn.microsoft.com/kusto/query/window-functions): row_number(), prev()
// and next() read a row's position in a serialized row set, so an operator that holds one runs over
// its whole input in order, with a cursor the compiled functions read.
//   row_number([StartingIndex [, Restart]]): StartingIndex (default 1) for the first row, one more for
//     each next row; a row whose Restart is true starts again at StartingIndex
//     (https://learn.microsoft.com/kusto/query/row-number-function).
//   prev(column, [offset [, default]]) / next(...): the column's value `offset` (default 1) rows
//     before / after, else the default (null) (https://learn.microsoft.com/kusto/query/prev-function).
import { childExpressions, type BoundExpr, type BoundPlan, type WindowFunction } from '../bound.js';
import { EvaluationFailure } from '../errors.js';
import { NOT_CONSTANT, type Compiled } from '../functions/types.js';
import type { CompiledExpr } from './compile.js';
import { collect, compileAll, OUT_BATCH, type Batch, type ExecContext } from './execute.js';

export interface WindowCursor {
  rows: readonly unknown[][];
  index: number;
}

type Windowed = Extract<BoundPlan, { kind: 'extend' | 'project' | 'where' }>;

export function hasWindow(exprs: readonly BoundExpr[]): boolean {
  return exprs.some((e) => e.kind === 'window' || hasWindow(childExpressions(e)));
}

function constantArg(arg: CompiledExpr | undefined, fallback: unknown, what: string): unknown {
  if (!arg) return fallback;
  if (arg.constant === NOT_CONSTANT) throw new EvaluationFailure('KQL110', `${what} must be a constant`);
  return arg.constant;
}

export function windowFunction(fn: WindowFunction, args: readonly CompiledExpr[], cursor: WindowCursor): Compiled {
  if (fn === 'row_number') {
    const start = Number(constantArg(args[0], 1, 'the starting index of row_number()'));
    const restart = args[1]?.fn;
    // rows are visited once each, in order: the number is a running count
    let n = start - 1;
    let last = -1;
    return (r) => {
      if (cursor.index !== last) {
        last = cursor.index;
        n = cursor.index === 0 || (restart && restart(r) === true) ? start : n + 1;
      }
      return n;
    };
  }
  const value = args[0]!.fn;
  const offset = Number(constantArg(args[1], 1, `the offset of ${fn}()`));
  const fallback = constantArg(args[2], null, `the default of ${fn}()`);
  const step = fn === 'prev' ? -offset : offset;
  return () => {
    const other = cursor.rows[cursor.index + step];
    return other === undefined ? fallback : value(other);
  };
}

/** extend / project / where holding a window function: the input is read whole, then each row in order. */
export async function* runWindowed(plan: Windowed, ctx: ExecContext): AsyncGenerator<Batch> {
  const rows = await collect(plan.input, ctx);
  const cursor: WindowCursor = { rows, index: 0 };
  const exprs = plan.kind === 'where' ? [plan.predicate] : plan.exprs;
  const fns = await compileAll(exprs, ctx, { window: cursor });
  const width = plan.schema.length;
  let out: Batch = [];
  for (let i = 0; i < rows.length; i++) {
    cursor.index = i;
    const r = rows[i]!;
    if (plan.kind === 'where') {
      if (fns[0]!(r) === true) out.push(r);
    } else if (plan.kind === 'project') {
      out.push(fns.map((f) => f(r)));
    } else {
      const o = r.slice();
      o.length = width;
      for (let k = 0; k < fns.length; k++) o[plan.targets[k]!] = fns[k]!(o);
      out.push(o);
    }
    if (out.length >= OUT_BATCH) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}
