// What the filters straight over a table scan tell the table provider (ScanHints in types.ts): the
// filters themselves, split at `and` and cheapest first; the DeviceId list of `DeviceId in (...)`; and
// the texts a row must contain to pass `has 'Vendor'` and its kin. Only conjuncts directly over the
// scan are used, and only when the operand is a string column and the other side a constant: the
// hint then holds for every row the query keeps.
import { childExpressions, type BoundExpr } from '../bound.js';
import { NOT_CONSTANT } from '../functions/types.js';
import { flattenListItems } from '../operators.js';
import type { KqlType, ScanHints } from '../types.js';
import { compileExpr, type CompileEnv } from './compile.js';

/** The conjuncts of the filters: `where a and b` keeps a row exactly when a and b are both true. */
export function conjuncts(predicates: readonly BoundExpr[]): BoundExpr[] {
  const out: BoundExpr[] = [];
  const split = (e: BoundExpr): void => {
    if (e.kind === 'op' && e.impl.name === 'and') e.args.forEach(split);
    else out.push(e);
  };
  predicates.forEach(split);
  return out;
}

export function columnsOf(e: BoundExpr): { readonly name: string; readonly type: KqlType }[] {
  const out = new Map<string, KqlType>();
  const walk = (x: BoundExpr): void => {
    if (x.kind === 'column') out.set(x.name, x.type);
    else childExpressions(x).forEach(walk);
  };
  walk(e);
  return [...out].map(([name, type]) => ({ name, type }));
}

/** Operators whose match implies the constant needle occurs in the value (ASCII case aside). */
const CONTAINMENT = new Set(
  ['has', 'hasprefix', 'hassuffix', 'contains', 'startswith', 'endswith'].flatMap((op) => [op, `${op}_cs`]).concat(['==', '=~']),
);

function constantValue(e: BoundExpr, env: CompileEnv): unknown {
  const c = compileExpr(e, env).constant;
  return c === NOT_CONSTANT ? NOT_CONSTANT : c;
}

/** The constant string items of a list operator, or undefined when any is not a constant string. */
function constantStrings(items: readonly BoundExpr[], env: CompileEnv): string[] | undefined {
  const values: unknown[] = [];
  for (const item of items) {
    const v = constantValue(item, env);
    if (v === NOT_CONSTANT) return undefined;
    values.push(v);
  }
  const flat = flattenListItems(values);
  return flat.every((v) => typeof v === 'string') ? (flat as string[]) : undefined;
}

export function scanHints(conjunctList: readonly BoundExpr[], env: CompileEnv): Omit<ScanHints, 'filters'> {
  let keyIn: ScanHints['keyIn'];
  const mustContain: string[][] = [];
  for (const e of conjunctList) {
    if (e.kind !== 'op') continue;
    const [operand, ...rest] = e.args;
    if (operand?.kind !== 'column' || operand.type !== 'string') continue;
    const op = e.impl.name;
    if (CONTAINMENT.has(op) && rest.length === 1) {
      const needle = constantValue(rest[0]!, env);
      if (typeof needle === 'string' && needle !== '') mustContain.push([needle]);
    } else if (op === 'in' || op === 'in~' || op === 'has_any') {
      const items = constantStrings(rest, env);
      if (items === undefined) continue;
      // has_any ignores empty needles; `in` with an empty item can match an empty value
      const needles = op === 'has_any' ? items.filter((n) => n !== '') : items;
      if (needles.length > 0 && needles.every((n) => n !== '')) mustContain.push(needles);
      if (op === 'in' && keyIn === undefined) keyIn = { column: operand.name, values: new Set(items) };
    }
  }
  return { ...(keyIn ? { keyIn } : {}), ...(mustContain.length > 0 ? { mustContain } : {}) };
}
