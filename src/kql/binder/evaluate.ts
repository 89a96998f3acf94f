// evaluate plugins (https://learn.microsoft.com/kusto/query/evaluate-operator): bag_unpack and pivot.
// Without a declared output schema their columns depend on the data (a bag's slots, a column's
// values): evaluate() then runs the plugin's input first, learns the columns from its rows
// (DataDependentSchema), and binds the query again with them; the input's rows are reused, not read
// twice. lint has no data: it does not check past such an operator. Other plugins are not supported.
import type * as A from '../ast.js';
import type { BoundAggregate, BoundExpr, BoundPlan, UnpackOutput } from '../bound.js';
import { asBag } from '../functions/dynamicValues.js';
import type { ColumnSchema, KqlType } from '../types.js';
import { valueToString } from '../values.js';
import { bindAggregateCall } from './calls.js';
import { ColumnBuilder, columnRef } from './columns.js';
import type { Binder } from './index.js';
import { PoisonedReference } from './scope.js';

/** What a data-dependent operator learned from its input's rows. */
export interface Discovery {
  readonly rows: unknown[][];
  readonly found: unknown;
}

/** Thrown by the binder where an operator's columns depend on its input's rows (see evaluate()). */
export class DataDependentSchema extends Error {
  constructor(
    readonly at: number,
    readonly input: BoundPlan,
    readonly learn: (rows: readonly unknown[][]) => unknown,
  ) {
    super('the columns depend on the data');
  }
}

/** The discovery for the operator at `op`, or the signal that evaluate() must make it (lint: stop checking here). */
function discovered(b: Binder, op: A.EvaluateOp, input: BoundPlan, learn: (rows: readonly unknown[][]) => unknown): Discovery {
  const known = b.discoveries?.get(op.pos);
  if (known) return known;
  if (!b.discoveries) throw new PoisonedReference(`the columns of ${op.plugin.name.name} depend on the data`);
  throw new DataDependentSchema(op.pos, input, learn);
}

export function bindEvaluate(b: Binder, op: A.EvaluateOp, input: BoundPlan): BoundPlan {
  const name = op.plugin.name.name;
  switch (name) {
    case 'bag_unpack':
      return bindBagUnpack(b, op, input);
    case 'pivot':
      return bindPivot(b, op, input);
    default:
      throw b.error('KQL106', `the '${name}' plugin is not supported (only bag_unpack and pivot)`, op.plugin.name);
  }
}

/** A plugin's arguments: positional, then `name = value`; every one but the first must be a constant. */
function pluginArgs(b: Binder, call: A.CallExpr, names: readonly string[]): Map<string, { node: A.Expr; value: unknown }> {
  const out = new Map<string, { node: A.Expr; value: unknown }>();
  call.args.forEach((arg, i) => {
    const [key, node] = arg.kind === 'NamedArg' ? [arg.name.name, arg.value] : [names[i], arg];
    if (key === undefined || !names.includes(key)) throw b.error('KQL105', `${call.name.name}() has no argument ${arg.kind === 'NamedArg' ? `'${key}'` : i + 1}`, arg);
    if (i === 0 && arg.kind !== 'NamedArg') {
      out.set(key, { node, value: undefined });
      return;
    }
    const bound = b.scalar(node, []);
    if (bound.kind !== 'const') throw b.error('KQL110', `the ${key} of ${call.name.name}() must be a constant`, node);
    out.set(key, { node, value: bound.value });
  });
  return out;
}

/** A JSON value's Kusto type, as bag_unpack infers a slot's column type. */
function jsonType(v: unknown): KqlType {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
  return 'dynamic';
}

/**
 * bag_unpack(Column [, OutputColumnPrefix] [, columnsConflict] [, ignoredProperties]) [: OutputSchema]
 * (https://learn.microsoft.com/kusto/query/bag-unpack-plugin): the input's columns without Column, then
 * one column per slot of its bags, named by the slot (prefixed), sorted by name as the doc's example
 * shows, typed as the slot's values when they all have one type, else dynamic; null values are ignored.
 * A slot named as an input column is an error unless columnsConflict is replace_source or keep_source.
 * With an OutputSchema the output is the declared columns (after the input's, with `*`).
 */
