// Tabular expressions and the query operators after `|`: sources (tables, lets, datatable, union,
// print, materialize) and the row operators (where, take, top, sort, count, join, lookup, union, as).
// Operators that make columns are in projection.ts and summarize.ts.
import * as A from '../ast.js';
import type { BoundPlan, JoinKind, SortKeyBound } from '../bound.js';
import { isNumericType } from '../functions/types.js';
import { didYouMean } from '../suggest.js';
import type { ColumnSchema, KqlType } from '../types.js';
import { nullOf } from '../values.js';
import { ColumnBuilder } from './columns.js';
import type { Binder } from './index.js';
import { isKnownUnsupportedFunction } from './calls.js';
import { bindEvaluate } from './evaluate.js';
import { bindInvoke, callUserFunction, nameCall } from './functions.js';
import { bindMakeSeries } from './makeSeries.js';
import { bindMvApply } from './mvApply.js';
import { bindParse } from './parse.js';
import { bindDistinct, bindExtend, bindMvExpand, bindProjectRename, bindProjection, bindProjectReorder, bindProjectSubset } from './projection.js';
import { PoisonedReference } from './scope.js';
import { bindSummarize } from './summarize.js';
import { bindSerialize, isSerialized } from './windows.js';

const JOIN_KINDS: ReadonlySet<string> = new Set([
  'innerunique', 'inner', 'leftouter', 'rightouter', 'fullouter', 'leftanti', 'leftantisemi', 'rightanti', 'rightantisemi',
  'leftsemi', 'rightsemi', 'anti',
]);

export function bindTabular(b: Binder, e: A.Expr): BoundPlan {
  switch (e.kind) {
    case 'NameRef': {
      const let_ = b.scope.let(e.name);
      if (let_?.kind === 'tabular') return let_.plan;
      if (let_?.kind === 'function') return callUserFunction(b, nameCall(e), []).plan();
      if (let_?.kind === 'poisoned') throw new PoisonedReference(e.name, let_.open);
      if (let_?.kind === 'scalar') throw b.error('KQL111', `'${e.name}' is a scalar value, not a table`, e);
      const schema = b.scope.catalogue.schemaOf(e.name);
      if (!schema) throw b.error('KQL101', `unknown table '${e.name}'${didYouMean(e.name, b.scope.tableCandidates(), 'table names')}`, e);
      return { kind: 'scan', table: schema.name, schema: schema.columns };
    }
    case 'Pipe': {
      const input = bindSource(b, e.source);
      // in lint mode an operator that fails passes its input on when it keeps the rows' columns, else
      // its output is unknown, and the rest of the pipe is still bound
      const output = b.attempt(
        () => bindOperator(b, e.operator, input),
        () => (KEEPS_COLUMNS.has(e.operator.kind) ? input : b.unknownPlan(true)),
      );
      b.inherit(input.schema, output.schema);
      return output;
    }
    case 'Datatable':
      return bindDatatable(b, e);
    case 'Union':
      return bindUnion(b, e, e.tables.map((t) => bindSource(b, t)));
    case 'Print':
      return bindProjection(b, e.columns, { kind: 'rows', schema: [], rows: [[]] }, 'print');
    case 'Call':
      if (e.name.name === 'materialize') {
        if (e.args.length !== 1) throw b.error('KQL105', 'materialize() takes one tabular argument', e);
        const input = bindSource(b, e.args[0]!);
        return { kind: 'materialize', id: b.nextMaterializeId(), input, schema: input.schema };
      }
      if (b.scope.let(e.name.name)?.kind === 'function' || b.scope.let(e.name.name)?.kind === 'poisoned') return callUserFunction(b, e, []).plan();
      if (isKnownUnsupportedFunction(e.name.name)) throw b.error('KQL106', `the function '${e.name.name}()' is not supported`, e.name);
      throw b.error('KQL111', `'${e.name.name}(...)' is not a tabular expression`, e);
    case 'ExternalData':
      return bindExternalData(b, e);
    case 'Unsupported':
      throw b.error('KQL106', `${e.what} is not supported`, e);
    case 'Error':
      // the parser already reported it
      throw new PoisonedReference('');
    default:
      // database("db").Table: a table of another database (or cluster)
      if (e.kind === 'Member' && e.target.kind === 'Call' && isKnownUnsupportedFunction(e.target.name.name)) {
        throw b.error('KQL106', `the function '${e.target.name.name}()' is not supported`, e.target.name);
      }
      throw b.error('KQL111', 'expected a tabular expression (a table, a let name or a query)', e);
  }
}

