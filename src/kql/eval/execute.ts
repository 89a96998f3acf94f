// Runs a bound plan as a pull-based stream of row batches. Streaming operators (where, extend,
// project, take, union, mv-expand) never hold more than a batch; blocking ones (summarize, sort,
// distinct, join's right side) hold only their state.
import type { BoundAggregate, BoundExpr, BoundPlan } from '../bound.js';
import { assertNever } from '../ast.js';
import { argExtremeAccumulator, takeAnyAccumulator } from '../functions/aggregates.js';
import type { Accumulator, Compiled } from '../functions/types.js';
import type { KqlType, Row, ScanHints, TableProvider } from '../types.js';
import { emptyRow, groupKey, groupKeyOf, nullOf, textConverter } from '../values.js';
import { compileExpr, positioned, subqueriesIn, type CompileEnv } from './compile.js';
import { runExternalData } from './externalData.js';
import { runMakeSeries } from './makeSeries.js';
import { runMvApply } from './mvApply.js';
import { runBagUnpack, runPivot } from './plugins.js';
import { runParse } from './parse.js';
import { columnsOf, conjuncts, scanHints } from './scanHints.js';
import { narrowPlan } from './narrowing.js';
import { sharedPlans } from './sharing.js';
import { sortRows } from './sort.js';
import { hasWindow, runWindowed } from './window.js';

export type Batch = unknown[][];
type ScanPlan = Extract<BoundPlan, { kind: 'scan' }>;

export interface ExecContext extends CompileEnv {
  readonly tables: TableProvider;
  /** rows of materialize() (by id) and of lets read more than once (by plan), computed once */
  readonly materialized: Map<number | BoundPlan, Promise<Batch>>;
  readonly shared: ReadonlySet<BoundPlan>;
  readonly subqueryValues: Map<BoundExpr, unknown>;
  /** the expanded rows each running mv-apply subquery reads, by mv-apply id */
  readonly applyRows: Map<number, unknown[][]>;
}

/** Rows an operator yields at once: the operators above hold one batch, not a copy of their input. */
export const OUT_BATCH = 4096;

/** Runs a query's plan to its rows, each operator's rows narrowed to the columns read above it (narrowing.ts). */
export async function runPlan(plan: BoundPlan, tables: TableProvider, now: number, queryText: string): Promise<Batch> {
  const narrowed = narrowPlan(plan);
  return collect(narrowed, createExecContext(narrowed, tables, now, queryText));
}

function createExecContext(root: BoundPlan, tables: TableProvider, now: number, queryText: string): ExecContext {
  return {
    now,
    queryText,
    tables,
    geoInfo: tables.geoInfo,
    materialized: new Map(),
    shared: sharedPlans(root),
    subqueryValues: new Map(),
    applyRows: new Map(),
  };
}

export async function collect(plan: BoundPlan, ctx: ExecContext): Promise<Batch> {
  return collectFrom(execute(plan, ctx));
}

/** Compiles expressions once subqueries they hold are evaluated; `env` overrides how columns (or windows) are read. */
export async function compileAll(exprs: readonly BoundExpr[], ctx: ExecContext, env?: Pick<CompileEnv, 'columnReader' | 'window'>): Promise<Compiled[]> {
  for (const sq of subqueriesIn(exprs)) {
    if (ctx.subqueryValues.has(sq) || sq.kind !== 'subquery') continue;
    const rows = await collect(sq.plan, ctx);
    ctx.subqueryValues.set(sq, sq.mode === 'scalar' ? (rows[0]?.[0] ?? null) : rows.map((r) => r[0] ?? null));
  }
  const full: CompileEnv = env ? { ...ctx, ...env } : ctx;
  return exprs.map((e) => compileExpr(e, full).fn);
}

/** An aggregate's accumulator factory (summarize, make-series, pivot): one accumulator per group. */
export async function compileAggregate(a: BoundAggregate, ctx: ExecContext): Promise<() => Accumulator> {
  const args = await compileAll(a.args, ctx);
  const constants = a.args.map((x) => compileExpr(x, ctx).constant);
  return positioned(ctx, a.at, () => a.fn.compile(args, a.args.map((x) => x.type), ctx, constants));
}

