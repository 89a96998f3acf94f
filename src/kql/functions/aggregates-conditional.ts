// The `*if` aggregations: the base aggregation over the rows whose predicate (always the second
// argument) is true, e.g. make_set_if(expr, predicate [, maxSize]) is make_set(expr [, maxSize]) over
// those rows. One wrapper, so each variant behaves exactly like its base:
// https://learn.microsoft.com/kusto/query/aggregation-functions (dcountif, make_set_if, ...).
import type { AggregateFunction, ConstantArg } from './types.js';

const PREDICATE = 1;

const withoutPredicate = <T>(xs: readonly T[]): T[] => xs.filter((_, i) => i !== PREDICATE);

/** `name` is `base` restricted to the rows where argument 2 is true; its column is `<columnPrefix><arg>`. */
export function conditional(base: AggregateFunction, name: string, columnPrefix = `${name}_`): AggregateFunction {
  return {
    name,
    minArgs: base.minArgs + 1,
    maxArgs: base.maxArgs + 1,
    resultType(types, constants) {
      const p = types[PREDICATE];
      if (p !== 'bool' && p !== 'dynamic') return { error: `${name}() needs a bool predicate as its second argument`, argIndex: PREDICATE };
      const r = base.resultType(withoutPredicate(types), withoutPredicate(constants));
      if (!('error' in r)) return r;
      // the message names this function, and an argument index of the base shifts past the predicate
      const error = r.error.replaceAll(`${base.name}()`, `${name}()`);
      return { error, argIndex: r.argIndex !== undefined && r.argIndex >= PREDICATE ? r.argIndex + 1 : r.argIndex };
    },
    compile(args, types, ctx, constants) {
      const predicate = args[PREDICATE]!;
      const inner = base.compile(withoutPredicate(args), withoutPredicate(types), ctx, withoutPredicate<ConstantArg>(constants));
      return () => {
        const acc = inner();
        return {
          add(r) {
            if (predicate(r) === true) acc.add(r);
          },
          result: () => acc.result(),
        };
      };
    },
    columnName: (argName) => `${columnPrefix}${argName}`,
  };
}

/** [variant, base, column prefix]: the documented `*if` aggregations this engine runs. */
export const CONDITIONAL_AGGREGATES: readonly (readonly [string, string, string?])[] = [
  ['sumif', 'sum'],
  ['dcountif', 'dcount'],
  ['count_distinctif', 'count_distinct'],
  ['make_set_if', 'make_set', 'set_'],
  ['make_list_if', 'make_list', 'list_'],
  ['make_bag_if', 'make_bag', 'bag_'],
  ['avgif', 'avg'],
  ['maxif', 'max'],
  ['minif', 'min'],
];