/** Operators whose output has their input's columns: in lint mode, a failed one passes its input on. */
const KEEPS_COLUMNS: ReadonlySet<A.QueryOperator['kind']> = new Set(['Where', 'Take', 'Top', 'Sort', 'As', 'ErrorOp']);

function bindSource(b: Binder, e: A.Expr): BoundPlan {
  return b.source(e);
}

/** Operators whose expressions may hold window functions, when their input is serialized. */
const WINDOWED_OPERATORS: ReadonlySet<A.QueryOperator['kind']> = new Set(['Where', 'Extend', 'Project']);

export function bindOperator(b: Binder, op: A.QueryOperator, input: BoundPlan): BoundPlan {
  return b.withWindowInput(WINDOWED_OPERATORS.has(op.kind) && isSerialized(input), () => bindRowOperator(b, op, input));
}

function bindRowOperator(b: Binder, op: A.QueryOperator, input: BoundPlan): BoundPlan {
  const row = input.schema;
  switch (op.kind) {
    case 'Where': {
      const predicate = b.scalar(op.predicate, row);
      if (predicate.type !== 'bool' && predicate.type !== 'dynamic') {
        throw b.error('KQL104', `the where predicate must be bool, not ${predicate.type}`, op.predicate);
      }
      return { kind: 'where', input, predicate, schema: row };
    }
    case 'Extend':
      return bindExtend(b, op, input);
    case 'Project':
      return bindProjection(b, op.columns, input, 'project');
    case 'ProjectAway':
    case 'ProjectKeep':
      return bindProjectSubset(b, op, input);
    case 'ProjectRename':
      return bindProjectRename(b, op, input);
    case 'Summarize':
      return bindSummarize(b, op, input);
    case 'Distinct':
      return bindDistinct(b, op, input);
    case 'Count':
      return { kind: 'count', input, schema: [{ name: 'Count', type: 'long' }] };
    case 'Take': {
      const count = b.scalar(op.count, []);
      if (!isNumericType(count.type)) throw b.error('KQL104', `take needs a number, not ${count.type}`, op.count);
      return { kind: 'take', input, count, schema: row };
    }
    case 'Top': {
      const limit = b.scalar(op.count, []);
      if (!isNumericType(limit.type)) throw b.error('KQL104', `top needs a number, not ${limit.type}`, op.count);
      return { kind: 'sort', input, keys: [bindSortKey(b, op.key, row)], limit, schema: row };
    }
    case 'Sort':
      return { kind: 'sort', input, keys: op.keys.map((k) => bindSortKey(b, k, row)), schema: row };
    case 'Join':
    case 'Lookup':
      return bindJoin(b, op, input);
    case 'UnionOp':
      return bindUnion(b, op, [input, ...op.tables.map((t) => bindSource(b, t))]);
    case 'MvExpand':
      return bindMvExpand(b, op, input);
    case 'As':
      b.scope.define(op.name.name, { kind: 'tabular', plan: input });
      return input;
    case 'ProjectReorder':
      return bindProjectReorder(b, op, input);
    case 'Render':
      // https://learn.microsoft.com/kusto/query/render-operator: it only tells a client how to draw the table
      b.notes.push(`render ${op.chart.name} was ignored: the local engine returns the table, not a chart`);
      return input;
    case 'Serialize':
      return bindSerialize(b, op, input);
    case 'Parse':
      return bindParse(b, op, input);
    case 'MakeSeries':
      return bindMakeSeries(b, op, input);
    case 'Invoke':
      return bindInvoke(b, op, input);
    case 'Evaluate':
      return bindEvaluate(b, op, input);
    case 'MvApply':
      return bindMvApply(b, op, input);
    case 'UnsupportedOp':
      throw b.error('KQL106', `${op.what} is not supported`, op);
    case 'ErrorOp':
      // the parser already reported it
      throw new PoisonedReference('');
    default:
      return A.assertNever(op, 'query operator');
  }
}