/**
 * Reads a column from a provider record in the internal representation. The property name is
 * baked into the generated function (JSON-quoted, so any column name is safe) so the engine can
 * cache the property lookup as it would for hand-written `rec.Timestamp`.
 */
function recordReader(name: string, type: KqlType): Compiled {
  const key = JSON.stringify(name);
  const body =
    type === 'string'
      ? `const v = rec[${key}]; return v === undefined || v === null ? '' : v;`
      : type === 'datetime'
        ? `const v = rec[${key}]; return v === undefined || v === null ? null : typeof v === 'object' ? v.getTime() : v;`
        : `const v = rec[${key}]; return v === undefined ? null : v;`;
  return new Function('rec', body) as Compiled;
}

/** Rows computed once and replayed: materialize() by its id, a let read more than once by its plan. */
async function* replay(key: number | BoundPlan, compute: () => Promise<Batch>, ctx: ExecContext): AsyncGenerator<Batch> {
  let rows = ctx.materialized.get(key);
  if (!rows) {
    rows = compute();
    ctx.materialized.set(key, rows);
  }
  const all = await rows;
  for (let i = 0; i < all.length; i += OUT_BATCH) yield all.slice(i, i + OUT_BATCH);
}

export function execute(plan: BoundPlan, ctx: ExecContext): AsyncGenerator<Batch> {
  if (ctx.shared.has(plan)) return replay(plan, () => collectFrom(run(plan, ctx)), ctx);
  return run(plan, ctx);
}

async function collectFrom(batches: AsyncIterable<Batch>): Promise<Batch> {
  const out: Batch = [];
  for await (const batch of batches) for (const r of batch) out.push(r);
  return out;
}