function bindBagUnpack(b: Binder, op: A.EvaluateOp, input: BoundPlan): BoundPlan {
  const row = input.schema;
  const args = pluginArgs(b, op.plugin, ['column', 'OutputColumnPrefix', 'columnsConflict', 'ignoredProperties']);
  const columnArg = args.get('column');
  if (!columnArg || columnArg.node.kind !== 'NameRef') throw b.error('KQL105', 'bag_unpack() needs the dynamic column to unpack', op.plugin);
  const column = b.columnIndex({ kind: 'Identifier', name: columnArg.node.name, pos: columnArg.node.pos, end: columnArg.node.end }, row);
  if (row[column]!.type !== 'dynamic') throw b.error('KQL104', `bag_unpack() needs a dynamic column, not ${row[column]!.type}`, columnArg.node);
  const prefix = String(args.get('OutputColumnPrefix')?.value ?? '');
  const conflictArg = args.get('columnsConflict');
  const conflict = String(conflictArg?.value ?? 'error');
  if (!['error', 'replace_source', 'keep_source'].includes(conflict)) {
    throw b.error('KQL104', `columnsConflict must be error, replace_source or keep_source, not '${conflict}'`, conflictArg!.node);
  }
  const ignored = new Set((args.get('ignoredProperties')?.value as unknown[] | undefined)?.map(String) ?? []);
  const kept = row.map((c, i) => ({ c, i })).filter(({ i }) => i !== column);

  let slots: readonly ColumnSchema[];
  let source = input;
  if (op.schema) {
    slots = op.schema.columns.map((d) => ({ name: d.name.name, type: d.type }));
  } else {
    const d = discovered(b, op, input, (rows) => {
      const types = new Map<string, KqlType>();
      for (const r of rows) {
        for (const [key, v] of Object.entries(asBag(r[column]) ?? {})) {
          if (v === null || ignored.has(key)) continue;
          const t = jsonType(v);
          types.set(key, types.has(key) && types.get(key) !== t ? 'dynamic' : t);
        }
      }
      return [...types].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([key, type]) => ({ name: prefix + key, type }));
    });
    slots = d.found as ColumnSchema[];
    source = { kind: 'rows', rows: d.rows, schema: row };
  }
  const columns = new ColumnBuilder(b.duplicateColumn('by bag_unpack'));
  const outputs: UnpackOutput[] = [];
  const fromInput = (c: ColumnSchema, i: number) => {
    columns.add(c.name, c.type, op, 'declared');
    outputs.push({ from: 'input', index: i });
  };
  const slotNames = new Set(slots.map((s) => s.name));
  if (!op.schema || op.schema.star) {
    for (const { c, i } of kept) {
      if (slotNames.has(c.name) && conflict === 'replace_source') continue;
      if (slotNames.has(c.name) && conflict === 'error') {
        throw b.error('KQL108', `bag_unpack: the slot '${c.name}' has the name of an input column (set columnsConflict to replace_source or keep_source)`, op.plugin);
      }
      fromInput(c, i);
    }
  }
  for (const s of slots) {
    if (columns.has(s.name)) continue; // keep_source
    const inputIndex = op.schema && !op.schema.star ? kept.find(({ c }) => c.name === s.name)?.i : undefined;
    if (inputIndex !== undefined) {
      fromInput({ name: s.name, type: s.type }, inputIndex);
      continue;
    }
    if (prefix && !s.name.startsWith(prefix)) throw b.error('KQL104', `bag_unpack: '${s.name}' does not start with the prefix '${prefix}'`, op);
    columns.add(s.name, s.type, op, 'declared');
    outputs.push({ from: 'bag', key: s.name.slice(prefix.length) });
  }
  return { kind: 'bagunpack', input: source, column, outputs, schema: columns.schema };
}

/**
 * pivot(pivotColumn [, aggregation] [, column1, ...]) [: OutputSchema]
 * (https://learn.microsoft.com/kusto/query/pivot-plugin): per group of the columns (by default every
 * column but the pivot column and the aggregated one), one column per distinct value of the pivot
 * column, in the order values first occur, holding the aggregation (count() by default) over the
 * group's rows with that value; a value a group lacks gets the aggregation over no rows (0 for count).
 */
function bindPivot(b: Binder, op: A.EvaluateOp, input: BoundPlan): BoundPlan {
  const row = input.schema;
  const [pivotArg, ...rest] = op.plugin.args;
  if (!pivotArg || pivotArg.kind !== 'NameRef') throw b.error('KQL105', 'pivot() needs the column to pivot', op.plugin);
  const pivot = b.scalar(pivotArg, row);
  const aggArg = rest[0]?.kind === 'Call' ? (rest[0] as A.CallExpr) : undefined;
  const groupArgs = aggArg ? rest.slice(1) : rest;
  const agg = aggArg
    ? bindAggregateCall(b, aggArg, row)
    : bindAggregateCall(b, { kind: 'Call', name: { kind: 'Identifier', name: 'count', pos: op.pos, end: op.pos }, args: [], pos: op.pos, end: op.pos }, row);
  const aggregate: BoundAggregate = { fn: agg.fn, args: agg.args, type: agg.type, at: aggArg ?? op.plugin };
  const aggregated = new Set(agg.args.flatMap((a) => (a.kind === 'column' ? [a.index] : [])));
  const pivotIndex = row.findIndex((c) => c.name === pivotArg.name);
  const keyIndices = groupArgs.length
    ? groupArgs.map((g) => {
        if (g.kind !== 'NameRef') throw b.error('KQL105', 'pivot() groups by column names', g);
        return b.columnIndex({ kind: 'Identifier', name: g.name, pos: g.pos, end: g.end }, row);
      })
    : row.map((_, i) => i).filter((i) => i !== pivotIndex && !aggregated.has(i));
  const keys: BoundExpr[] = keyIndices.map((i) => columnRef(row[i]!, i));
  const columns = new ColumnBuilder(b.duplicateColumn('by pivot'));
  keyIndices.forEach((i) => columns.add(row[i]!.name, row[i]!.type, op, 'declared'));

  let values: unknown[];
  let source = input;
  if (op.schema) {
    if (op.schema.star) throw b.error('KQL106', 'pivot with (*, ...) is not supported', op);
    const keyNames = new Set(keyIndices.map((i) => row[i]!.name));
    values = op.schema.columns.filter((c) => !keyNames.has(c.name.name)).map((c) => c.name.name);
  } else {
    const d = discovered(b, op, input, (rows) => {
      const seen = new Map<string, unknown>();
      for (const r of rows) {
        const v = r[pivotIndex];
        const k = valueToString(v, pivot.type);
        if (!seen.has(k)) seen.set(k, v);
      }
      return [...seen.values()];
    });
    values = d.found as unknown[];
    source = { kind: 'rows', rows: d.rows, schema: row };
  }
  for (const v of values) columns.add(valueToString(v, pivot.type) || columns.nextUnnamed(), agg.type, op, 'generated');
  // declared values are names: the rows' pivot values are matched by their text
  return { kind: 'pivot', input: source, pivot, aggregate, keys, values: values.map((v) => valueToString(v, pivot.type)), schema: columns.schema };
}