/** externaldata: the declared columns, read at run time from the table provider's local mapping. */
function bindExternalData(b: Binder, e: A.ExternalDataExpr): BoundPlan {
  const columns: ColumnSchema[] = e.columns.map((c) => ({ name: c.name.name, type: c.type }));
  const constant = (x: A.Expr, what: string): unknown => {
    const v = b.scalar(x, []);
    if (v.kind !== 'const') throw b.error('KQL110', `the externaldata ${what} must be a constant`, x);
    return v.value;
  };
  const urls = e.urls.map((u) => {
    const v = constant(u, 'URL');
    if (typeof v !== 'string') throw b.error('KQL104', 'an externaldata URL must be a string', u);
    return v;
  });
  const properties = Object.fromEntries(e.properties.map((p) => [p.name.name.toLowerCase(), constant(p.value, `property '${p.name.name}'`)]));
  return { kind: 'externaldata', request: { urls, columns, properties }, at: e, schema: columns };
}

function bindSortKey(b: Binder, k: A.SortKey, row: readonly ColumnSchema[]): SortKeyBound {
  const expr = b.scalar(k.expr, row);
  // Kusto: ascending puts nulls first, descending puts them last, unless stated
  return { expr, descending: k.descending, nullsFirst: k.nullsFirst ?? !k.descending };
}

function literalFits(value: KqlType, column: KqlType): boolean {
  if (value === column) return true;
  if (isNumericType(value) && isNumericType(column)) return true;
  return column === 'dynamic';
}

function bindDatatable(b: Binder, e: A.DatatableExpr): BoundPlan {
  const schema: ColumnSchema[] = e.columns.map((c) => ({ name: c.name.name, type: c.type }));
  const width = schema.length;
  if (e.values.length % width !== 0) {
    throw b.error('KQL104', `datatable has ${e.values.length} values, not a multiple of its ${width} columns`, e);
  }
  const rows: unknown[][] = [];
  for (let i = 0; i < e.values.length; i += width) {
    const row: unknown[] = [];
    for (let j = 0; j < width; j++) {
      const node = e.values[i + j]!;
      const bound = b.scalar(node, []);
      if (bound.kind !== 'const') throw b.error('KQL110', 'datatable values must be literals', node);
      const col = schema[j]!;
      if (!literalFits(bound.type, col.type) && bound.value !== null) {
        throw b.error('KQL104', `value of type ${bound.type} does not fit column '${col.name}' of type ${col.type}`, node);
      }
      row.push(bound.value === null || bound.value === undefined ? nullOf(col.type) : bound.value);
    }
    rows.push(row);
  }
  return { kind: 'rows', rows, schema };
}

/**
 * union (https://learn.microsoft.com/kusto/query/union-operator). kind=outer (the default) keeps every
 * column of any input, kind=inner the columns (name and type) every input has. A name kept with several
 * types becomes one column per type, suffixed with its type (x_long, x_string); names are taken in order
 * of first appearance, each name's types together, and a name that collides with an earlier output
 * column gets a numeric suffix (x_string1), as Kusto.Language names them. Mappings give each input
 * column's output index, -1 when it is dropped.
 */
