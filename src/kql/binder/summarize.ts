// summarize: grouping keys, single-column aggregations, and the multi-column ones (arg_max, arg_min,
// take_any) that carry columns of a chosen row.
import type * as A from '../ast.js';
import type { BoundAggregate, BoundArgExtreme, BoundExpr, BoundPlan, SummarizeOutput } from '../bound.js';
import type { AggregateFunction } from '../functions/types.js';
import { bindAggregateCall, MULTI_COLUMN_AGGREGATES } from './calls.js';
import { assignmentName, ColumnBuilder, columnRef, inferName } from './columns.js';
import type { Binder } from './index.js';

/** Column-name prefix of each aggregation's result (`count_`, `set_DeviceName`). */
const AGG_NAME_PREFIX: Record<string, string> = {
  count: 'count_', countif: 'countif_', dcount: 'dcount_', min: 'min_', max: 'max_', sum: 'sum_', avg: 'avg_',
  make_set: 'set_', make_list: 'list_', makeset: 'set_', makelist: 'list_',
};

/** An aggregation's result column: the assignment's name, the function's own rule, or `<prefix><argument>`. */
export function aggregateColumnName(a: A.Assignment, call: A.CallExpr, fn: AggregateFunction, constants: readonly unknown[]): string {
  const fname = call.name.name;
  const argName = call.args[0] ? inferName(call.args[0]) : undefined;
  return (
    a.name?.name ??
    fn.columnName?.(argName ?? '', constants) ??
    `${AGG_NAME_PREFIX[fname] ?? fname + '_'}${fname === 'count' || fname === 'countif' ? '' : argName ?? ''}`
  );
}

interface Carried {
  readonly expr: BoundExpr;
  readonly name: string;
}

export function bindSummarize(b: Binder, op: A.SummarizeOp, input: BoundPlan): BoundPlan {
  const row = input.schema;
  const columns = new ColumnBuilder(b.duplicateColumn('in summarize'));
  const keys: BoundExpr[] = [];
  const outputs: SummarizeOutput[] = [];
  const aggregates: BoundAggregate[] = [];
  const argExtremes: BoundArgExtreme[] = [];

  for (const a of op.by) {
    const expr = b.scalar(a.expr, row);
    if (expr.type === 'dynamic') throw b.error('KQL104', 'a value of type dynamic cannot be a summarize key (convert it with tostring())', a.expr);
    columns.add(assignmentName(a, columns, true), expr.type, a, 'error');
    outputs.push({ kind: 'key', index: keys.length });
    keys.push(expr);
  }

  /** Declares the columns one multi-column aggregation carries; the by-keys already hold some. */
  const carry = (extreme: Omit<BoundArgExtreme, 'columns'>, carried: readonly Carried[], a: A.Assignment, onDuplicate: 'error' | 'skip') => {
    const index = argExtremes.length;
    const exprs: BoundExpr[] = [];
    for (const c of carried) {
      if (columns.add(c.name, c.expr.type, a, onDuplicate) === undefined) continue;
      outputs.push({ kind: 'argColumn', index, column: exprs.length });
      exprs.push(c.expr);
    }
    argExtremes.push({ ...extreme, columns: exprs });
  };
  const isStar = (x: A.Expr) => x.kind === 'NameRef' && x.name === '*';
  const allColumns = (except: (name: string) => boolean): Carried[] =>
    row.map((c, i) => ({ expr: columnRef(c, i), name: c.name })).filter((c) => !except(c.name));

  for (const a of op.aggregates) {
    const call = a.expr;
    if (call.kind !== 'Call') {
      throw b.error('KQL106', 'summarize expressions must be single aggregation calls (arithmetic over aggregates is not supported)', call);
    }
    const fname = call.name.name;
    if (fname === 'percentiles') {
      // https://learn.microsoft.com/kusto/query/percentiles-aggregation-function: one column per
      // percentile, each percentile(expr, p)
      if (call.args.length < 2) throw b.error('KQL105', 'percentiles() needs an expression and at least one percentile', call);
      for (const p of call.args.slice(1)) {
        const single: A.CallExpr = { ...call, name: { ...call.name, name: 'percentile' }, args: [call.args[0]!, p] };
        const { fn, args, type, constants } = bindAggregateCall(b, single, row);
        columns.add(aggregateColumnName({ ...a, name: undefined }, single, fn, constants), type, a, 'error');
        outputs.push({ kind: 'agg', index: aggregates.length });
        aggregates.push({ fn, args, type, at: call });
      }
      continue;
    }
    if (!MULTI_COLUMN_AGGREGATES.has(fname)) {
      const { fn, args, type, constants } = bindAggregateCall(b, call, row);
      columns.add(aggregateColumnName(a, call, fn, constants), type, a, 'error');
      outputs.push({ kind: 'agg', index: aggregates.length });
      aggregates.push({ fn, args, type, at: call });
      continue;
    }
    if (fname === 'take_any' || fname === 'any') {
      if (call.args.length === 0) throw b.error('KQL105', `${fname}() needs at least one expression or *`, call);
      const keyNames = new Set(columns.schema.map((c) => c.name));
      const carried = call.args.some(isStar)
        ? allColumns((name) => keyNames.has(name))
        : call.args.map((x, i) => {
            // the deprecated any() prefixes its columns with any_
            const base = inferName(x) ?? `${fname}_${i}`;
            const name = call.args.length === 1 && a.name ? a.name.name : fname === 'any' ? `any_${base}` : base;
            return { expr: b.scalar(x, row), name };
          });
      carry({ sign: 0 }, carried, a, 'error');
      continue;
    }
    // arg_max / arg_min: the key column, then the columns of the row where the key is extreme
    if (call.args.length < 2) throw b.error('KQL105', `${fname}() needs an expression and at least one column (or *)`, call);
    const key = b.scalar(call.args[0]!, row);
    const keyName = a.name?.name ?? inferName(call.args[0]!) ?? `${fname}_`;
    columns.add(keyName, key.type, a, 'error');
    outputs.push({ kind: 'argKey', index: argExtremes.length });
    const rest = call.args.slice(1);
    const carried: Carried[] = rest.some(isStar)
      ? allColumns((name) => name === keyName)
      : rest.map((x, i) => ({ expr: b.scalar(x, row), name: inferName(x) ?? `${fname}_${i + 1}` }));
    carry({ sign: fname === 'arg_max' ? 1 : -1, key }, carried, a, 'skip');
  }
  return { kind: 'summarize', input, keys, aggregates, argExtremes, outputs, schema: columns.schema };
}
