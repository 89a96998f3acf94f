// make-series (https://learn.microsoft.com/kusto/query/make-series-operator): the by-keys, one dynamic
// array per aggregation, then the axis as a dynamic array; the series are built in eval/makeSeries.ts.
import type * as A from '../ast.js';
import type { BoundAggregate, BoundExpr, BoundPlan } from '../bound.js';
import { isNumericType } from '../functions/types.js';
import { bindAggregateCall, MULTI_COLUMN_AGGREGATES } from './calls.js';
import { aggregateColumnName, assignmentName, ColumnBuilder, expressionName } from './columns.js';
import type { Binder } from './index.js';

export function bindMakeSeries(b: Binder, op: A.MakeSeriesOp, input: BoundPlan): BoundPlan {
  const row = input.schema;
  const nonempty = op.seriesKind?.name === 'nonempty';
  if (op.seriesKind && !nonempty) throw b.error('KQL106', `make-series kind '${op.seriesKind.name}' is not supported (only nonempty)`, op.seriesKind);
  const columns = new ColumnBuilder(b.duplicateColumn('in make-series'));
  const keys: BoundExpr[] = op.by.map((a) => {
    const expr = b.scalar(a.expr, row);
    if (expr.type === 'dynamic') throw b.error('KQL104', 'a value of type dynamic cannot be a make-series key (convert it with tostring())', a.expr);
    const named = assignmentName(a) ?? { name: columns.nextUnnamed(), origin: 'generated' as const };
    columns.add(named.name, expr.type, a, named.origin);
    return expr;
  });
  const aggregates: BoundAggregate[] = [];
  const defaults: unknown[] = [];
  for (const { assignment: a, defaultValue } of op.aggregates) {
    const call = a.expr;
    if (call.kind !== 'Call' || MULTI_COLUMN_AGGREGATES.has(call.name.name)) {
      throw b.error('KQL106', 'make-series needs single-value aggregation calls, such as count() or avg(x)', call);
    }
    const { fn, args, type, constants } = bindAggregateCall(b, call, row);
    columns.add(a.name?.name ?? aggregateColumnName(call, fn, constants), 'dynamic', a, a.name ? 'declared' : 'generated');
    aggregates.push({ fn, args, type, at: call });
    const d = defaultValue ? b.scalar(defaultValue, []) : undefined;
    if (d && d.kind !== 'const') throw b.error('KQL110', 'the default of make-series must be a constant', defaultValue!);
    defaults.push(d ? d.value : 0);
  }
  const axis = b.scalar(op.axis, row);
  const axisName = expressionName(op.axis);
  if (!axisName) throw b.error('KQL106', 'the make-series axis must be a column', op.axis);
  if (!isNumericType(axis.type) && axis.type !== 'datetime' && axis.type !== 'timespan') {
    throw b.error('KQL104', `the make-series axis must be a datetime, timespan or number, not ${axis.type}`, op.axis);
  }
  const bound = (e: A.Expr | undefined, what: string, want: readonly string[]) => {
    if (!e) return undefined;
    const x = b.scalar(e, []);
    if (!want.includes(x.type) && !(isNumericType(x.type) && want.some((w) => isNumericType(w as never)))) {
      throw b.error('KQL104', `make-series ${what} must be ${want.join(' or ')}, not ${x.type}`, e);
    }
    return x;
  };
  const axisTypes = isNumericType(axis.type) ? ['long', 'int', 'real', 'decimal'] : [axis.type];
  const from = bound(op.from, 'from', axisTypes);
  const to = bound(op.to, 'to', axisTypes);
  const step = bound(op.step, 'step', axis.type === 'datetime' ? ['timespan'] : axisTypes)!;
  columns.add(axisName, 'dynamic', op.axis, 'declared');
  return { kind: 'makeseries', input, keys, aggregates, defaults, axis, from, to, step, nonempty, at: op, schema: columns.schema };
}
