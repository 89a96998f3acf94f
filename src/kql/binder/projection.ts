// Operators that compute or choose columns: extend, project, print, project-away/keep/rename,
// distinct and mv-expand. Each declares its output through the one ColumnBuilder.
import type * as A from '../ast.js';
import type { BoundExpr, BoundPlan } from '../bound.js';
import { didYouMean } from '../suggest.js';
import type { ColumnSchema, KqlType } from '../types.js';
import { assignmentName, ColumnBuilder, columnRef, expressionName } from './columns.js';
import type { Binder } from './index.js';

/**
 * extend: each expression is bound against the operator's input, as Kusto.Language binds it, so a
 * column made earlier in the same extend is an unknown name to the later ones (`extend a = 1, b = a`
 * is an error unless the input has an `a`).
 */
export function bindExtend(b: Binder, op: A.ExtendOp, input: BoundPlan): BoundPlan {
  const columns = new ColumnBuilder(b.duplicateColumn('in this extend'), input.schema);
  const exprs: BoundExpr[] = [];
  const targets: number[] = [];
  for (const a of op.columns) {
    const expr = b.columnExpr(a.expr, input.schema);
    const target = columns.set(assignmentName(a)?.name ?? columns.nextUnnamed(), expr?.type ?? 'dynamic', a.name ?? a);
    targets.push(target);
    exprs.push(b.column(expr, columns.schema[target]!));
  }
  return { kind: 'extend', input, exprs, targets, schema: columns.schema };
}

/** project and print: one output column per assignment, in order. */
export function bindProjection(b: Binder, assignments: readonly A.Assignment[], input: BoundPlan, style: 'project' | 'print'): BoundPlan {
  const columns = new ColumnBuilder(b.duplicateColumn());
  const exprs: BoundExpr[] = [];
  assignments.forEach((a, i) => {
    const expr = b.columnExpr(a.expr, input.schema);
    // print names an unnamed column by its position: print_0, print_1, ...
    const named = assignmentName(a) ?? { name: style === 'print' ? `print_${i}` : columns.nextUnnamed(), origin: 'generated' as const };
    const index = columns.add(named.name, expr?.type ?? 'dynamic', a, named.origin);
    exprs.push(b.column(expr, columns.schema[index]!));
  });
  return { kind: 'project', input, exprs, schema: columns.schema };
}

/**
 * The input columns a project-away / project-keep name selects: one column, or every column a
 * wildcard pattern matches (https://learn.microsoft.com/kusto/query/project-away-operator); a name or
 * pattern that selects nothing is an unknown column.
 */
function selectColumns(b: Binder, id: A.Identifier, row: readonly ColumnSchema[]): number[] {
  if (!id.name.includes('*')) return [b.columnIndex(id, row)];
  const matches = columnPattern(id.name);
  const matched = row.map((c, i) => (matches(c.name) ? i : -1)).filter((i) => i >= 0);
  if (matched.length === 0) throw b.error('KQL102', `no column matches '${id.name}'${didYouMean(id.name, row.map((c) => c.name), 'column names')}`, id);
  return matched;
}

/** project-away and project-keep: the input columns minus, or only, the named ones, in input order. */
export function bindProjectSubset(b: Binder, op: A.ProjectAwayOp | A.ProjectKeepOp, input: BoundPlan): BoundPlan {
  const named = new Set(op.columns.flatMap((c) => selectColumns(b, c, input.schema)));
  const keep = op.kind === 'ProjectKeep';
  const indices = input.schema.map((_, i) => i).filter((i) => named.has(i) === keep);
  return { kind: 'project', input, exprs: indices.map((i) => columnRef(input.schema[i]!, i)), schema: indices.map((i) => input.schema[i]!) };
}

export function bindProjectRename(b: Binder, op: A.ProjectRenameOp, input: BoundPlan): BoundPlan {
  const columns = new ColumnBuilder(b.duplicateColumn(), input.schema);
  for (const { newName, oldName } of op.renames) columns.rename(b.columnIndex(oldName, columns.schema), newName.name);
  return { kind: 'project', input, exprs: input.schema.map((c, i) => columnRef(c, i)), schema: columns.schema };
}

export function bindDistinct(b: Binder, op: A.DistinctOp, input: BoundPlan): BoundPlan {
  const row = input.schema;
  if (op.star) {
    if (row.some((c) => c.type === 'dynamic')) {
      throw b.error('KQL104', 'distinct * cannot group by dynamic columns (project them away or convert with tostring())', { pos: op.end - 1, end: op.end });
    }
    return { kind: 'distinct', input, exprs: row.map((c, i) => columnRef(c, i)), schema: row };
  }
  const columns = new ColumnBuilder(b.duplicateColumn());
  const exprs = op.columns.map((c) => {
    const x = b.attempt<BoundExpr | undefined>(() => {
      const bound = b.scalar(c, row);
      if (bound.type === 'dynamic') throw b.error('KQL104', 'distinct cannot group by a dynamic value (convert it with tostring())', c);
      return bound;
    }, () => undefined);
    const index = columns.add(expressionName(c) ?? columns.nextUnnamed(), x?.type ?? 'dynamic', c, c.kind === 'NameRef' ? 'declared' : 'generated');
    return b.column(x, columns.schema[index]!);
  });
  return { kind: 'distinct', input, exprs, schema: columns.schema };
}