function bindUnion(b: Binder, node: A.UnionExpr | A.UnionOp, inputs: BoundPlan[]): BoundPlan {
  if (inputs.length === 0) throw b.error('KQL111', 'union needs at least one table', node);
  if (node.withSource) throw b.error('KQL106', 'union withsource= is not supported', node.withSource);
  const kind = node.unionKind?.name ?? 'outer';
  if (kind !== 'outer' && kind !== 'inner') throw b.error('KQL106', `union kind '${kind}' is not supported (only inner and outer)`, node.unionKind!);
  const typesOf = new Map<string, KqlType[]>();
  for (const p of inputs) {
    for (const c of p.schema) {
      const types = typesOf.get(c.name) ?? [];
      if (!types.includes(c.type)) types.push(c.type);
      typesOf.set(c.name, types);
    }
  }
  const inEvery = (name: string, type: KqlType) => inputs.every((p) => p.schema.some((c) => c.name === name && c.type === type));
  const columns = new ColumnBuilder(b.duplicateColumn());
  const index = new Map<string, number>();
  for (const [name, all] of typesOf) {
    const types = kind === 'inner' ? all.filter((t) => inEvery(name, t)) : all;
    for (const type of types) index.set(`${type}:${name}`, columns.add(types.length > 1 ? `${name}_${type}` : name, type, node, 'generated'));
  }
  const mappings = inputs.map((p) => p.schema.map((c) => index.get(`${c.type}:${c.name}`) ?? -1));
  return { kind: 'union', inputs, mappings, schema: columns.schema };
}

function bindJoin(b: Binder, op: A.JoinOp | A.LookupOp, left: BoundPlan): BoundPlan {
  let kind = op.joinKind;
  if (kind === 'leftantisemi' || kind === 'anti') kind = 'leftanti';
  if (kind === 'rightantisemi') kind = 'rightanti';
  const kindAt = { pos: op.kindPos, end: op.kindPos + op.joinKind.length };
  if (!JOIN_KINDS.has(op.joinKind)) throw b.error('KQL106', `join kind '${op.joinKind}' is not supported`, kindAt);
  if (op.kind === 'Lookup' && kind !== 'leftouter' && kind !== 'inner') {
    throw b.error('KQL106', `lookup kind '${op.joinKind}' is not supported (only leftouter and inner)`, kindAt);
  }
  const right = bindSource(b, op.right);
  const leftKeys: number[] = [];
  const rightKeys: number[] = [];
  // every key is checked (lint reports each unknown one) before the join gives up on a failed key
  b.each(op.on, (c) => {
    const l = b.attempt(() => b.columnIndex(c.left, left.schema, 'left side of the join'), () => -1);
    const r = b.columnIndex(c.right, right.schema, 'right side of the join');
    if (l < 0) throw new PoisonedReference(c.left.name);
    leftKeys.push(l);
    rightKeys.push(r);
  });
  const output: [0 | 1, number][] = [];
  const columns = new ColumnBuilder(b.duplicateColumn());
  const add = (side: 0 | 1, i: number, c: ColumnSchema) => {
    columns.add(c.name, c.type, op, 'generated');
    output.push([side, i]);
  };
  const leftOnly = kind === 'leftanti' || kind === 'leftsemi';
  const rightOnly = kind === 'rightanti' || kind === 'rightsemi';
  if (!rightOnly) left.schema.forEach((c, i) => add(0, i, c));
  if (!leftOnly) {
    right.schema.forEach((c, i) => {
      // lookup drops the right key columns; a same-named key in join appears as Key1
      if (op.kind === 'Lookup' && rightKeys.includes(i) && left.schema[leftKeys[rightKeys.indexOf(i)]!]!.name === c.name) return;
      add(1, i, c);
    });
  }
  return { kind: 'join', left, right, joinKind: kind as JoinKind, leftKeys, rightKeys, output, schema: columns.schema };
}
