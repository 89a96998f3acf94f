// User-defined functions (https://learn.microsoft.com/kusto/query/functions/user-defined-functions) and
// invoke (https://learn.microsoft.com/kusto/query/invoke-operator). A function is bound again at each
// call, with its parameters bound to the call's arguments: a scalar argument is bound in the caller's
// row, so the body's expression runs on the caller's rows; a tabular argument is the caller's plan. The
// body sees its parameters, its own lets and the lets defined before the function, not the caller's
// columns. A missing argument takes the parameter's default; `T | invoke f(a)` passes T as the first.
import type * as A from '../ast.js';
import type { BoundExpr, BoundPlan } from '../bound.js';
import { isNumericType } from '../functions/types.js';
import type { ColumnSchema, KqlType } from '../types.js';
import type { Binder } from './index.js';
import { PoisonedReference, type LetBinding, type UserFunction } from './scope.js';

/** What a call binds to: a scalar expression or a table, asked for by the caller's context. */
export interface CallResult {
  expr(): BoundExpr;
  plan(): BoundPlan;
}

/** Defines `let name = (params) { body }`: checks the body once, with stand-ins for the parameters. */
export function defineFunction(b: Binder, name: string, def: A.FunctionDefExpr): UserFunction {
  const lets = b.scope.snapshot();
  const stand: Map<string, LetBinding> = new Map(lets);
  let checkable = true;
  for (const p of def.params) {
    if (p.type !== 'table') stand.set(p.name.name, { kind: 'scalar', expr: standIn(p.name.name, p.type) });
    else if (p.columns) stand.set(p.name.name, { kind: 'tabular', plan: { kind: 'rows', rows: [], schema: declared(p.columns) } });
    else {
      // a (*) table: its columns are known only at a call, so the body is checked there
      stand.set(p.name.name, { kind: 'tabular', plan: { kind: 'rows', rows: [], schema: [] } });
      checkable = false;
    }
  }
  const last = def.body[def.body.length - 1] as A.ExprStatement;
  const tabular = b.scope.within(stand, () => {
    for (const st of def.body.slice(0, -1)) {
      try {
        b.bindStatement(st);
      } catch (e) {
        if (checkable) throw e;
      }
    }
    return b.scope.isTabular(last.expr, []);
  });
  const fn: UserFunction = { name, def, tabular, lets };
  if (checkable) b.scope.within(stand, () => bindBody(b, fn));
  return fn;
}

/** A parameter's stand-in while the body is checked: typed, never evaluated, never constant. */
function standIn(name: string, type: KqlType): BoundExpr {
  return { kind: 'column', type, index: -1, name };
}

function declared(columns: readonly A.ColumnDecl[]): ColumnSchema[] {
  return columns.map((c) => ({ name: c.name.name, type: c.type }));
}

function bindBody(b: Binder, fn: UserFunction): { expr?: BoundExpr; plan?: BoundPlan } {
  const body = fn.def.body;
  for (const st of body.slice(0, -1)) b.bindStatement(st);
  const last = (body[body.length - 1] as A.ExprStatement).expr;
  return fn.tabular ? { plan: b.tabular(last) } : { expr: b.scalar(last, []) };
}

function fits(arg: KqlType, param: KqlType): boolean {
  return arg === param || param === 'dynamic' || arg === 'dynamic' || (isNumericType(arg) && isNumericType(param));
}

/**
 * Binds a call of a user-defined function. `piped`: the tables before the call's own arguments (invoke's
 * input). `row`: the caller's columns, where scalar arguments are bound.
 */
export function callUserFunction(b: Binder, call: A.CallExpr, piped: readonly BoundPlan[], row: readonly ColumnSchema[] = []): CallResult {
  const name = call.name.name;
  const binding = b.scope.let(name);
  if (binding?.kind === 'poisoned') throw new PoisonedReference(name);
  if (binding?.kind !== 'function') throw b.error('KQL103', `'${name}' is not a function`, call.name);
  const fn = binding.fn;
  const params = fn.def.params;
  const given = piped.length + call.args.length;
  if (given > params.length) throw b.error('KQL105', `${name}() takes ${params.length} argument${params.length === 1 ? '' : 's'}, got ${given}`, call);
  const lets = new Map(fn.lets);
  params.forEach((p, i) => {
    const at = i < piped.length ? call : i - piped.length < call.args.length ? call.args[i - piped.length]! : undefined;
    if (p.type === 'table') {
      if (!at) throw b.error('KQL105', `${name}(): the table argument '${p.name.name}' is missing`, call);
      const plan = i < piped.length ? piped[i]! : b.tabular(call.args[i - piped.length]!);
      for (const c of p.columns ?? []) {
        const have = plan.schema.find((x) => x.name === c.name.name);
        if (!have || !fits(have.type, c.type)) throw b.error('KQL104', `${name}(): the table for '${p.name.name}' needs a column ${c.name.name}:${c.type}`, at);
      }
      lets.set(p.name.name, { kind: 'tabular', plan });
      return;
    }
    let expr: BoundExpr;
    if (at && i >= piped.length) expr = b.scalar(call.args[i - piped.length]!, row);
    else if (p.defaultValue) expr = b.scope.within(fn.lets, () => b.scalar(p.defaultValue!, []));
    else throw b.error('KQL105', `${name}(): the argument '${p.name.name}' is missing (it has no default)`, call);
    if (!fits(expr.type, p.type)) throw b.error('KQL104', `${name}(): '${p.name.name}' is ${p.type}, not ${expr.type}`, at ?? call);
    lets.set(p.name.name, { kind: 'scalar', expr });
  });
  // a function sees only the lets before it, itself not among them: a call can never recurse
  const bound = b.scope.within(lets, () => bindBody(b, fn));
  return {
    expr() {
      if (!bound.expr) throw b.error('KQL112', `${name}() returns a table; a scalar value is needed here`, call);
      return bound.expr;
    },
    plan() {
      if (!bound.plan) throw b.error('KQL111', `${name}() returns a scalar, not a table`, call);
      return bound.plan;
    },
  };
}

/** `f` written without parentheses: a call with no arguments (Kusto allows it for functions without parameters). */
export function nameCall(ref: A.NameRef): A.CallExpr {
  return { kind: 'Call', name: { kind: 'Identifier', name: ref.name, pos: ref.pos, end: ref.end }, args: [], pos: ref.pos, end: ref.end };
}

/** `T | invoke f(args)`: f(T, args). */
export function bindInvoke(b: Binder, op: A.InvokeOp, input: BoundPlan): BoundPlan {
  const binding = b.scope.let(op.call.name.name);
  if (binding?.kind === 'function' && binding.fn.def.params[0]?.type !== 'table') {
    throw b.error('KQL104', `invoke needs a function whose first parameter is a table; ${op.call.name.name}() has none`, op.call.name);
  }
  return callUserFunction(b, op.call, [input]).plan();
}