async function* run(plan: BoundPlan, ctx: ExecContext): AsyncGenerator<Batch> {
  switch (plan.kind) {
    case 'scan':
      yield* scan(plan, ctx);
      return;
    case 'rows':
      if (plan.rows.length > 0) yield plan.rows.map((r) => [...r]);
      return;
    case 'where': {
      if (hasWindow([plan.predicate])) {
        yield* runWindowed(plan, ctx);
        return;
      }
      // filters straight over a table scan run on the provider's records, before conversion
      const predicates: BoundExpr[] = [plan.predicate];
      let source: BoundPlan = plan.input;
      // (not through a let read elsewhere too: its rows are computed once, for all its readers)
      while (source.kind === 'where' && !ctx.shared.has(source)) {
        predicates.unshift(source.predicate);
        source = source.input;
      }
      if (source.kind === 'scan') {
        yield* scan(source, ctx, predicates);
        return;
      }
      const [pred] = (await compileAll([plan.predicate], ctx)) as [Compiled];
      for await (const batch of execute(plan.input, ctx)) {
        const out: Batch = [];
        for (let i = 0; i < batch.length; i++) {
          const r = batch[i]!;
          if (pred(r) === true) out.push(r);
        }
        if (out.length > 0) yield out;
      }
      return;
    }
    case 'extend': {
      if (hasWindow(plan.exprs)) {
        yield* runWindowed(plan, ctx);
        return;
      }
      const fns = await compileAll(plan.exprs, ctx);
      const targets = plan.targets;
      const width = plan.schema.length;
      for await (const batch of execute(plan.input, ctx)) {
        const out: Batch = new Array(batch.length);
        for (let i = 0; i < batch.length; i++) {
          // in order, as the engine runs them: a replaced input column is seen replaced by the later
          // expressions (a column new to this extend cannot be referenced: the binder rejects it)
          const o = batch[i]!.slice();
          o.length = width;
          for (let k = 0; k < fns.length; k++) o[targets[k]!] = fns[k]!(o);
          out[i] = o;
        }
        yield out;
      }
      return;
    }
    case 'project': {
      if (hasWindow(plan.exprs)) {
        yield* runWindowed(plan, ctx);
        return;
      }
      const fns = await compileAll(plan.exprs, ctx);
      const n = fns.length;
      for await (const batch of execute(plan.input, ctx)) {
        const out: Batch = new Array(batch.length);
        for (let i = 0; i < batch.length; i++) {
          const r = batch[i]!;
          const o = new Array(n);
          for (let k = 0; k < n; k++) o[k] = fns[k]!(r);
          out[i] = o;
        }
        yield out;
      }
      return;
    }
    case 'summarize':
      yield* summarize(plan, ctx);
      return;
    case 'distinct': {
      const fns = await compileAll(plan.exprs, ctx);
      const seen = new Set<string>();
      for await (const batch of execute(plan.input, ctx)) {
        const out: Batch = [];
        for (const r of batch) {
          const o = fns.map((f) => f(r));
          const k = groupKeyOf(o);
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(o);
        }
        if (out.length > 0) yield out;
      }
      return;
    }
    case 'count': {
      let n = 0;
      for await (const batch of execute(plan.input, ctx)) n += batch.length;
      yield [[n]];
      return;
    }
    case 'take': {
      const [count] = await compileAll([plan.count], ctx);
      let remaining = Number(count!([]));
      if (!(remaining > 0)) return;
      // `sort | take N` keeps only the N first rows while sorting, as `top N` does
      if (plan.input.kind === 'sort') {
        yield* sort(plan.input, ctx, remaining);
        return;
      }
      for await (const batch of execute(plan.input, ctx)) {
        if (batch.length >= remaining) {
          yield batch.slice(0, remaining);
          return;
        }
        remaining -= batch.length;
        yield batch;
      }
      return;
    }
    case 'sort':
      yield* sort(plan, ctx);
      return;
    case 'join':
      yield* join(plan, ctx);
      return;
    case 'union': {
      // columns an input lacks are filled with '' (string) or null (other types)
      const blank = emptyRow(plan.schema);
      for (let k = 0; k < plan.inputs.length; k++) {
        // (input index, output index) pairs; kind=inner drops columns (mapped to -1)
        const from: number[] = [];
        const to: number[] = [];
        plan.mappings[k]!.forEach((out, i) => {
          if (out >= 0) {
            from.push(i);
            to.push(out);
          }
        });
        const n = from.length;
        for await (const batch of execute(plan.inputs[k]!, ctx)) {
          yield batch.map((r) => {
            const o = blank.slice();
            for (let i = 0; i < n; i++) o[to[i]!] = r[from[i]!];
            return o;
          });
        }
      }
      return;
    }
    case 'mvexpand':
      yield* mvExpand(plan, ctx);
      return;
    case 'serialize':
      yield* execute(plan.input, ctx);
      return;
    case 'parse':
      yield* runParse(plan, ctx);
      return;
    case 'makeseries':
      yield* runMakeSeries(plan, ctx);
      return;
    case 'externaldata':
      yield* runExternalData(plan, ctx);
      return;
    case 'bagunpack':
      yield* runBagUnpack(plan, ctx);
      return;
    case 'pivot':
      yield* runPivot(plan, ctx);
      return;
    case 'mvapply':
      yield* runMvApply(plan, ctx);
      return;
    case 'applyinput': {
      const rows = ctx.applyRows.get(plan.id);
      if (!rows) throw new Error('internal error: an mv-apply subquery outside its mv-apply');
      if (rows.length > 0) yield rows;
      return;
    }
    case 'materialize':
      yield* replay(plan.id, () => collect(plan.input, ctx), ctx);
      return;
    default:
      assertNever(plan, 'plan');
  }
}

