// mv-apply (bound in binder/mvApply.ts): the subquery runs once per input row, over that row expanded.
import type { BoundPlan } from '../bound.js';
import { nullOf } from '../values.js';
import { collect, compileExpansion, execute, type ExecContext } from './execute.js';

export async function* runMvApply(plan: Extract<BoundPlan, { kind: 'mvapply' }>, ctx: ExecContext): AsyncGenerator<unknown[][]> {
  const width = Math.max(plan.input.schema.length, ...plan.targets.map((t) => t + 1), (plan.itemIndex ?? -1) + 1);
  const missing = plan.targets.map((_, k) => nullOf(plan.toTypes[k] ?? 'dynamic'));
  const expand = await compileExpansion(plan, ctx, width, missing, false);
  for await (const batch of execute(plan.input, ctx)) {
    const out: unknown[][] = [];
    for (const r of batch) {
      const rows: unknown[][] = [];
      expand(r, rows);
      ctx.applyRows.set(plan.id, rows);
      for (const s of await collect(plan.subquery, ctx)) out.push(plan.outputs.map((o) => (o.from === 'outer' ? r[o.index] : s[o.index])));
    }
    ctx.applyRows.delete(plan.id);
    if (out.length > 0) yield out;
  }
}
