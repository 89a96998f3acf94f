// mv-apply (bound in binder/mvApply.ts): the subquery runs once per input row, over that row expanded.
import type { BoundPlan } from '../bound.js';
import { nullOf } from '../values.js';
import { collect, compileAll, convertExpanded, elementsOf, execute, type ExecContext } from './execute.js';

export async function* runMvApply(plan: Extract<BoundPlan, { kind: 'mvapply' }>, ctx: ExecContext): AsyncGenerator<unknown[][]> {
  const fns = await compileAll(plan.exprs, ctx);
  let limit = Infinity;
  if (plan.limit) {
    const [l] = await compileAll([plan.limit], ctx);
    limit = Number(l!([]));
  }
  const width = Math.max(plan.input.schema.length, ...plan.targets.map((t) => t + 1), (plan.itemIndex ?? -1) + 1);
  const leafTypes = plan.targets.map((t, k) => plan.toTypes[k] ?? 'dynamic');
  for await (const batch of execute(plan.input, ctx)) {
    const out: unknown[][] = [];
    for (const r of batch) {
      const arrays = fns.map((f) => elementsOf(f(r)));
      const n = Math.min(limit, Math.max(0, ...arrays.map((a) => a.length)));
      const rows: unknown[][] = [];
      for (let i = 0; i < n; i++) {
        const o = r.slice();
        o.length = width;
        arrays.forEach((a, k) => {
          const v = a[i];
          const type = plan.toTypes[k];
          o[plan.targets[k]!] = v === undefined ? nullOf(leafTypes[k]!) : type === undefined ? v : convertExpanded(v, type);
        });
        if (plan.itemIndex !== undefined) o[plan.itemIndex] = i;
        rows.push(o);
      }
      ctx.applyRows.set(plan.id, rows);
      for (const s of await collect(plan.subquery, ctx)) out.push(plan.outputs.map((o) => (o.from === 'outer' ? r[o.index] : s[o.index])));
    }
    ctx.applyRows.delete(plan.id);
    if (out.length > 0) yield out;
  }
}