async function* scan(plan: ScanPlan, ctx: ExecContext, predicates: readonly BoundExpr[] = []): AsyncGenerator<Batch> {
  // the plan was narrowed (narrowing.ts): the scan's schema holds only the columns the query reads
  const names = plan.schema.map((c) => c.name);
  const kinds = plan.schema.map((c) => c.type);
  const width = plan.schema.length;
  // filters split at `and`; the provider gets those that read only strings first: they need no
  // conversion, so it can run them before converting the rest of a row (Timestamp, above all). Here
  // they run in the query's order, cheap comparisons before term matches, on rows already converted.
  const parts = conjuncts(predicates).map((e) => ({ e, columns: columnsOf(e) }));
  const filters = await compileAll(parts.map((p) => p.e), ctx, { columnReader: (_i, name, type) => recordReader(name, type) });
  const needsConversion = (k: number) => Number(parts[k]!.columns.some((c) => c.type !== 'string'));
  const providerOrder = parts.map((_, k) => k).sort((a, b) => needsConversion(a) - needsConversion(b));
  const hints: ScanHints = {
    ...scanHints(parts.map((p) => p.e), ctx),
    ...(filters.length > 0
      ? { filters: providerOrder.map((k) => ({ columns: parts[k]!.columns.map((c) => c.name), test: (row: Row) => filters[k]!(row as unknown as unknown[]) === true })) }
      : {}),
  };
  const nFilters = filters.length;
  const f0 = filters[0];
  const f1 = filters[1];
  for await (const batch of ctx.tables.scan(plan.table, names, hints)) {
    let out: Batch = [];
    rows: for (let i = 0; i < batch.length; i++) {
      const rec = batch[i]!;
      // the provider may have applied the filters already, or not: applied again, they keep the answer exact
      if (nFilters > 0) {
        const asRow = rec as unknown as unknown[];
        if (f0!(asRow) !== true) continue;
        if (nFilters > 1) {
          if (f1!(asRow) !== true) continue;
          for (let k = 2; k < nFilters; k++) if (filters[k]!(asRow) !== true) continue rows;
        }
      }
      const o = new Array(width);
      for (let k = 0; k < width; k++) {
        const v = rec[names[k]!];
        const type = kinds[k];
        o[k] =
          v === undefined || v === null
            ? type === 'string' ? '' : null
            : v instanceof Date ? v.getTime() : v;
      }
      out.push(o);
      // a provider may hand over a whole table at once (rows it keeps in memory): the operators above
      // stream, so they hold one batch of rows at a time, not a copy of the table
      if (out.length === OUT_BATCH) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  }
}

async function* summarize(plan: Extract<BoundPlan, { kind: 'summarize' }>, ctx: ExecContext): AsyncGenerator<Batch> {
  const keyFns = await compileAll(plan.keys, ctx);
  const aggFactories = await Promise.all(plan.aggregates.map((a) => compileAggregate(a, ctx)));
  // the expressions over aggregates read the group's aggregate results as their row
  const exprFns = await compileAll(plan.outputs.flatMap((o) => (o.kind === 'expr' ? [o.expr] : [])), ctx);
  const aggTypes = plan.aggregates.map((a) => a.type);
  const argFactories = await Promise.all(
    plan.argExtremes.map(async (x) => {
      if (!x.key || x.sign === 0) return takeAnyAccumulator(await compileAll(x.columns, ctx));
      const [key, ...cols] = await compileAll([x.key, ...x.columns], ctx);
      return argExtremeAccumulator(key!, cols, x.sign);
    }),
  );
  interface Group {
    readonly keys: unknown[];
    readonly accs: Accumulator[];
    readonly args: (Accumulator & { values(): unknown[] })[];
  }
  const groups = new Map<unknown, Group>();
  const nKeys = keyFns.length;
  const newGroup = (keys: unknown[]): Group => ({ keys, accs: aggFactories.map((f) => f()), args: argFactories.map((f) => f()) });
  const k0 = keyFns[0];
  const k1 = keyFns[1];
  for await (const batch of execute(plan.input, ctx)) {
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i]!;
      let g: Group | undefined;
      if (nKeys === 0) {
        g = groups.get('');
        if (!g) groups.set('', (g = newGroup([])));
      } else if (nKeys === 1) {
        const v = k0!(r);
        const key = typeof v === 'string' ? v : groupKey(v) + '\u0002';
        g = groups.get(key);
        if (!g) groups.set(key, (g = newGroup([v])));
      } else if (nKeys === 2) {
        const a = k0!(r);
        const b = k1!(r);
        const key = (typeof a === 'string' ? a : groupKey(a) + '\u0002') + '\u0001' + (typeof b === 'string' ? b : groupKey(b) + '\u0002');
        g = groups.get(key);
        if (!g) groups.set(key, (g = newGroup([a, b])));
      } else {
        const vals = keyFns.map((f) => f(r));
        const key = groupKeyOf(vals);
        g = groups.get(key);
        if (!g) groups.set(key, (g = newGroup(vals)));
      }
      const accs = g.accs;
      for (let k = 0; k < accs.length; k++) accs[k]!.add(r);
      const args = g.args;
      for (let k = 0; k < args.length; k++) args[k]!.add(r);
    }
  }
  // summarize without `by` yields one row even over no input (count() = 0)
  if (nKeys === 0 && groups.size === 0) groups.set('', newGroup([]));
  const out: Batch = [];
  const outTypes = plan.schema.map((c) => c.type);
  for (const g of groups.values()) {
    const results = g.accs.map((a, k) => {
      const v = a.result();
      return v === null || v === undefined ? nullOf(aggTypes[k]!) : v;
    });
    let e = 0;
    const row = plan.outputs.map((o, c) => {
      let v: unknown;
      switch (o.kind) {
        case 'key': v = g.keys[o.index]; break;
        case 'agg': v = results[o.index]; break;
        case 'expr': v = exprFns[e++]!(results); break;
        case 'argKey': v = g.args[o.index]!.result(); break;
        case 'argColumn': v = g.args[o.index]!.values()[o.column]; break;
      }
      return v === null || v === undefined ? nullOf(outTypes[c]!) : v;
    });
    out.push(row);
    if (out.length >= OUT_BATCH) yield out.splice(0);
  }
  if (out.length > 0) yield out;
}

