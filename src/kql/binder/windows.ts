// Serialized row sets and the window functions that need one
// (https://learn.microsoft.com/kusto/query/window-functions): sort and top emit a serialized row set,
// serialize makes one, and extend, project, where, take, mv-expand, parse, project-away and
// project-rename keep one. row_number(), prev() and next() are accepted only in extend, project, where
// and serialize over such a row set; elsewhere they are an error naming the function, as Kusto
// refuses them at run time.
import type * as A from '../ast.js';
import { childExpressions, type BoundExpr, type BoundPlan, type WindowFunction } from '../bound.js';
import { isNumericType } from '../functions/types.js';
import type { ColumnSchema } from '../types.js';
import { bindExtend } from './projection.js';
import type { Binder } from './index.js';

export const WINDOW_FUNCTIONS: ReadonlySet<string> = new Set<WindowFunction>(['row_number', 'prev', 'next']);

export function isSerialized(plan: BoundPlan): boolean {
  switch (plan.kind) {
    case 'sort':
    case 'serialize':
      return true;
    case 'extend':
    case 'project':
    case 'where':
    case 'take':
    case 'mvexpand':
    case 'parse':
      return isSerialized(plan.input);
    default:
      return false;
  }
}

export function bindWindowCall(b: Binder, e: A.CallExpr, row: readonly ColumnSchema[]): BoundExpr {
  const fn = e.name.name as WindowFunction;
  if (!b.windowInput) {
    throw b.error('KQL106', `${fn}() needs a serialized row set: use it in extend, project or where after serialize, sort or top`, e.name);
  }
  const args = e.args.map((x) => b.scalar(x, row));
  const [min, max] = fn === 'row_number' ? [0, 2] : [1, 3];
  if (args.length < min || args.length > max) throw b.error('KQL105', `${fn}() takes ${min} to ${max} arguments, got ${args.length}`, e);
  const offset = fn === 'row_number' ? 0 : 1;
  const count = args[offset];
  if (count && !isNumericType(count.type)) throw b.error('KQL104', `${fn}(): argument ${offset + 1} must be a number`, e.args[offset]!);
  if (fn === 'row_number' && args[1] && args[1].type !== 'bool') throw b.error('KQL104', 'row_number(): the restart argument must be bool', e.args[1]!);
  if (args.slice(0, fn === 'row_number' ? 0 : 1).some(hasWindowCall)) throw b.error('KQL106', `${fn}() of a window function is not supported`, e);
  return { kind: 'window', type: fn === 'row_number' ? 'long' : args[0]!.type, fn, args, at: e };
}

function hasWindowCall(e: BoundExpr): boolean {
  return e.kind === 'window' || childExpressions(e).some(hasWindowCall);
}

/** serialize [Name = Expr, ...]: the row set is serialized from here; the columns are computed as extend would. */
export function bindSerialize(b: Binder, op: A.SerializeOp, input: BoundPlan): BoundPlan {
  const serialized: BoundPlan = { kind: 'serialize', input, schema: input.schema };
  if (op.columns.length === 0) return serialized;
  return b.withWindowInput(true, () => bindExtend(b, { kind: 'Extend', columns: op.columns, pos: op.pos, end: op.end }, serialized));
}
