// Works out which columns each table scan must materialise. A scan converts only the columns the
// query can observe, so a 30-column table read by a 5-column query costs 5 conversions per row.
import { childExpressions, type BoundExpr, type BoundPlan } from '../bound.js';

type ScanPlan = Extract<BoundPlan, { kind: 'scan' }>;

export function scanColumnNeeds(root: BoundPlan): Map<ScanPlan, Set<number>> {
  const needs = new Map<ScanPlan, Set<number>>();
  const all = (p: BoundPlan) => new Set(p.schema.map((_, i) => i));

  const exprColumns = (exprs: readonly BoundExpr[], into: Set<number>): Set<number> => {
    const walk = (e: BoundExpr): void => {
      if (e.kind === 'column') into.add(e.index);
      else if (e.kind === 'subquery') visit(e.plan, all(e.plan));
      else childExpressions(e).forEach(walk);
    };
    exprs.forEach(walk);
    return into;
  };

  const visit = (p: BoundPlan, needed: Set<number>): void => {
    switch (p.kind) {
      case 'scan': {
        const s = needs.get(p) ?? new Set<number>();
        for (const i of needed) s.add(i);
        needs.set(p, s);
        return;
      }
      case 'rows':
        return;
      case 'where':
        visit(p.input, exprColumns([p.predicate], new Set(needed)));
        return;
      case 'extend': {
        const width = p.input.schema.length;
        const s = new Set([...needed].filter((i) => i < width));
        visit(p.input, exprColumns(p.exprs, s));
        return;
      }
      case 'mvexpand': {
        const width = p.input.schema.length;
        const s = new Set([...needed].filter((i) => i < width));
        visit(p.input, exprColumns(p.limit ? [...p.exprs, p.limit] : p.exprs, s));
        return;
      }
      case 'project':
      case 'distinct':
        visit(p.input, exprColumns(p.exprs, new Set()));
        return;
      case 'summarize':
        visit(p.input, exprColumns([...p.keys, ...p.aggregates.flatMap((a) => a.args), ...p.argExtremes.flatMap((a) => (a.key ? [a.key, ...a.columns] : a.columns))], new Set()));
        return;
      case 'count':
        visit(p.input, new Set());
        return;
      case 'take':
        visit(p.input, needed);
        return;
      case 'sort':
        visit(p.input, exprColumns(p.keys.map((k) => k.expr), new Set(needed)));
        return;
      case 'join': {
        const l = new Set(p.leftKeys);
        const r = new Set(p.rightKeys);
        p.output.forEach(([side, i], out) => {
          if (needed.has(out)) (side === 0 ? l : r).add(i);
        });
        visit(p.left, l);
        visit(p.right, r);
        return;
      }
      case 'union':
        p.inputs.forEach((input, k) => {
          const map = p.mappings[k]!;
          visit(input, new Set(map.map((out, i) => (needed.has(out) ? i : -1)).filter((i) => i >= 0)));
        });
        return;
      case 'materialize':
        // shared by several consumers: keep every column
        visit(p.input, all(p.input));
        return;
      case 'serialize':
        visit(p.input, needed);
        return;
      case 'parse': {
        const width = p.input.schema.length;
        visit(p.input, exprColumns([p.source], new Set([...needed].filter((i) => i < width))));
        return;
      }
      case 'makeseries':
        visit(p.input, exprColumns([...p.keys, p.axis, ...p.aggregates.flatMap((a) => a.args)], new Set()));
        return;
      case 'externaldata':
      case 'applyinput':
        return;
      case 'bagunpack': {
        const kept = new Set([p.column]);
        p.outputs.forEach((o, out) => {
          if (o.from === 'input' && needed.has(out)) kept.add(o.index);
        });
        visit(p.input, kept);
        return;
      }
      case 'pivot':
        visit(p.input, exprColumns([p.pivot, ...p.keys, ...p.aggregate.args], new Set()));
        return;
      case 'mvapply':
        // the subquery may read any column of the expanded rows
        visit(p.input, all(p.input));
        visit(p.subquery, all(p.subquery));
        return;
    }
  };
  visit(root, all(root));
  return needs;
}