async function* sort(plan: Extract<BoundPlan, { kind: 'sort' }>, ctx: ExecContext, takeLimit = Infinity): AsyncGenerator<Batch> {
  const fns = await compileAll(plan.keys.map((k) => k.expr), ctx);
  let limit = takeLimit;
  if (plan.limit) {
    const [l] = await compileAll([plan.limit], ctx);
    limit = Math.min(limit, Number(l!([])));
  }
  if (!(limit > 0)) return;
  const sorted = await sortRows(execute(plan.input, ctx), plan.keys, fns, limit);
  for (let i = 0; i < sorted.length; i += OUT_BATCH) yield sorted.slice(i, i + OUT_BATCH);
}

function joinKey(row: unknown[], keys: readonly number[]): string | undefined {
  let key = '';
  for (let k = 0; k < keys.length; k++) {
    const v = row[keys[k]!];
    if (v === null || v === undefined) return undefined; // null keys never match
    key += groupKey(v) + '\u0001';
  }
  return key;
}

async function* join(plan: Extract<BoundPlan, { kind: 'join' }>, ctx: ExecContext): AsyncGenerator<Batch> {
  const rightRows = await collect(plan.right, ctx);
  const index = new Map<string, number[]>();
  rightRows.forEach((r, i) => {
    const k = joinKey(r, plan.rightKeys);
    if (k === undefined) return;
    const list = index.get(k);
    if (list) list.push(i);
    else index.set(k, [i]);
  });
  // the side without a match contributes '' to string columns and null to the others
  const nullRight = emptyRow(plan.right.schema);
  const nullLeft = emptyRow(plan.left.schema);
  const output = plan.output;
  const combine = (l: unknown[], r: unknown[]) => output.map(([side, i]) => (side === 0 ? l[i] : r[i]));
  const kind = plan.joinKind;
  const matchedRight = new Set<number>();
  const seenLeftKeys = new Set<string>();
  for await (const batch of execute(plan.left, ctx)) {
    const out: Batch = [];
    for (const l of batch) {
      const k = joinKey(l, plan.leftKeys);
      const matches = k === undefined ? undefined : index.get(k);
      switch (kind) {
        case 'innerunique':
          if (k === undefined || seenLeftKeys.has(k)) break;
          seenLeftKeys.add(k);
          if (matches) for (const ri of matches) out.push(combine(l, rightRows[ri]!));
          break;
        case 'inner':
          if (matches) for (const ri of matches) out.push(combine(l, rightRows[ri]!));
          break;
        case 'leftouter':
        case 'fullouter':
          if (matches) {
            for (const ri of matches) {
              matchedRight.add(ri);
              out.push(combine(l, rightRows[ri]!));
            }
          } else out.push(combine(l, nullRight));
          break;
        case 'rightouter':
          if (matches) {
            for (const ri of matches) {
              matchedRight.add(ri);
              out.push(combine(l, rightRows[ri]!));
            }
          }
          break;
        case 'leftanti':
          if (!matches) out.push(combine(l, nullRight));
          break;
        case 'leftsemi':
          if (matches) out.push(combine(l, nullRight));
          break;
        case 'rightsemi':
        case 'rightanti':
          if (matches) for (const ri of matches) matchedRight.add(ri);
          break;
      }
    }
    if (out.length > 0) yield out;
  }
  if (kind === 'rightouter' || kind === 'fullouter' || kind === 'rightanti' || kind === 'rightsemi') {
    const out: Batch = [];
    rightRows.forEach((r, i) => {
      const matched = matchedRight.has(i);
      if (kind === 'rightsemi' ? matched : !matched) out.push(combine(nullLeft, r));
    });
    if (out.length > 0) yield out;
  }
}

