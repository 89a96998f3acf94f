// Numbers, orderings and sets: cheap functions hunting queries use, each as its doc page says.
import { compareNonNull, groupKey } from '../values.js';
import { expecting, returns, simple, NUMERIC, STRINGY } from './define.js';
import { isNumericType, promoteNumeric, type ScalarFunction, type TypeResult } from './types.js';
import type { KqlType } from '../types.js';

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** A real result, null where the function has none (log of a non-positive number, sqrt of a negative one). */
const real = (f: (x: number) => number) => (v: unknown) => {
  const x = num(v);
  if (x === null) return null;
  const y = f(x);
  return Number.isNaN(y) ? null : y;
};

/** min_of / max_of: "all arguments must be of the same type"; numbers may mix (the widest wins). */
function sameType(types: readonly KqlType[]): TypeResult {
  let t = types[0]!;
  for (let i = 1; i < types.length; i++) {
    const u = types[i]!;
    if (u === t || u === 'dynamic') continue;
    if (isNumericType(t) && isNumericType(u)) t = promoteNumeric(t, u);
    else if (t === 'dynamic') t = u;
    else return { error: `all arguments must have one type (${t}, ${u})`, argIndex: i };
  }
  return { type: t };
}

/** "Non-null values take precedence to null values" (https://learn.microsoft.com/kusto/query/min-of-function). */
const extreme = (sign: 1 | -1) => (...values: unknown[]) => {
  let best: unknown = null;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (best === null || compareNonNull(v, best) * sign > 0) best = v;
  }
  return best;
};

const distinct = (items: readonly unknown[]): unknown[] => {
  const seen = new Set<string>();
  return items.filter((x) => {
    const k = groupKey(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

const arrays = (values: readonly unknown[]): unknown[][] | null => (values.every(Array.isArray) ? (values as unknown[][]) : null);

export const mathFunctions: readonly ScalarFunction[] = [
  // https://learn.microsoft.com/kusto/query/exp-function, log-function, log2-function, log10-function, pow-function, sqrt-function
  simple('exp', 1, 1, expecting('real', NUMERIC), real(Math.exp)),
  simple('log', 1, 1, expecting('real', NUMERIC), real((x) => (x > 0 ? Math.log(x) : NaN))),
  simple('log2', 1, 1, expecting('real', NUMERIC), real((x) => (x > 0 ? Math.log2(x) : NaN))),
  simple('log10', 1, 1, expecting('real', NUMERIC), real((x) => (x > 0 ? Math.log10(x) : NaN))),
  simple('sqrt', 1, 1, expecting('real', NUMERIC), real((x) => (x >= 0 ? Math.sqrt(x) : NaN))),
  simple('pow', 2, 2, expecting('real', NUMERIC), (b, e) => {
    const x = num(b);
    const y = num(e);
    return x === null || y === null || Number.isNaN(x ** y) ? null : x ** y;
  }),
  simple('min_of', 2, 64, sameType, extreme(-1)),
  simple('max_of', 2, 64, sameType, extreme(1)),
  // https://learn.microsoft.com/kusto/query/strcmp-function: 1, 0 or -1, ordinal
  simple('strcmp', 2, 2, expecting('long', STRINGY), (a, b) => {
    const x = String(a ?? '');
    const y = String(b ?? '');
    return x < y ? -1 : x > y ? 1 : 0;
  }),
  // https://learn.microsoft.com/kusto/query/array-slice-function: start and end inclusive, negative from the end
  simple('array_slice', 3, 3, expecting('dynamic', ['dynamic'], NUMERIC), (a, s, e) => {
    if (!Array.isArray(a)) return null;
    const at = (i: unknown) => (Number(i) < 0 ? a.length + Number(i) : Number(i));
    return a.slice(Math.max(0, at(s)), Math.max(0, at(e) + 1));
  }),
  simple('array_reverse', 1, 1, returns('dynamic'), (a) => (Array.isArray(a) ? [...a].reverse() : null)),
  // https://learn.microsoft.com/kusto/query/array-sum-function: null when an element is not a number
  simple('array_sum', 1, 1, returns('real'), (a) => (Array.isArray(a) && a.every((x) => typeof x === 'number') ? a.reduce((s: number, x) => s + (x as number), 0) : null)),
  // https://learn.microsoft.com/kusto/query/set-union-function, set-intersect-function, set-difference-function: distinct values
  simple('set_union', 2, 64, returns('dynamic'), (...v) => {
    const a = arrays(v);
    return a ? distinct(a.flat()) : null;
  }),
  simple('set_intersect', 2, 64, returns('dynamic'), (...v) => {
    const a = arrays(v);
    if (!a) return null;
    const others = a.slice(1).map((x) => new Set(x.map(groupKey)));
    return distinct(a[0]!).filter((x) => others.every((o) => o.has(groupKey(x))));
  }),
  simple('set_difference', 2, 64, returns('dynamic'), (...v) => {
    const a = arrays(v);
    if (!a) return null;
    const others = new Set(a.slice(1).flat().map(groupKey));
    return distinct(a[0]!).filter((x) => !others.has(groupKey(x)));
  }),
];
