// percentile / percentiles_array: the documented nearest-rank percentile, computed exactly.
// https://learn.microsoft.com/kusto/query/percentiles-aggregation-function: "P-th percentile (0 < P <= 100)
// of a list of ordered values, sorted in ascending order, is the smallest value in the list. The P percent
// of the data is less or equal to P-th percentile value"; the 0th percentile is the smallest member.
// Kusto estimates it with a T-Digest (rank error up to 1% around the median, exact at 0 and 100), so
// a replay may return a neighbouring value of the population where Kusto returns an estimate; the
// offline answer is the exact nearest-rank value. Memory: the group's non-null values are kept.
import { EvaluationFailure } from '../errors.js';
import type { KqlType } from '../types.js';
import { compareNonNull } from '../values.js';
import { toDynamicElement } from './dynamicValues.js';
import { NOT_CONSTANT, type Accumulator, type AggregateFunction, type Compiled, type ConstantArg, type TypeResult } from './types.js';

const ORDERED: readonly KqlType[] = ['long', 'int', 'real', 'decimal', 'datetime', 'timespan', 'string'];

function checkValueType(types: readonly KqlType[]): TypeResult | undefined {
  const t = types[0]!;
  return ORDERED.includes(t) || t === 'dynamic' ? undefined : { error: `a percentile needs ordered values, not ${t}`, argIndex: 0 };
}

/** The percentile arguments, which must be constant numbers in [0, 100]. */
function percentilesOf(constants: readonly ConstantArg[], from: number): number[] {
  const raw = constants.slice(from);
  const list = raw.length === 1 && Array.isArray(raw[0]) ? (raw[0] as unknown[]) : raw;
  return list.map((p) => {
    if (p === NOT_CONSTANT || typeof p !== 'number' || !(p >= 0 && p <= 100)) {
      throw new EvaluationFailure('KQL110', 'a percentile must be a constant number from 0 to 100');
    }
    return p;
  });
}

/** Nearest rank over ascending `sorted`: the value at rank ceil(P/100 * N), the smallest for P = 0. */
export function nearestRank(sorted: readonly unknown[], p: number): unknown {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

function collector(value: Compiled, finish: (sorted: unknown[]) => unknown): () => Accumulator {
  return () => {
    const values: unknown[] = [];
    return {
      add(r) {
        const v = value(r);
        if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) values.push(v);
      },
      result: () => finish(values.sort(compareNonNull)),
    };
  };
}

/** `95` → `95`, `99.5` → `99_5`: the suffix Kusto gives percentile columns. */
const suffix = (p: unknown): string => (typeof p === 'number' ? String(p).replace('.', '_') : '');

export const percentileFunctions: readonly AggregateFunction[] = [
  {
    name: 'percentile',
    minArgs: 2,
    maxArgs: 2,
    resultType: (types) => checkValueType(types) ?? { type: types[0]! },
    compile([value], _types, _ctx, constants) {
      const [p] = percentilesOf(constants, 1) as [number];
      return collector(value!, (sorted) => nearestRank(sorted, p));
    },
    columnName: (arg, constants) => `percentile_${arg}_${suffix(constants[1])}`,
  },
  {
    name: 'percentiles_array',
    minArgs: 2,
    maxArgs: 64,
    resultType: (types) => checkValueType(types) ?? { type: 'dynamic' },
    compile([value], types, _ctx, constants) {
      const ps = percentilesOf(constants, 1);
      const type = types[0]!;
      return collector(value!, (sorted) => ps.map((p) => toDynamicElement(nearestRank(sorted, p), type)));
    },
    columnName: (arg) => `percentiles_${arg}`,
  },
];
