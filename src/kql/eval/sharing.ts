// Tabular lets used more than once. The binder hands every reference to `let X = ...` the same plan
// object, so a plan reached twice from the query is a let read twice (a context query may read its
// files let three times). Such a plan runs once and its rows are replayed, as if the let had been
// written with materialize().
import { childExpressions, type BoundExpr, type BoundPlan } from '../bound.js';

/** Plans that read no other plan: they yield rows of their own. */
export type LeafPlan = Extract<BoundPlan, { kind: 'scan' | 'rows' | 'externaldata' | 'applyinput' }>;

export const isLeaf = (p: BoundPlan): p is LeafPlan => p.kind === 'scan' || p.kind === 'rows' || p.kind === 'externaldata' || p.kind === 'applyinput';

export function inputsOf(p: BoundPlan): readonly BoundPlan[] {
  if (isLeaf(p)) return [];
  switch (p.kind) {
    case 'mvapply':
      // the subquery depends on the row it runs for: its own plans are reached through it only
      return [p.input, p.subquery];
    case 'join':
      return [p.left, p.right];
    case 'union':
      return p.inputs;
    default:
      return [p.input];
  }
}

export function expressionsOf(p: BoundPlan): readonly BoundExpr[] {
  switch (p.kind) {
    case 'where':
      return [p.predicate];
    case 'extend':
    case 'project':
    case 'distinct':
      return p.exprs;
    case 'summarize':
      return [...p.keys, ...p.aggregates.flatMap((a) => a.args), ...p.argExtremes.flatMap((a) => (a.key ? [a.key, ...a.columns] : a.columns))];
    case 'take':
      return [p.count];
    case 'sort':
      return p.limit ? [...p.keys.map((k) => k.expr), p.limit] : p.keys.map((k) => k.expr);
    case 'mvexpand':
      return p.limit ? [...p.exprs, p.limit] : p.exprs;
    case 'parse':
      return [p.source];
    case 'makeseries':
      return [...p.keys, p.axis, ...p.aggregates.flatMap((a) => a.args), ...(p.from ? [p.from] : []), ...(p.to ? [p.to] : []), p.step];
    case 'pivot':
      return [p.pivot, ...p.keys, ...p.aggregate.args];
    case 'mvapply':
      return p.limit ? [...p.exprs, p.limit] : p.exprs;
    default:
      return [];
  }
}

/**
 * Plans reached more than once, worth keeping: not table scans or literal rows (re-reading those
 * costs what keeping them would save), and not explicit materialize() (kept already).
 */
export function sharedPlans(root: BoundPlan): Set<BoundPlan> {
  const seen = new Set<BoundPlan>();
  const shared = new Set<BoundPlan>();
  const visitExpr = (e: BoundExpr): void => {
    if (e.kind === 'subquery') visit(e.plan);
    else childExpressions(e).forEach(visitExpr);
  };
  const visit = (p: BoundPlan): void => {
    if (seen.has(p)) {
      if (p.kind !== 'scan' && p.kind !== 'rows' && p.kind !== 'materialize') shared.add(p);
      return; // its inputs run once, for the first reference
    }
    seen.add(p);
    inputsOf(p).forEach(visit);
    expressionsOf(p).forEach(visitExpr);
  };
  visit(root);
  return shared;
}
