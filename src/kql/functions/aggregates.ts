// Aggregation functions. Nulls are ignored, as documented for count/countif/dcount/make_*/sum:
// https://learn.microsoft.com/en-us/kusto/query/scalar-data-types/null-values
import { EvaluationFailure } from '../errors.js';
import type { KqlType } from '../types.js';
import { compareNonNull, groupKey } from '../values.js';
import { asBag, toDynamicElement } from './dynamicValues.js';
import { NOT_CONSTANT, isNumericType, type Accumulator, type AggregateFunction, type Compiled, type ConstantArg, type TypeResult } from './types.js';

/** Documented default size limit of make_set/make_list. */
const MAKE_COLLECTION_DEFAULT_LIMIT = 1_048_576;

const isNull = (v: unknown) => v === null || v === undefined;

function limitArg(constants: readonly ConstantArg[], index: number): number {
  const c = constants[index];
  if (c === undefined) return MAKE_COLLECTION_DEFAULT_LIMIT;
  if (c === NOT_CONSTANT || typeof c !== 'number' || c < 1) {
    throw new EvaluationFailure('KQL203', 'the size limit of make_set/make_list/make_bag must be a positive constant');
  }
  return c;
}

const sameAsArg = (types: readonly KqlType[]): TypeResult => ({ type: types[0] === 'int' ? 'int' : types[0]! });


export const aggregateFunctions: readonly AggregateFunction[] = [
  {
    name: 'count',
    // the documented form is count() (https://learn.microsoft.com/kusto/query/count-aggregation-function);
    // Kusto.Language also takes a bool argument, whose meaning is not documented: refused, not guessed
    minArgs: 0,
    maxArgs: 1,
    resultType: (t) =>
      t.length === 0
        ? { type: 'long' }
        : t[0] === 'bool'
          ? { error: 'count(predicate) is not supported (its meaning is not documented): use countif(predicate), or count()', argIndex: 0, unsupported: true }
          : { error: `count() takes no argument here (a ${t[0]} was given): use count(), or countif(predicate)`, argIndex: 0 },
    compile() {
      return () => {
        let n = 0;
        return { add() { n++; }, result: () => n };
      };
    },
  },
  {
    name: 'countif',
    minArgs: 1,
    maxArgs: 1,
    resultType: (t) => (t[0] === 'bool' ? { type: 'long' } : { error: 'countif() needs a bool predicate', argIndex: 0 }),
    compile([p]) {
      return () => {
        let n = 0;
        return { add(r) { if (p!(r) === true) n++; }, result: () => n };
      };
    },
  },
  distinctCount('dcount', 2),
  // https://learn.microsoft.com/kusto/query/count-distinct-aggregation-function: exact, unlike dcount
  distinctCount('count_distinct', 1),
  minMax('min', -1),
  minMax('max', 1),
  {
    name: 'sum',
    minArgs: 1,
    maxArgs: 1,
    resultType: (t) => (isNumericType(t[0]!) || t[0] === 'timespan' ? { type: t[0] === 'int' ? 'long' : t[0]! } : { error: `sum() needs a number, not ${t[0]}`, argIndex: 0 }),
    compile([a]) {
      // "Default values of aggregations": sum() over no (non-null) values is 0
      // https://learn.microsoft.com/kusto/query/summarize-operator
      return () => {
        let s = 0;
        return { add(r) { const v = a!(r); if (!isNull(v)) s += v as number; }, result: () => s };
      };
    },
  },
  {
    name: 'avg',
    minArgs: 1,
    maxArgs: 1,
    resultType: (t) => (isNumericType(t[0]!) || t[0] === 'timespan' || t[0] === 'datetime' ? { type: isNumericType(t[0]!) ? 'real' : t[0]! } : { error: `avg() needs a number, not ${t[0]}`, argIndex: 0 }),
    compile([a]) {
      return () => {
        let s = 0;
        let n = 0;
        return { add(r) { const v = a!(r); if (!isNull(v)) { s += v as number; n++; } }, result: () => (n ? s / n : null) };
      };
    },
  },
  makeCollection('make_set', true),
  makeCollection('make_list', false),
  makeCollection('makeset', true),
  makeCollection('makelist', false),
  makeBag(),
];

/** dcount is exact here and estimated (HyperLogLog) in Kusto; count_distinct is exact in both. */
function distinctCount(name: string, maxArgs: number): AggregateFunction {
  return {
    name,
    minArgs: 1,
    maxArgs,
    resultType: () => ({ type: 'long' }),
    compile([a]) {
      return () => {
        const seen = new Set<string>();
        return { add(r) { const v = a!(r); if (!isNull(v)) seen.add(groupKey(v)); }, result: () => seen.size };
      };
    },
  };
}

/**
 * make_bag(expr [, maxSize]): the union of the property bags of the group; other values are skipped
 * (https://learn.microsoft.com/kusto/query/make-bag-aggregation-function). Where a key occurs in
 * several rows Kusto picks "an arbitrary value"; here the first row's value is kept, so a replay is
 * repeatable. maxSize limits the number of keys.
 */
