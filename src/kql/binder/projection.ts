// Operators that compute or choose columns: extend, project, print, project-away/keep/rename,
// distinct and mv-expand. Each declares its output through the one ColumnBuilder.
import type * as A from '../ast.js';
import type { BoundExpr, BoundPlan } from '../bound.js';
import type { KqlType } from '../types.js';
import { assignmentName, ColumnBuilder, columnRef, inferName } from './columns.js';
import type { Binder } from './index.js';

export function bindExtend(b: Binder, op: A.ExtendOp, input: BoundPlan): BoundPlan {
  const columns = new ColumnBuilder(b.duplicateColumn('in this extend'), input.schema);
  const exprs: BoundExpr[] = [];
  const targets: number[] = [];
  for (const a of op.columns) {
    const expr = b.scalar(a.expr, columns.schema);
    targets.push(columns.add(assignmentName(a, columns), expr.type, a.name ?? a, 'replace')!);
    exprs.push(expr);
  }
  return { kind: 'extend', input, exprs, targets, schema: columns.schema };
}

/** project and print: one output column per assignment, in order. */
export function bindProjection(b: Binder, assignments: readonly A.Assignment[], input: BoundPlan, style: 'project' | 'print'): BoundPlan {
  const columns = new ColumnBuilder(b.duplicateColumn());
  const exprs: BoundExpr[] = [];
  assignments.forEach((a, i) => {
    const expr = b.scalar(a.expr, input.schema);
    // print names an unnamed column by its position: print_0, print_1, ...
    const name = style === 'print' ? a.name?.name ?? inferName(a.expr, false) ?? `print_${i}` : assignmentName(a, columns);
    columns.add(name, expr.type, a, 'error');
    exprs.push(expr);
  });
  return { kind: 'project', input, exprs, schema: columns.schema };
}

/** project-away and project-keep: the input columns minus, or only, the named ones, in input order. */
export function bindProjectSubset(b: Binder, op: A.ProjectAwayOp | A.ProjectKeepOp, input: BoundPlan): BoundPlan {
  const named = new Set(op.columns.map((c) => b.columnIndex(c, input.schema)));
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
    const x = b.scalar(c, row);
    if (x.type === 'dynamic') throw b.error('KQL104', 'distinct cannot group by a dynamic value (convert it with tostring())', c);
    columns.add(inferName(c) ?? columns.nextUnnamed(), x.type, c, 'error');
    return x;
  });
  return { kind: 'distinct', input, exprs, schema: columns.schema };
}

export function bindMvExpand(b: Binder, op: A.MvExpandOp, input: BoundPlan): BoundPlan {
  const columns = new ColumnBuilder(b.duplicateColumn('in this mv-expand'), input.schema);
  const exprs: BoundExpr[] = [];
  const targets: number[] = [];
  const toTypes: (KqlType | undefined)[] = [];
  for (const { assignment, toType } of op.columns) {
    const expr = b.scalar(assignment.expr, input.schema);
    if (expr.type !== 'dynamic') throw b.error('KQL104', `mv-expand needs a dynamic array, not ${expr.type}`, assignment.expr);
    const name = assignment.name?.name ?? inferName(assignment.expr);
    if (!name) throw b.error('KQL106', 'mv-expand of an expression needs a column name (Name = expr)', assignment);
    targets.push(columns.add(name, toType ?? 'dynamic', assignment, 'replace')!);
    exprs.push(expr);
    toTypes.push(toType);
  }
  const limit = op.limit ? b.scalar(op.limit, []) : undefined;
  return { kind: 'mvexpand', input, exprs, targets, toTypes, limit, schema: columns.schema };
}
