// Warnings about queries that run here but may decide differently in Kusto. dcount() is exact in this
// engine and an estimate in Kusto ("the result is an estimate": HyperLogLog, about 1% error at the
// default accuracy, https://learn.microsoft.com/kusto/query/dcount-aggregation-function), so a rule that
// compares a dcount with a threshold can fire here and not there, or the other way round.
import type * as A from './ast.js';
import { positionAt, type KqlDiagnostic } from './errors.js';

const APPROXIMATE = new Set(['dcount', 'dcountif']);
const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=', '<>']);

/** Every comparison of a dcount()/dcountif() result with a number, as a warning at the comparison. */
export function approximateThresholds(script: A.Script, text: string): KqlDiagnostic[] {
  const found: KqlDiagnostic[] = [];
  const warn = (at: A.BinaryExpr, name: string) => {
    const p = positionAt(text, at.pos);
    found.push({
      code: 'KQL301',
      severity: 'warning',
      message:
        `'${name}' is a dcount(), exact here but an estimate in Kusto (about 1% off at the default accuracy): ` +
        'comparing it with a threshold can decide differently there; count_distinct() is exact in both',
      line: p.line,
      col: p.col,
      offset: at.pos,
      length: Math.max(1, at.end - at.pos),
    });
  };

  /** Walks a tabular expression; returns the names of the dcount columns its output has. */
  const tabular = (e: A.Expr): Set<string> => {
    if (e.kind !== 'Pipe') {
      visitChildren(e);
      return new Set();
    }
    const names = tabular(e.source);
    const op = e.operator;
    if (op.kind === 'Summarize') {
      const out = new Set<string>();
      for (const a of op.aggregates) {
        if (a.expr.kind === 'Call' && APPROXIMATE.has(a.expr.name.name)) {
          const arg = a.expr.args[0];
          out.add(a.name?.name ?? `${a.expr.name.name}_${arg?.kind === 'NameRef' ? arg.name : ''}`);
        }
      }
      visitChildren(op);
      return out;
    }
    if (op.kind === 'Where') checkComparisons(op.predicate, names);
    visitChildren(op);
    return names;
  };

  const checkComparisons = (e: A.Expr, names: Set<string>): void => {
    if (e.kind === 'Binary') {
      if (COMPARISONS.has(e.op)) {
        const [column, other] = e.left.kind === 'NameRef' ? [e.left, e.right] : [e.right, e.left];
        if (column.kind === 'NameRef' && names.has(column.name) && other.kind === 'Literal' && typeof other.value === 'number') warn(e, column.name);
      }
      checkComparisons(e.left, names);
      checkComparisons(e.right, names);
    }
  };

  /** Nested tabular expressions (let values, join and union inputs, subqueries). */
  const visitChildren = (node: object): void => {
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child === null || typeof child !== 'object' || !('kind' in child)) continue;
        if ((child as A.Expr).kind === 'Pipe') tabular(child as A.Expr);
        else visitChildren(child);
      }
    }
  };

  for (const st of script.statements) {
    if (st.kind === 'Let') tabular(st.value);
    if (st.kind === 'ExprStatement') tabular(st.expr);
  }
  return found;
}