function makeBag(): AggregateFunction {
  return {
    name: 'make_bag',
    minArgs: 1,
    maxArgs: 2,
    resultType: (types) => (types[1] !== undefined && !isNumericType(types[1]) ? { error: 'the size limit of make_bag() must be a number', argIndex: 1 } : { type: 'dynamic' }),
    compile([a], _types, _ctx, constants) {
      const limit = limitArg(constants, 1);
      return () => {
        const out: Record<string, unknown> = {};
        let size = 0;
        return {
          add(r) {
            const bag = asBag(a!(r));
            if (!bag) return;
            for (const [k, v] of Object.entries(bag)) {
              if (size >= limit) return;
              if (Object.hasOwn(out, k)) continue;
              out[k] = v;
              size++;
            }
          },
          result: () => out,
        };
      };
    },
    columnName: (arg) => `bag_${arg}`,
  };
}

function minMax(name: 'min' | 'max', sign: 1 | -1): AggregateFunction {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    resultType: sameAsArg,
    compile([a]) {
      return (): Accumulator => {
        let best: unknown = null;
        return {
          add(r) {
            const v = a!(r);
            if (isNull(v)) return;
            if (best === null || compareNonNull(v, best) * sign > 0) best = v;
          },
          result: () => best,
        };
      };
    },
  };
}

function makeCollection(name: string, distinct: boolean): AggregateFunction {
  return {
    name,
    minArgs: 1,
    maxArgs: 2,
    resultType: (types) => (types[1] !== undefined && !isNumericType(types[1]) ? { error: `the size limit of ${name}() must be a number`, argIndex: 1 } : { type: 'dynamic' }),
    compile([a], types, _ctx, constants) {
      const limit = limitArg(constants, 1);
      const type = types[0]!;
      if (distinct) {
        return () => {
          const seen = new Set<unknown>();
          const seenObjects = new Set<string>();
          const out: unknown[] = [];
          const addOne = (v: unknown) => {
            if (isNull(v) || out.length >= limit) return;
            // primitives are their own set keys; dynamic values compare by their JSON
            if (typeof v === 'object') {
              const k = groupKey(v);
              if (seenObjects.has(k)) return;
              seenObjects.add(k);
            } else {
              if (seen.has(v)) return;
              seen.add(v);
            }
            out.push(toDynamicElement(v, type));
          };
          return {
            add(r) {
              const v = a!(r);
              // an array value adds its elements to the set (make_set's documented "set from array column")
              if (Array.isArray(v)) for (const x of v) addOne(x);
              else addOne(v);
            },
            result: () => out,
          };
        };
      }
      return () => {
        const out: unknown[] = [];
        return {
          add(r) {
            const v = a!(r);
            if (!isNull(v) && out.length < limit) out.push(toDynamicElement(v, type));
          },
          result: () => out,
        };
      };
    },
  };
}

/**
 * take_any(expr, ...): the values of one row of the group. With a single column it prefers a row
 * where the value is not null or empty, as documented:
 * https://learn.microsoft.com/es-mx/azure/data-explorer/kusto/query/take-any-aggregation-function
 */
export function takeAnyAccumulator(columns: readonly Compiled[]): () => Accumulator & { values(): unknown[] } {
  const single = columns.length === 1 ? columns[0]! : undefined;
  return () => {
    let values: unknown[] | undefined;
    let settled = false;
    return {
      add(r) {
        if (settled) return;
        if (single) {
          const v = single(r);
          if (values === undefined || !(v === null || v === undefined || v === '')) values = [v];
          settled = !(v === null || v === undefined || v === '');
          return;
        }
        values = columns.map((c) => c(r));
        settled = true;
      },
      result: () => null,
      values: () => values ?? columns.map(() => null),
    };
  };
}

/**
 * take_any(x) of one expression inside a summarize expression (strcat(take_any(s), "x")): the value
 * take_any would carry, as a single-value aggregation.
 */
export const TAKE_ANY_VALUE: AggregateFunction = {
  name: 'take_any',
  minArgs: 1,
  maxArgs: 1,
  resultType: (t) => ({ type: t[0]! }),
  compile: (args) => {
    const accumulator = takeAnyAccumulator(args);
    return () => {
      const a = accumulator();
      return { add: (r) => a.add(r), result: () => a.values()[0] };
    };
  },
};

/** arg_max/arg_min are bound specially by summarize (they produce several columns). */
export function argExtremeAccumulator(key: Compiled, columns: readonly Compiled[], sign: 1 | -1): () => Accumulator & { values(): unknown[] } {
  return () => {
    let best: unknown = null;
    let values: unknown[] | undefined;
    return {
      add(r) {
        const v = key(r);
        if (isNull(v)) {
          // a group whose keys are all null still yields one of its rows
          // (https://learn.microsoft.com/kusto/query/arg-max-aggregation-function, "Handle nulls")
          if (values === undefined) values = columns.map((c) => c(r));
          return;
        }
        if (best === null || compareNonNull(v, best) * sign > 0) {
          best = v;
          values = columns.map((c) => c(r));
        }
      },
      result: () => best,
      values: () => values ?? columns.map(() => null),
    };
  };
}
