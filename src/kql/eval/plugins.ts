// evaluate bag_unpack and pivot (bound in binder/evaluate.ts).
import type { BoundPlan } from '../bound.js';
import { asBag } from '../functions/dynamicValues.js';
import type { Accumulator } from '../functions/types.js';
import { groupKeyOf, nullOf, valueToString } from '../values.js';
import { compileAggregate, compileAll, convertExpanded, execute, type Batch, type ExecContext } from './execute.js';

export async function* runBagUnpack(plan: Extract<BoundPlan, { kind: 'bagunpack' }>, ctx: ExecContext): AsyncGenerator<Batch> {
  const types = plan.schema.map((c) => c.type);
  const { column, outputs } = plan;
  for await (const batch of execute(plan.input, ctx)) {
    yield batch.map((r) => {
      const bag = asBag(r[column]);
      return outputs.map((o, k) => {
        if (o.from === 'input') return r[o.index];
        const v = bag?.[o.key];
        return v === undefined || v === null ? nullOf(types[k]!) : types[k] === 'dynamic' ? v : convertExpanded(v, types[k]!);
      });
    });
  }
}

export async function* runPivot(plan: Extract<BoundPlan, { kind: 'pivot' }>, ctx: ExecContext): AsyncGenerator<Batch> {
  const keyFns = await compileAll(plan.keys, ctx);
  const [pivot] = await compileAll([plan.pivot], ctx);
  const factory = await compileAggregate(plan.aggregate, ctx);
  const column = new Map(plan.values.map((v, i) => [v as string, i]));
  const groups = new Map<string, { keys: unknown[]; accs: (Accumulator | undefined)[] }>();
  for await (const batch of execute(plan.input, ctx)) {
    for (const r of batch) {
      const i = column.get(valueToString(pivot!(r), plan.pivot.type));
      const keys = keyFns.map((f) => f(r));
      const k = groupKeyOf(keys);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { keys, accs: plan.values.map(() => undefined) }));
      if (i === undefined) continue; // a value the declared schema does not name
      (g.accs[i] ??= factory()).add(r);
    }
  }
  const width = plan.keys.length;
  const out: Batch = [];
  for (const g of groups.values()) {
    out.push([...g.keys, ...g.accs.map((acc, i) => acc?.result() ?? factory().result() ?? nullOf(plan.schema[width + i]!.type))]);
  }
  if (out.length > 0) yield out;
}
