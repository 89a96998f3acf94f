// summarize: grouping keys, single-column aggregations, the multi-column ones (arg_max, arg_min,
// take_any) that carry columns of a chosen row, and scalar expressions over aggregations.
import type * as A from '../ast.js';
import type { BoundAggregate, BoundArgExtreme, BoundExpr, BoundPlan, SummarizeOutput } from '../bound.js';
import { TAKE_ANY_VALUE } from '../functions/aggregates.js';
import { bindAggregateCall, bindsAsScalar, MULTI_COLUMN_AGGREGATES } from './calls.js';
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

  /** The column names of the aggregations bound inside expressions, by call (undefined: it has none). */
  const slotNames = new Map<A.CallExpr, string | undefined>();
  const isAggregateCall = (x: A.Expr): x is A.CallExpr => x.kind === 'Call' && !bindsAsScalar(b, x.name.name);
  /** An aggregation in an expression is named as it would be alone: tostring(count()) is count_, make_set(s)[0] is set_s_0. */
  const callName = (call: A.CallExpr): string | undefined =>
    slotNames.has(call) ? slotNames.get(call) : (isAggregateCall(call) ? aggregateColumnName(call, b.functions.aggregate(call.name.name)) : undefined);

  for (const a of op.aggregates) {
    // in lint mode an aggregation that fails still declares its column (poisoned) where it can be named
    b.attempt(
      () => (isAggregateCall(a.expr) ? bindAggregation(a, a.expr) : bindExpression(a)),
      () => {
        if (isAggregateCall(a.expr) && !a.name && MULTI_COLUMN_AGGREGATES.has(a.expr.name.name)) {
          // arg_max / take_any: the columns it would carry are not known
          unknownColumns = true;
          return;
        }
        const name = a.name?.name ?? expressionName(a.expr, callName) ?? columns.nextUnnamed();
        // (unless the failure was that very name, declared twice)
        if (!columns.has(name)) b.column(undefined, columns.schema[columns.add(name, 'dynamic', a, 'generated')]!);
      },
    );
  }
  const plan: BoundPlan = { kind: 'summarize', input, keys, aggregates, argExtremes, outputs, schema: columns.schema };
  if (unknownColumns) b.markUnknown(plan.schema);
  return plan;

  /**
   * A scalar expression over aggregations (https://learn.microsoft.com/kusto/query/summarize-operator: "you can
   * provide arbitrary expressions for both the aggregation and grouping expressions"): each aggregation call in it
   * becomes one of the group's aggregates, and the expression reads them as its row; input columns may be read
   * only inside those calls, as in Kusto.Language. Named as Kusto.Language names it: after the expression, with
   * each aggregation named as it would be alone, else ColumnN.
   */
  function bindExpression(a: A.Assignment): void {
    const expr = b.withAggregation({ kind: 'output', input: row, slot }, () => b.scalar(a.expr, []));
    const named = assignmentName(a, callName) ?? { name: columns.nextUnnamed(), origin: 'generated' as const };
    columns.add(named.name, expr.type, a, named.origin);
    outputs.push({ kind: 'expr', expr });
  }

  /** An aggregation call inside an output expression: one more aggregate of the group, read as a column of its row. */
  function slot(call: A.CallExpr): BoundExpr {
    const fname = call.name.name;
    const only = call.args.length === 1 ? call.args[0]! : undefined;
    if ((fname === 'take_any' || fname === 'any') && only && !isStar(only)) {
      // take_any(x) of one expression is a single value; as Kusto.Language names it, take_any(x) gives no name
      // to the expression and the deprecated any(x) gives any_x
      const arg = b.withAggregation({ kind: 'argument' }, () => b.scalar(only, row));
      const inferred = expressionName(only);
      slotNames.set(call, fname === 'any' && inferred !== undefined ? `any_${inferred}` : undefined);
      aggregates.push({ fn: TAKE_ANY_VALUE, args: [arg], type: arg.type, at: call });
      return { kind: 'column', type: arg.type, index: aggregates.length - 1, name: `${fname}()` };
    }
    if (MULTI_COLUMN_AGGREGATES.has(fname)) {
      throw b.error('KQL106', `${fname}() makes several columns, so it cannot be part of an expression (give it a column of its own)`, call);
    }
    const { fn, args, type, constants } = bindAggregateCall(b, call, row);
    slotNames.set(call, aggregateColumnName(call, fn, constants));
    aggregates.push({ fn, args, type, at: call });
    return { kind: 'column', type, index: aggregates.length - 1, name: `${fname}()` };
  }

  function bindAggregation(a: A.Assignment, call: A.CallExpr): void {
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
