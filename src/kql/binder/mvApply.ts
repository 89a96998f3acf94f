// mv-apply (https://learn.microsoft.com/kusto/query/mv-apply-operator): each input row is expanded as
// mv-expand would (with_itemindex names a column of each item's index), the subquery runs over those
// rows, and each of its rows becomes an output row. The output has the input's columns (a column
// expanded in place is replaced by what the subquery returns), then the subquery's new columns; an
// input column the subquery also returns takes the subquery's value. Kusto.Language infers the same.
import type * as A from '../ast.js';
import type { ApplyOutput, BoundPlan } from '../bound.js';
import type { ColumnSchema } from '../types.js';
import { ColumnBuilder } from './columns.js';
import type { Binder } from './index.js';
import { bindExpansions } from './projection.js';
import { bindOperator } from './queryOperators.js';

export function bindMvApply(b: Binder, op: A.MvApplyOp, input: BoundPlan): BoundPlan {
  const row = input.schema;
  const columns = new ColumnBuilder(b.duplicateColumn('in this mv-apply'), row);
  const expansions = bindExpansions(b, op.columns, input, columns, 'mv-apply');
  const itemIndex = op.itemIndex ? columns.set(op.itemIndex.name, 'long', op.itemIndex) : undefined;
  const limit = op.limit ? b.scalar(op.limit, []) : undefined;
  const id = b.nextMaterializeId();
  let subquery: BoundPlan = { kind: 'applyinput', id, schema: columns.schema };
  for (const step of op.subquery) subquery = bindOperator(b, step, subquery);

  const replaced = new Set(expansions.targets.filter((t) => t < row.length));
  const sub = subquery.schema;
  const schema: ColumnSchema[] = [];
  const outputs: ApplyOutput[] = [];
  row.forEach((c, i) => {
    const inSub = sub.findIndex((s) => s.name === c.name);
    if (replaced.has(i) && inSub < 0) return;
    schema.push(inSub >= 0 ? sub[inSub]! : c);
    outputs.push(inSub >= 0 ? { from: 'sub', index: inSub } : { from: 'outer', index: i });
  });
  sub.forEach((c, i) => {
    if (schema.some((s) => s.name === c.name)) return;
    schema.push(c);
    outputs.push({ from: 'sub', index: i });
  });
  return { kind: 'mvapply', id, input, ...expansions, itemIndex, limit, subquery, outputs, schema };
}