/**
 * mv-expand (https://learn.microsoft.com/kusto/query/mv-expand-operator): kind=bag (the default)
 * expands a property bag into one-property bags, kind=array into [key, value] arrays;
 * with_itemindex= adds the item's 0-based index as a long column after the others.
 */
export function bindMvExpand(b: Binder, op: A.MvExpandOp, input: BoundPlan): BoundPlan {
  const expandKind = op.expandKind?.name ?? 'bag';
  if (expandKind !== 'bag' && expandKind !== 'array') throw b.error('KQL106', `mv-expand kind '${expandKind}' is not supported (only bag and array)`, op.expandKind!);
  const columns = new ColumnBuilder(b.duplicateColumn('in this mv-expand'), input.schema);
  const expansions = bindExpansions(b, op.columns, input, columns, 'mv-expand');
  const itemIndex = op.itemIndex ? columns.add(op.itemIndex.name, 'long', op.itemIndex, 'generated') : undefined;
  const limit = op.limit ? b.scalar(op.limit, []) : undefined;
  return { kind: 'mvexpand', input, ...expansions, limit, arrays: expandKind === 'array', itemIndex, schema: columns.schema };
}

/** The expanded columns of mv-expand and mv-apply: each a dynamic expression into a named column, optionally typed. */
export function bindExpansions(
  b: Binder,
  specs: readonly { readonly assignment: A.Assignment; readonly toType?: KqlType }[],
  input: BoundPlan,
  columns: ColumnBuilder,
  operator: string,
): { exprs: BoundExpr[]; targets: number[]; toTypes: (KqlType | undefined)[] } {
  const exprs: BoundExpr[] = [];
  const targets: number[] = [];
  const toTypes: (KqlType | undefined)[] = [];
  for (const { assignment, toType } of specs) {
    const expr = b.scalar(assignment.expr, input.schema);
    if (expr.type !== 'dynamic') throw b.error('KQL104', `${operator} needs a dynamic array, not ${expr.type}`, assignment.expr);
    const name = assignmentName(assignment)?.name;
    if (!name) throw b.error('KQL106', `${operator} of an expression needs a column name (Name = expr)`, assignment);
    targets.push(columns.set(name, toType ?? 'dynamic', assignment));
    exprs.push(expr);
    toTypes.push(toType);
  }
  return { exprs, targets, toTypes };
}

/** A wildcard column pattern (`Device*`, `*Id`, `*`) as a whole-name matcher; a plain name matches itself. */
export function columnPattern(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (name) => re.test(name);
}

/** Case-insensitive name order; granny (natural) order compares runs of digits as numbers: a9 < a10. */
function nameOrder(order: 'asc' | 'desc' | 'granny-asc' | 'granny-desc'): (a: string, b: string) => number {
  const natural = order.startsWith('granny');
  const sign = order.endsWith('desc') ? -1 : 1;
  return (a, b) => sign * a.localeCompare(b, 'en', { sensitivity: 'base', numeric: natural });
}

/**
 * project-reorder (https://learn.microsoft.com/kusto/query/project-reorder-operator): the named columns,
 * then those each pattern matches (in input order, or by name with asc/desc/granny-asc/granny-desc), move
 * to the front in the order given; the others follow in input order. A name or pattern that matches no
 * column is an error, as Kusto.Language reports it.
 */
export function bindProjectReorder(b: Binder, op: A.ProjectReorderOp, input: BoundPlan): BoundPlan {
  const row = input.schema;
  const placed: number[] = [];
  for (const { pattern, order } of op.columns) {
    const matches = columnPattern(pattern.name);
    const found = row.map((c, i) => i).filter((i) => matches(row[i]!.name));
    if (found.length === 0) {
      if (!pattern.name.includes('*')) b.columnIndex(pattern, row);
      throw b.error('KQL102', `no column matches '${pattern.name}'`, pattern);
    }
    if (order) found.sort((x, y) => nameOrder(order)(row[x]!.name, row[y]!.name));
    for (const i of found) if (!placed.includes(i)) placed.push(i);
  }
  const indices = [...placed, ...row.map((_, i) => i).filter((i) => !placed.includes(i))];
  return { kind: 'project', input, exprs: indices.map((i) => columnRef(row[i]!, i)), schema: indices.map((i) => row[i]!) };
}