async function* mvExpand(plan: Extract<BoundPlan, { kind: 'mvexpand' }>, ctx: ExecContext): AsyncGenerator<Batch> {
  const missing = plan.targets.map((t) => nullOf(plan.schema[t]!.type));
  const expand = await compileExpansion(plan, ctx, plan.schema.length, missing, plan.arrays);
  for await (const batch of execute(plan.input, ctx)) {
    const out: Batch = [];
    for (const r of batch) expand(r, out);
    if (out.length > 0) yield out;
  }
}

/**
 * Expands one row as mv-expand does (mv-apply too): row i of the result holds element i of each of
 * `exprs` in its target column (`missing[k]` once that array has no more), `width` columns wide.
 */
export async function compileExpansion(
  plan: Extract<BoundPlan, { kind: 'mvexpand' | 'mvapply' }>,
  ctx: ExecContext,
  width: number,
  missing: readonly unknown[],
  arrays: boolean,
): Promise<(r: unknown[], into: unknown[][]) => void> {
  const fns = await compileAll(plan.exprs, ctx);
  let limit = Infinity;
  if (plan.limit) {
    const [l] = await compileAll([plan.limit], ctx);
    limit = Number(l!([]));
  }
  const convert = plan.toTypes.map((t) => (t === undefined ? (v: unknown) => v : (v: unknown) => convertExpanded(v, t)));
  const { targets, itemIndex } = plan;
  return (r, into) => {
    const elements = fns.map((f) => elementsOf(f(r), arrays));
    const n = Math.min(limit, Math.max(0, ...elements.map((a) => a.length)));
    for (let i = 0; i < n; i++) {
      const o = r.slice();
      o.length = width;
      for (let k = 0; k < elements.length; k++) {
        const v = elements[k]![i];
        o[targets[k]!] = v === undefined ? missing[k] : convert[k]!(v);
      }
      if (itemIndex !== undefined) o[itemIndex] = i;
      into.push(o);
    }
  };
}

/**
 * The elements mv-expand makes rows of: an array's items, a bag's slots (as one-slot bags, or with
 * kind=array as [key, value] arrays), a scalar itself; a null value yields one element (null), an
 * empty array or bag none (https://learn.microsoft.com/kusto/query/mv-expand-operator).
 */
export function elementsOf(v: unknown, arrays = false): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => (arrays ? [k, x] : { [k]: x }));
  return v === null || v === undefined ? [null] : [v];
}

/**
 * An element of a dynamic value as a column of `type` (mv-expand `to typeof(T)`, bag_unpack's declared
 * columns): a cast without parsing, so a JSON number is a long and the string "1" is not (null)
 * (https://learn.microsoft.com/kusto/query/mv-expand-operator). Datetimes, timespans and guids have no
 * JSON form but their text, so those are read from text.
 */
export function convertExpanded(v: unknown, type: KqlType): unknown {
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : v === null ? '' : JSON.stringify(v);
    case 'long':
      return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null;
    case 'int':
      return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) | 0 : null;
    case 'real':
    case 'decimal':
      return typeof v === 'number' ? v : null;
    case 'bool':
      return typeof v === 'boolean' ? v : null;
    case 'datetime':
    case 'timespan':
    case 'guid':
      return typeof v === 'string' ? textConverter(type)(v) : null;
    case 'dynamic':
      return v;
  }
}
