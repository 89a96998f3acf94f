// Compiles bound expressions to closures once per operator. Row-independent sub-expressions
// (literals, let values such as now(-5d), subquery results) are evaluated here, once, and their
// values handed to operators so they can prepare (a needle regex, a hash set) ahead of the rows.
import { childExpressions, type BoundExpr, type Span } from '../bound.js';
import { EvaluationFailure, KqlRuntimeError } from '../errors.js';
import { NOT_CONSTANT, type Compiled, type CompileContext, type ConstantArg } from '../functions/types.js';
import type { KqlType } from '../types.js';
import { windowFunction, type WindowCursor } from './window.js';

export interface CompiledExpr {
  readonly fn: Compiled;
  /** the value when the expression does not depend on the row, else NOT_CONSTANT */
  readonly constant: ConstantArg;
}

export interface CompileEnv extends CompileContext {
  /** the query text, so runtime errors can point into it */
  readonly queryText: string;
  /** values of subqueries, evaluated before compilation (see prepareSubqueries) */
  readonly subqueryValues: ReadonlyMap<BoundExpr, unknown>;
  /**
   * How a column is read. By default from an internal row array; a scan with pushed-down filters
   * reads straight from the provider's records so rejected rows are never converted.
   */
  readonly columnReader?: (index: number, name: string, type: KqlType) => Compiled;
  /** The row set and position window functions read (set by operators that hold one, see window.ts). */
  readonly window?: WindowCursor;
}

const EMPTY_ROW: unknown[] = [];

/**
 * Compiles an expression. A string-typed result is never null: Kusto's string type has no null
 * (https://learn.microsoft.com/kusto/query/scalar-data-types/null-values), so a computed string that
 * comes out null (iff/case branches, member access, a scalar subquery over no rows) becomes ''.
 * Columns already hold '' (scans, fills and datatables materialise strings that way).
 */
export function compileExpr(e: BoundExpr, env: CompileEnv): CompiledExpr {
  const compiled = compileRaw(e, env);
  if (e.type !== 'string' || e.kind === 'column') return compiled;
  if (compiled.constant !== NOT_CONSTANT) {
    if (compiled.constant !== null && compiled.constant !== undefined) return compiled;
    return { fn: () => '', constant: '' };
  }
  const f = compiled.fn;
  return { fn: (r) => { const v = f(r); return v === null || v === undefined ? '' : v; }, constant: NOT_CONSTANT };
}

function compileRaw(e: BoundExpr, env: CompileEnv): CompiledExpr {
  switch (e.kind) {
    case 'const': {
      const v = e.value;
      return { fn: () => v, constant: v };
    }
    case 'column': {
      if (env.columnReader) return { fn: env.columnReader(e.index, e.name, e.type), constant: NOT_CONSTANT };
      const i = e.index;
      return { fn: (r) => r[i], constant: NOT_CONSTANT };
    }
    case 'subquery': {
      if (!env.subqueryValues.has(e)) throw new Error('internal error: subquery was not prepared before compilation');
      const v = env.subqueryValues.get(e);
      return { fn: () => v, constant: v };
    }
    case 'negate': {
      const inner = compileExpr(e.operand, env);
      const f = inner.fn;
      return fold({ fn: (r) => { const v = f(r); return v === null || v === undefined ? null : -(v as number); }, constant: NOT_CONSTANT }, [inner]);
    }
    case 'member': {
      const target = compileExpr(e.target, env);
      const key = compileExpr(e.key, env);
      const t = target.fn;
      const k = key.fn;
      return fold({ fn: (r) => memberOf(t(r), k(r)), constant: NOT_CONSTANT }, [target, key]);
    }
    case 'call': {
      const args = e.args.map((a) => compileExpr(a, env));
      const fn = positioned(env, e.at, () => e.fn.compile(args.map((a) => a.fn), e.args.map((a) => a.type), env, args.map((a) => a.constant)));
      return positioned(env, e.at, () => fold({ fn, constant: NOT_CONSTANT }, args));
    }
    case 'window': {
      if (!env.window) throw new Error('internal error: a window function outside a windowed operator');
      return { fn: windowFunction(e.fn, e.args.map((a) => compileExpr(a, env)), env.window), constant: NOT_CONSTANT };
    }
    case 'op': {
      const args = e.args.map((a) => compileExpr(a, env));
      const fn = positioned(env, e.at, () => e.impl.compile(args.map((a) => a.fn), args.map((a) => a.constant), e.args.map((a) => a.type)));
      return positioned(env, e.at, () => fold({ fn, constant: NOT_CONSTANT }, args));
    }
  }
}

/** Runs `f`, turning an EvaluationFailure into a KqlRuntimeError at the node's position. */
export function positioned<T>(env: CompileEnv, at: Span, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof EvaluationFailure) throw new KqlRuntimeError(e.code, e.message, env.queryText, at.pos, Math.max(1, at.end - at.pos));
    throw e;
  }
}

/** When every input is constant the result is too: evaluate it now, once. */
function fold(compiled: CompiledExpr, inputs: readonly CompiledExpr[]): CompiledExpr {
  if (inputs.some((i) => i.constant === NOT_CONSTANT)) return compiled;
  const v = compiled.fn(EMPTY_ROW);
  return { fn: () => v, constant: v };
}

function memberOf(target: unknown, key: unknown): unknown {
  if (target === null || target === undefined) return null;
  if (Array.isArray(target)) {
    if (typeof key !== 'number') return null;
    const i = key < 0 ? target.length + key : key;
    const v = target[i];
    return v === undefined ? null : v;
  }
  if (typeof target === 'object') {
    const v = (target as Record<string, unknown>)[String(key)];
    return v === undefined ? null : v;
  }
  return null;
}

/** Subquery expressions reachable from `exprs` (not descending into their plans). */
export function subqueriesIn(exprs: readonly BoundExpr[]): BoundExpr[] {
  const out: BoundExpr[] = [];
  const walk = (e: BoundExpr): void => {
    if (e.kind === 'subquery') out.push(e);
    else childExpressions(e).forEach(walk);
  };
  exprs.forEach(walk);
  return out;
}
