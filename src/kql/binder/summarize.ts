// summarize: grouping keys, single-column aggregations, and the multi-column ones (arg_max, arg_min,
// take_any) that carry columns of a chosen row.
import type * as A from '../ast.js';
import type { BoundAggregate, BoundArgExtreme, BoundExpr, BoundPlan, SummarizeOutput } from '../bound.js';
import { bindAggregateCall, MULTI_COLUMN_AGGREGATES } from './calls.js';
import { aggregateColumnName, assignmentName, ColumnBuilder, columnRef, expressionName, type NameOrigin } from './columns.js';
import type { Binder } from './index.js';

interface Carried {
  readonly expr: BoundExpr;
  readonly name: string;
  /** `*`: a column the by-keys already hold is not carried again */
  readonly star?: boolean;
}

export function bindSummarize(b: Binder, op: A.SummarizeOp, input: BoundPlan): BoundPlan {
  const row = input.schema;
  const columns = new ColumnBuilder(b.duplicateColumn('in summarize'));
  const keys: BoundExpr[] = [];
  const outputs: SummarizeOutput[] = [];
  const aggregates: BoundAggregate[] = [];
  const argExtremes: BoundArgExtreme[] = [];

  for (const a of op.by) {
    const expr = b.attempt<BoundExpr | undefined>(() => {
      const bound = b.scalar(a.expr, row);
      if (bound.type === 'dynamic') throw b.error('KQL104', 'a value of type dynamic cannot be a summarize key (convert it with tostring())', a.expr);
      return bound;
    }, () => undefined);
    const named = assignmentName(a) ?? { name: columns.nextUnnamed(), origin: 'generated' as const };
    const index = columns.add(named.name, expr?.type ?? 'dynamic', a, named.origin);
    outputs.push({ kind: 'key', index: keys.length });
    keys.push(b.column(expr, columns.schema[index]!));
  }
  const keyNames = new Set(columns.schema.map((c) => c.name));
  let unknownColumns = false;

  /** Declares the columns one multi-column aggregation carries. */
  const carry = (extreme: Omit<BoundArgExtreme, 'columns'>, carried: readonly Carried[], a: A.Assignment) => {
    const index = argExtremes.length;
    const exprs: BoundExpr[] = [];
    for (const c of carried) {
      if (c.star && keyNames.has(c.name)) continue;
      columns.add(c.name, c.expr.type, a, 'generated');
      outputs.push({ kind: 'argColumn', index, column: exprs.length });
      exprs.push(c.expr);
    }
    argExtremes.push({ ...extreme, columns: exprs });
  };
  const isStar = (x: A.Expr) => x.kind === 'NameRef' && x.name === '*';
  const allColumns = (except?: string): Carried[] =>
    row.map((c, i) => ({ expr: columnRef(c, i), name: c.name, star: true })).filter((c) => c.name !== except);

  for (const a of op.aggregates) {
    // in lint mode an aggregation that fails still declares its column (poisoned) where it can be named
    b.attempt(() => bindAggregation(a), () => {
      if (a.name || (a.expr.kind === 'Call' && !MULTI_COLUMN_AGGREGATES.has(a.expr.name.name))) {
        const name = a.name?.name ?? aggregateColumnName(a.expr as A.CallExpr);
        // (unless the failure was that very name, declared twice)
        if (!columns.has(name)) b.column(undefined, columns.schema[columns.add(name, 'dynamic', a, 'generated')]!);
      } else {
        // arg_max / take_any: the columns it would carry are not known
        unknownColumns = true;
      }
    });
  }
  const plan: BoundPlan = { kind: 'summarize', input, keys, aggregates, argExtremes, outputs, schema: columns.schema };
  if (unknownColumns) b.markUnknown(plan.schema);
  return plan;

  function bindAggregation(a: A.Assignment): void {
    const call = a.expr;
    if (call.kind !== 'Call') {
      throw b.error('KQL106', 'summarize expressions must be single aggregation calls (arithmetic over aggregates is not supported)', call);
    }
    const fname = call.name.name;
    const origin: NameOrigin = a.name ? 'declared' : 'generated';
    if (fname === 'percentiles') {
      // https://learn.microsoft.com/kusto/query/percentiles-aggregation-function: one column per
      // percentile, each percentile(expr, p)
      if (call.args.length < 2) throw b.error('KQL105', 'percentiles() needs an expression and at least one percentile', call);
      for (const p of call.args.slice(1)) {
        const single: A.CallExpr = { ...call, name: { ...call.name, name: 'percentile' }, args: [call.args[0]!, p] };
        const { fn, args, type, constants } = bindAggregateCall(b, single, row);
        columns.add(aggregateColumnName(single, fn, constants), type, a, 'generated');
        outputs.push({ kind: 'agg', index: aggregates.length });
        aggregates.push({ fn, args, type, at: call });
      }
      return;
    }
    if (!MULTI_COLUMN_AGGREGATES.has(fname)) {
      const { fn, args, type, constants } = bindAggregateCall(b, call, row);
      const name = a.name?.name ?? aggregateColumnName(call, fn, constants);
      columns.add(name, type, a, origin);
      outputs.push({ kind: 'agg', index: aggregates.length });
      aggregates.push({ fn, args, type, at: call });
      return;
    }
    if (fname === 'take_any' || fname === 'any') {
      // https://learn.microsoft.com/kusto/query/take-any-aggregation-function; the deprecated any() prefixes
      // its columns with any_. Unnamed expressions are any_arg0, any_arg1, ... (as Kusto.Language names them).
      if (call.args.length === 0) throw b.error('KQL105', `${fname}() needs at least one expression or *`, call);
      const carried = call.args.some(isStar)
        ? allColumns()
        : call.args.map((x, i) => {
            const inferred = expressionName(x);
            const name =
              call.args.length === 1 && a.name ? a.name.name : fname === 'any' ? `any_${inferred ?? ''}` : inferred ?? `any_arg${i}`;
            return { expr: b.scalar(x, row), name };
          });
      carry({ sign: 0 }, carried, a);
      return;
    }
    // arg_max / arg_min (https://learn.microsoft.com/kusto/query/arg-max-aggregation-function): the key
    // column (named max_/min_ when it cannot be named), then the columns of the row where the key is
    // extreme; an unnamed carried expression is max_<key>_arg<i>
    if (call.args.length < 2) throw b.error('KQL105', `${fname}() needs an expression and at least one column (or *)`, call);
    const key = b.scalar(call.args[0]!, row);
    const prefix = fname === 'arg_max' ? 'max_' : 'min_';
    const keyInferred = expressionName(call.args[0]!);
    const keyName = a.name?.name ?? keyInferred ?? prefix;
    columns.add(keyName, key.type, a, origin);
    outputs.push({ kind: 'argKey', index: argExtremes.length });
    const rest = call.args.slice(1);
    const carried: Carried[] = rest.some(isStar)
      ? allColumns(keyName)
      : rest.map((x, i) => ({ expr: b.scalar(x, row), name: expressionName(x) ?? `${prefix}${keyInferred ?? ''}_arg${i + 1}` }));
    carry({ sign: fname === 'arg_max' ? 1 : -1, key }, carried, a);
  }
}
