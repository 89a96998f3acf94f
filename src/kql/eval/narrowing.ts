// Narrows every row to the columns the query reads. The binder gives a table scan the table's whole
// schema (DeviceProcessEvents: 73 columns) and every operator above it a row of that width; a query that
// reads 5 of them would then allocate, copy (extend) and hold (sort, join, lets read twice) 73 slots per
// row. Before it runs, the plan is rewritten so that each scan yields only the columns some operator
// above it reads (and the provider converts only those), and every operator up to the next one that
// builds rows of its own (project, summarize, distinct, ...) carries only those: its column indices
// are renumbered. The query's own output columns are all kept.
import type { BoundAggregate, BoundExpr, BoundPlan } from '../bound.js';
import { childExpressions } from '../bound.js';
import { subqueriesIn } from './compile.js';
import { expressionsOf, inputsOf, isLeaf } from './sharing.js';

type Plan = BoundPlan;
type Of<K extends Plan['kind']> = Extract<Plan, { kind: K }>;
/** For each column of a plan's original output: its index in the narrowed output, -1 when left out. */
type ColumnMap = readonly number[];

interface Narrowed {
  readonly plan: Plan;
  readonly map: ColumnMap;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const everyColumn = (p: Plan) => new Set(range(p.schema.length));

function readColumns(exprs: readonly (BoundExpr | undefined)[], into = new Set<number>()): Set<number> {
  const walk = (e: BoundExpr): void => {
    if (e.kind === 'column') into.add(e.index);
    else childExpressions(e).forEach(walk);
  };
  for (const e of exprs) if (e) walk(e);
  return into;
}

const subqueryPlans = (exprs: readonly BoundExpr[]): Plan[] => subqueriesIn(exprs).flatMap((e) => (e.kind === 'subquery' ? [e.plan] : []));

const below = (columns: Iterable<number>, width: number) => new Set([...columns].filter((i) => i < width));

/** The columns of each input (in `inputsOf` order) that `p` reads to produce its output columns `needed`. */
function inputNeeds(p: Plan, needed: ReadonlySet<number>): Set<number>[] {
  if (isLeaf(p)) return [];
  switch (p.kind) {
    case 'where':
    case 'sort':
      return [readColumns(expressionsOf(p), new Set(needed))];
    case 'take':
    case 'materialize':
    case 'serialize':
      return [new Set(needed)];
    case 'extend':
    case 'mvexpand':
    case 'parse': {
      // they append (or replace) columns: the input's columns that stay, and those the expressions read
      const width = p.input.schema.length;
      return [below(readColumns(expressionsOf(p), new Set(needed)), width)];
    }
    case 'project':
    case 'distinct':
    case 'summarize':
    case 'makeseries':
    case 'pivot':
      return [readColumns(expressionsOf(p))];
    case 'count':
      return [new Set()];
    case 'bagunpack':
      return [new Set([p.column, ...p.outputs.flatMap((o) => (o.from === 'input' ? [o.index] : []))])];
    case 'join': {
      const sides = [new Set(p.leftKeys), new Set(p.rightKeys)];
      p.output.forEach(([side, i], out) => {
        if (needed.has(out)) sides[side]!.add(i);
      });
      return sides;
    }
    case 'union':
      return p.inputs.map((_, k) => new Set(p.mappings[k]!.flatMap((out, i) => (out >= 0 && needed.has(out) ? [i] : []))));
    case 'mvapply':
      // the subquery may read any column of the expanded rows
      return [everyColumn(p.input), everyColumn(p.subquery)];
  }
}

function remapper(map: ColumnMap, done: ReadonlyMap<Plan, Narrowed>): (e: BoundExpr) => BoundExpr {
  const remap = (e: BoundExpr): BoundExpr => {
    switch (e.kind) {
      case 'const':
        return e;
      case 'column': {
        const i = map[e.index];
        if (i === undefined || i < 0) throw new Error(`internal error: column ${e.name} was left out of the rows that read it`);
        return i === e.index ? e : { ...e, index: i };
      }
      case 'call':
      case 'op':
      case 'window':
        return { ...e, args: e.args.map(remap) };
      case 'member':
        return { ...e, target: remap(e.target), key: remap(e.key) };
      case 'negate':
        return { ...e, operand: remap(e.operand) };
      case 'subquery': {
        const narrowed = done.get(e.plan)!;
        if (narrowed.map[0] !== 0) throw new Error('internal error: a subquery lost its first column');
        return { ...e, plan: narrowed.plan };
      }
    }
  };
  return remap;
}

/**
 * Output of an operator that appends columns after its input's (extend, mv-expand, parse): the
 * input's kept columns, then every column it computes (replacing an input column in place when that
 * column is kept, else appended).
 */
function appendedLayout(p: Of<'extend'> | Of<'mvexpand'> | Of<'parse'>, input: Narrowed, computed: readonly number[]): { schema: Plan['schema']; map: number[] } {
  const width = p.input.schema.length;
  const schema = [...input.plan.schema];
  const map = p.schema.map((_, i) => (i < width ? input.map[i]! : -1));
  const place = (t: number) => {
    if (map[t]! >= 0) schema[map[t]!] = p.schema[t]!;
    else {
      map[t] = schema.length;
      schema.push(p.schema[t]!);
    }
  };
  for (let t = width; t < p.schema.length; t++) place(t);
  for (const t of computed) if (t < width) place(t);
  return { schema, map };
}

const remapAggregate = (a: BoundAggregate, remap: (e: BoundExpr) => BoundExpr): BoundAggregate => ({ ...a, args: a.args.map(remap) });

/** The grouping fields summarize and make-series share, over the narrowed input. */
const groupedOver = (p: Of<'summarize'> | Of<'makeseries'>, input: Narrowed, remap: (e: BoundExpr) => BoundExpr) => ({
  input: input.plan,
  keys: p.keys.map(remap),
  aggregates: p.aggregates.map((a) => remapAggregate(a, remap)),
});

function narrowOne(p: Plan, needed: ReadonlySet<number>, done: ReadonlyMap<Plan, Narrowed>): Narrowed {
  const identity = range(p.schema.length);
  const input = (q: Plan) => done.get(q)!;
  switch (p.kind) {
    case 'scan': {
      const kept = [...needed].sort((a, b) => a - b);
      const map = p.schema.map(() => -1);
      kept.forEach((i, k) => (map[i] = k));
      return { plan: { ...p, schema: kept.map((i) => p.schema[i]!) }, map };
    }
    case 'rows':
    case 'externaldata':
    case 'applyinput':
      return { plan: p, map: identity };
    case 'where': {
      const i = input(p.input);
      return { plan: { ...p, input: i.plan, predicate: remapper(i.map, done)(p.predicate), schema: i.plan.schema }, map: i.map };
    }
    case 'take': {
      const i = input(p.input);
      return { plan: { ...p, input: i.plan, count: remapper(i.map, done)(p.count), schema: i.plan.schema }, map: i.map };
    }
    case 'sort': {
      const i = input(p.input);
      const remap = remapper(i.map, done);
      const keys = p.keys.map((k) => ({ ...k, expr: remap(k.expr) }));
      return { plan: { ...p, input: i.plan, keys, ...(p.limit ? { limit: remap(p.limit) } : {}), schema: i.plan.schema }, map: i.map };
    }
    case 'materialize':
    case 'serialize': {
      const i = input(p.input);
      return { plan: { ...p, input: i.plan, schema: i.plan.schema }, map: i.map };
    }
    case 'extend': {
      const i = input(p.input);
      const { schema, map } = appendedLayout(p, i, p.targets);
      // an expression reads the row being extended: the input's columns and those computed before it
      const remap = remapper(map, done);
      return { plan: { ...p, input: i.plan, exprs: p.exprs.map(remap), targets: p.targets.map((t) => map[t]!), schema }, map };
    }
    case 'mvexpand': {
      const i = input(p.input);
      const { schema, map } = appendedLayout(p, i, p.itemIndex === undefined ? p.targets : [...p.targets, p.itemIndex]);
      const remap = remapper(map, done);
      return {
        plan: {
          ...p,
          input: i.plan,
          exprs: p.exprs.map(remap),
          targets: p.targets.map((t) => map[t]!),
          ...(p.limit ? { limit: remap(p.limit) } : {}),
          ...(p.itemIndex === undefined ? {} : { itemIndex: map[p.itemIndex]! }),
          schema,
        },
        map,
      };
    }
    case 'parse': {
      const i = input(p.input);
      const { schema, map } = appendedLayout(p, i, []);
      return { plan: { ...p, input: i.plan, source: remapper(i.map, done)(p.source), schema }, map };
    }
    case 'project':
    case 'distinct': {
      const i = input(p.input);
      return { plan: { ...p, input: i.plan, exprs: p.exprs.map(remapper(i.map, done)) }, map: identity };
    }
    case 'summarize': {
      const i = input(p.input);
      const remap = remapper(i.map, done);
      return {
        plan: {
          ...p,
          ...groupedOver(p, i, remap),
          argExtremes: p.argExtremes.map((a) => ({ ...a, ...(a.key ? { key: remap(a.key) } : {}), columns: a.columns.map(remap) })),
        },
        map: identity,
      };
    }
    case 'makeseries': {
      const i = input(p.input);
      const remap = remapper(i.map, done);
      return {
        plan: {
          ...p,
          ...groupedOver(p, i, remap),
          axis: remap(p.axis),
          ...(p.from ? { from: remap(p.from) } : {}),
          ...(p.to ? { to: remap(p.to) } : {}),
          step: remap(p.step),
        },
        map: identity,
      };
    }
    case 'pivot': {
      const i = input(p.input);
      const remap = remapper(i.map, done);
      return { plan: { ...p, input: i.plan, pivot: remap(p.pivot), keys: p.keys.map(remap), aggregate: remapAggregate(p.aggregate, remap) }, map: identity };
    }
    case 'count':
      return { plan: { ...p, input: input(p.input).plan }, map: identity };
    case 'bagunpack': {
      const i = input(p.input);
      const outputs = p.outputs.map((o) => (o.from === 'input' ? { ...o, index: i.map[o.index]! } : o));
      return { plan: { ...p, input: i.plan, column: i.map[p.column]!, outputs }, map: identity };
    }
    case 'join': {
      const l = input(p.left);
      const r = input(p.right);
      const map = p.output.map(() => -1);
      const output: (readonly [0 | 1, number])[] = [];
      const schema: Plan['schema'][number][] = [];
      p.output.forEach(([side, i], out) => {
        if (!needed.has(out)) return;
        map[out] = output.length;
        output.push([side, (side === 0 ? l : r).map[i]!]);
        schema.push(p.schema[out]!);
      });
      return {
        plan: { ...p, left: l.plan, right: r.plan, leftKeys: p.leftKeys.map((k) => l.map[k]!), rightKeys: p.rightKeys.map((k) => r.map[k]!), output, schema },
        map,
      };
    }
    case 'union': {
      const kept = [...needed].sort((a, b) => a - b);
      const map = p.schema.map(() => -1);
      kept.forEach((out, k) => (map[out] = k));
      const inputs = p.inputs.map(input);
      const mappings = inputs.map((n, k) => {
        // for each column of the narrowed input: where it goes in the narrowed output
        const to = n.plan.schema.map(() => -1);
        p.mappings[k]!.forEach((out, i) => {
          if (out >= 0 && n.map[i]! >= 0 && map[out]! >= 0) to[n.map[i]!] = map[out]!;
        });
        return to;
      });
      return { plan: { ...p, inputs: inputs.map((n) => n.plan), mappings, schema: kept.map((out) => p.schema[out]!) }, map };
    }
    case 'mvapply':
      // every column of its input and subquery is kept (inputNeeds), so their rows are laid out as before
      return { plan: { ...p, input: input(p.input).plan, subquery: input(p.subquery).plan }, map: identity };
  }
}

/** The plan with every row as narrow as what reads it; the root's output columns are unchanged. */
export function narrowPlan(root: Plan): Plan {
  // every plan after all the plans it reads (rows and subqueries): a let read twice is one plan
  const order: Plan[] = [];
  const seen = new Set<Plan>();
  const visit = (p: Plan): void => {
    if (seen.has(p)) return;
    seen.add(p);
    inputsOf(p).forEach(visit);
    subqueryPlans(expressionsOf(p)).forEach(visit);
    order.push(p);
  };
  visit(root);

  // readers before what they read, so a plan's needs are complete (the union over its readers) when it is reached
  const needs = new Map<Plan, Set<number>>([[root, everyColumn(root)]]);
  const add = (p: Plan, columns: Iterable<number>) => {
    const set = needs.get(p) ?? new Set<number>();
    for (const c of columns) set.add(c);
    needs.set(p, set);
  };
  for (let k = order.length - 1; k >= 0; k--) {
    const p = order[k]!;
    const needed = needs.get(p) ?? new Set<number>();
    const fromInputs = inputNeeds(p, needed);
    inputsOf(p).forEach((q, i) => add(q, fromInputs[i]!));
    // a subquery's value is its first column
    for (const q of subqueryPlans(expressionsOf(p))) add(q, [0]);
  }

  const done = new Map<Plan, Narrowed>();
  for (const p of order) done.set(p, narrowOne(p, needs.get(p) ?? new Set(), done));
  return done.get(root)!.plan;
}
