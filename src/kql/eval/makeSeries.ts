// make-series (https://learn.microsoft.com/kusto/query/make-series-operator): per group of the `by`
// keys, each aggregation over the rows of each bin of the axis, as arrays ordered by the axis, with
// the aggregation's default (0 unless `default=`) where a bin has no rows; the last column is the
// axis itself. Bins are `from + k * step` below `to`; without `from` (or `to`) a group's series starts
// at its first bin with data (ends after its last), binned as bin() does. A group whose rows all fall
// outside from..to still gives a row, of defaults. An empty input gives no rows, unless kind=nonempty
// (then one row of defaults, which needs from and to). Arrays are limited to 2^20 values, as in Kusto.
import type { BoundPlan } from '../bound.js';
import { EvaluationFailure, type KqlErrorCode } from '../errors.js';
import { toDynamicElement } from '../functions/dynamicValues.js';
import type { Accumulator } from '../functions/types.js';
import { groupKeyOf } from '../values.js';
import { compileExpr, positioned } from './compile.js';
import { compileAggregate, compileAll, execute, type ExecContext } from './execute.js';

type MakeSeries = Extract<BoundPlan, { kind: 'makeseries' }>;

const MAX_BINS = 2 ** 20;

interface Group {
  readonly keys: unknown[];
  readonly bins: Map<number, Accumulator[]>;
}

function fail(ctx: ExecContext, plan: MakeSeries, code: KqlErrorCode, message: string): never {
  return positioned(ctx, plan.at, () => {
    throw new EvaluationFailure(code, message);
  });
}

export async function* runMakeSeries(plan: MakeSeries, ctx: ExecContext): AsyncGenerator<unknown[][]> {
  const keyFns = await compileAll(plan.keys, ctx);
  const [axis] = await compileAll([plan.axis], ctx);
  const constant = (e: MakeSeries['step'] | undefined, what: string): number | undefined => {
    if (!e) return undefined;
    const v = compileExpr(e, ctx).fn([]);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new EvaluationFailure('KQL110', `make-series ${what} must be a constant number, datetime or timespan`);
    return v;
  };
  const [step, from, to] = positioned(ctx, plan.at, () => {
    const s = constant(plan.step, 'step')!;
    if (!(s > 0)) throw new EvaluationFailure('KQL201', 'make-series step must be positive');
    return [s, constant(plan.from, 'from'), constant(plan.to, 'to')] as const;
  });
  const factories = await Promise.all(plan.aggregates.map((a) => compileAggregate(a, ctx)));
  const groups = new Map<string, Group>();
  for await (const batch of execute(plan.input, ctx)) {
    for (const r of batch) {
      const keys = keyFns.map((f) => f(r));
      const k = groupKeyOf(keys);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { keys, bins: new Map() }));
      const t = axis!(r);
      if (typeof t !== 'number') continue;
      if ((from !== undefined && t < from) || (to !== undefined && t >= to)) continue;
      // the bin's start: bin_at(t, step, from), or bin(t, step) without from
      const bin = from !== undefined ? from + Math.floor((t - from) / step) * step : Math.floor(t / step) * step;
      let accs = g.bins.get(bin);
      if (!accs) g.bins.set(bin, (accs = factories.map((f) => f())));
      for (const a of accs) a.add(r);
    }
  }
  if (groups.size === 0 && plan.nonempty && plan.keys.length === 0) {
    if (from === undefined || to === undefined) fail(ctx, plan, 'KQL110', 'make-series kind=nonempty needs from and to');
    groups.set('', { keys: [], bins: new Map() });
  }
  const axisType = plan.axis.type;
  const out: unknown[][] = [];
  for (const g of groups.values()) {
    const filled = [...g.bins.keys()];
    const start = from ?? (filled.length ? Math.min(...filled) : undefined);
    const end = to ?? (filled.length ? Math.max(...filled) + step : undefined);
    const times: number[] = [];
    if (start !== undefined && end !== undefined) {
      for (let t = start, k = 0; t < end; t = start + ++k * step) {
        if (times.length >= MAX_BINS) fail(ctx, plan, 'KQL203', `make-series would build more than ${MAX_BINS} bins`);
        times.push(t);
      }
    }
    const series = plan.aggregates.map((a, i) =>
      times.map((t) => {
        const accs = g.bins.get(t);
        const v = accs ? accs[i]!.result() : plan.defaults[i];
        return toDynamicElement(v ?? null, a.type);
      }),
    );
    out.push([...g.keys, ...series, times.map((t) => toDynamicElement(t, axisType))]);
  }
  if (out.length > 0) yield out;
}
