// Resolves names against the schema catalogue, let statements and the function registry, infers
// types, and produces the bound plan the evaluator runs. Everything it does not know how to run
// is rejected here with a positioned error, so nothing is silently ignored at run time.
import * as A from './ast.js';
import type { BoundAggregate, BoundArgExtreme, BoundExpr, BoundPlan, JoinKind, SortKeyBound, SummarizeOutput } from './bound.js';
import { KqlBindError, type KqlErrorCode } from './errors.js';
import type { FunctionRegistry } from './functions/types.js';
import { BETWEEN, bindBinary, betweenBoundsType, listOperator, NOT_BETWEEN } from './operators.js';
import type { ColumnSchema, KqlType, SchemaCatalogue } from './types.js';
import { isNumericType } from './functions/types.js';
import { didYouMean } from './suggest.js';
import { nullOf } from './values.js';

type LetBinding =
  | { readonly kind: 'scalar'; readonly expr: BoundExpr }
  | { readonly kind: 'tabular'; readonly plan: BoundPlan }
  /** a let whose value failed to bind: references to it are not reported again */
  | { readonly kind: 'poisoned' };

export class PoisonedReference extends Error {}

export interface BoundScript {
  /** The plan of the last expression statement, if it is tabular. */
  readonly query?: BoundPlan;
}

/** Kusto functions we know of but do not implement: reported as "not supported", not "unknown". */
const KNOWN_UNSUPPORTED_FUNCTIONS = new Set([
  'parse_path', 'parse_command_line', 'parse_xml', 'parse_csv', 'parse_user_agent', 'hash',
  'geo_info_from_ip_address', 'mv_expand', 'series_stats', 'percentiles', 'stdev', 'variance', 'hll', 'tdigest',
  'row_number', 'prev', 'next', 'zip', 'range', 'toscalar_list', 'make_datetime', 'make_timespan', 'todatetime_utc',
  'datetime_local_to_utc', 'datetime_utc_to_local', 'countof_regex', 'ipv6_is_match', 'ipv6_compare', 'parse_ipv4',
  'parse_ipv6', 'ipv4_compare', 'ipv4_is_match', 'format_ipv4', 'has_any_ipv4', 'has_ipv4', 'has_ipv4_prefix',
  'strcmp', 'translate', 'trim_whitespace', 'column_ifexists', 'gettype', 'arg_max_if', 'current_cluster_endpoint',
  'current_database', 'cursor_after', 'estimate_data_size', 'binary_and', 'binary_or', 'exp',
  'log', 'log10', 'pow', 'sqrt',
]);

const AGG_NAME_PREFIX: Record<string, string> = {
  count: 'count_', countif: 'countif_', dcount: 'dcount_', min: 'min_', max: 'max_', sum: 'sum_', avg: 'avg_',
  make_set: 'set_', make_list: 'list_', makeset: 'set_', makelist: 'list_', any: 'any_', take_any: 'any_',
};

const JOIN_KINDS: ReadonlySet<string> = new Set([
  'innerunique', 'inner', 'leftouter', 'rightouter', 'fullouter', 'leftanti', 'leftantisemi', 'rightanti', 'rightantisemi',
  'leftsemi', 'rightsemi', 'anti',
]);

export class Binder {
  private readonly lets = new Map<string, LetBinding>();
  private materializeIds = 0;

  constructor(
    private readonly text: string,
    private readonly catalogue: Pick<SchemaCatalogue, 'schemaOf'>,
    private readonly functions: FunctionRegistry,
  ) {}

  private error(code: KqlErrorCode, message: string, node: { pos: number; end: number }): KqlBindError {
    return new KqlBindError(code, message, this.text, node.pos, Math.max(1, node.end - node.pos));
  }

  /** Binds one statement; lint calls this per statement to report each failure once. */
  bindStatement(statement: A.Statement): BoundPlan | undefined {
    switch (statement.kind) {
      case 'Let': {
        const name = statement.name.name;
        try {
          if (this.isTabular(statement.value, [])) {
            this.lets.set(name, { kind: 'tabular', plan: this.bindTabular(statement.value) });
          } else {
            this.lets.set(name, { kind: 'scalar', expr: this.bindScalar(statement.value, []) });
          }
        } catch (e) {
          this.lets.set(name, { kind: 'poisoned' });
          throw e;
        }
        return undefined;
      }
      case 'ExprStatement':
        if (!this.isTabular(statement.expr, [])) {
          // a scalar expression statement is evaluated by wrapping it like `print`
          const expr = this.bindScalar(statement.expr, []);
          return { kind: 'project', schema: [{ name: 'print_0', type: expr.type }], input: { kind: 'rows', schema: [], rows: [[]] }, exprs: [expr] };
        }
        return this.bindTabular(statement.expr);
      case 'UnsupportedStatement':
        throw this.error('KQL106', `${statement.what} are not supported`, statement);
      default:
        return A.assertNever(statement, 'statement');
    }
  }

  bindScript(script: A.Script): BoundScript {
    let query: BoundPlan | undefined;
    for (const st of script.statements) {
      const plan = this.bindStatement(st);
      if (plan) query = plan;
    }
    return { query };
  }

  // ---------- classification ----------

  /** Whether an expression denotes a table (as opposed to a scalar) in the given row context. */
  isTabular(e: A.Expr, row: readonly ColumnSchema[]): boolean {
    switch (e.kind) {
      case 'Pipe':
      case 'Datatable':
      case 'Union':
      case 'Print':
        return true;
      case 'NameRef': {
        if (row.some((c) => c.name === e.name)) return false;
        const b = this.lets.get(e.name);
        if (b) return b.kind === 'tabular';
        return this.catalogue.schemaOf(e.name) !== undefined;
      }
      case 'Call':
        return e.name.name === 'materialize';
      default:
        return false;
    }
  }

  // ---------- tabular ----------

  bindTabular(e: A.Expr): BoundPlan {
    switch (e.kind) {
      case 'NameRef': {
        const b = this.lets.get(e.name);
        if (b?.kind === 'tabular') return b.plan;
        if (b?.kind === 'poisoned') throw new PoisonedReference(e.name);
        if (b?.kind === 'scalar') throw this.error('KQL111', `'${e.name}' is a scalar value, not a table`, e);
        const schema = this.catalogue.schemaOf(e.name);
        if (!schema) throw this.error('KQL101', `unknown table '${e.name}'${didYouMean(e.name, this.tableCandidates(), 'table names')}`, e);
        return { kind: 'scan', table: schema.name, schema: schema.columns };
      }
      case 'Pipe':
        return this.bindOperator(e.operator, this.bindTabular(e.source));
      case 'Datatable':
        return this.bindDatatable(e);
      case 'Union':
        return this.bindUnion(e, e.tables.map((t) => this.bindTabular(t)));
      case 'Print': {
        const input: BoundPlan = { kind: 'rows', schema: [], rows: [[]] };
        return this.bindProjectLike(e.columns, input, 'print_');
      }
      case 'Call':
        if (e.name.name === 'materialize') {
          if (e.args.length !== 1) throw this.error('KQL105', 'materialize() takes one tabular argument', e);
          const input = this.bindTabular(e.args[0]!);
          return { kind: 'materialize', id: ++this.materializeIds, input, schema: input.schema };
        }
        throw this.error('KQL111', `'${e.name.name}(...)' is not a tabular expression (user-defined and tabular functions are not supported)`, e);
      case 'Unsupported':
        throw this.error('KQL106', `${e.what} is not supported`, e);
      default:
        throw this.error('KQL111', 'expected a tabular expression (a table, a let name or a query)', e);
    }
  }

  private bindDatatable(e: A.DatatableExpr): BoundPlan {
    const schema: ColumnSchema[] = e.columns.map((c) => ({ name: c.name.name, type: c.type }));
    const width = schema.length;
    if (e.values.length % width !== 0) {
      throw this.error('KQL104', `datatable has ${e.values.length} values, not a multiple of its ${width} columns`, e);
    }
    const rows: unknown[][] = [];
    for (let i = 0; i < e.values.length; i += width) {
      const row: unknown[] = [];
      for (let j = 0; j < width; j++) {
        const node = e.values[i + j]!;
        const bound = this.bindScalar(node, []);
        if (bound.kind !== 'const') throw this.error('KQL110', 'datatable values must be literals', node);
        const col = schema[j]!;
        if (!literalFits(bound.type, col.type) && bound.value !== null) {
          throw this.error('KQL104', `value of type ${bound.type} does not fit column '${col.name}' of type ${col.type}`, node);
        }
        row.push(bound.value === null || bound.value === undefined ? nullOf(col.type) : bound.value);
      }
      rows.push(row);
    }
    return { kind: 'rows', rows, schema };
  }

  /**
   * union (https://learn.microsoft.com/kusto/query/union-operator). kind=outer (the default): every
   * column of any input, one per (name, type); a name that occurs with several types becomes one column
   * per type, each suffixed with '_' and its type (x_long, x_string). kind=inner: only the columns
   * common to all inputs. Mappings give each input column's output index, -1 when it is dropped.
   */
  private bindUnion(node: A.UnionExpr | A.UnionOp, inputs: BoundPlan[]): BoundPlan {
    if (inputs.length === 0) throw this.error('KQL111', 'union needs at least one table', node);
    if (node.withSource) throw this.error('KQL106', 'union withsource= is not supported', node.withSource);
    const kind = node.unionKind?.name ?? 'outer';
    if (kind !== 'outer' && kind !== 'inner') throw this.error('KQL106', `union kind '${kind}' is not supported (only inner and outer)`, node.unionKind!);
    const key = (c: ColumnSchema) => `${c.type}:${c.name}`;
    const typesOf = new Map<string, Set<KqlType>>();
    const inputsWith = new Map<string, number>();
    for (const p of inputs) {
      const seen = new Set<string>();
      for (const c of p.schema) {
        const set = typesOf.get(c.name) ?? new Set<KqlType>();
        set.add(c.type);
        typesOf.set(c.name, set);
        if (!seen.has(key(c))) inputsWith.set(key(c), (inputsWith.get(key(c)) ?? 0) + 1);
        seen.add(key(c));
      }
    }
    const keep = (c: ColumnSchema) => kind === 'outer' || inputsWith.get(key(c)) === inputs.length;
    const clash = (c: ColumnSchema) => kind === 'outer' && typesOf.get(c.name)!.size > 1;
    const schema: ColumnSchema[] = [];
    const index = new Map<string, number>();
    const mappings = inputs.map((p) =>
      p.schema.map((c) => {
        if (!keep(c)) return -1;
        let idx = index.get(key(c));
        if (idx === undefined) {
          schema.push({ name: clash(c) ? `${c.name}_${c.type}` : c.name, type: c.type });
          idx = schema.length - 1;
          index.set(key(c), idx);
        }
        return idx;
      }),
    );
    return { kind: 'union', inputs, mappings, schema };
  }

  private bindOperator(op: A.QueryOperator, input: BoundPlan): BoundPlan {
    const row = input.schema;
    switch (op.kind) {
      case 'Where': {
        const predicate = this.bindScalar(op.predicate, row);
        if (predicate.type !== 'bool' && predicate.type !== 'dynamic') {
          throw this.error('KQL104', `the where predicate must be bool, not ${predicate.type}`, op.predicate);
        }
        return { kind: 'where', input, predicate, schema: row };
      }
      case 'Extend': {
        const schema = [...row];
        const exprs: BoundExpr[] = [];
        const targets: number[] = [];
        let unnamed = 0;
        const assigned = new Set<string>();
        for (const a of op.columns) {
          const expr = this.bindScalar(a.expr, schema);
          const name = a.name?.name ?? inferName(a.expr, false) ?? `Column${++unnamed}`;
          if (assigned.has(name)) throw this.error('KQL108', `a column named '${name}' is already declared in this extend`, a.name ?? a);
          assigned.add(name);
          const existing = schema.findIndex((c) => c.name === name);
          if (existing >= 0) {
            schema[existing] = { name, type: expr.type };
            targets.push(existing);
          } else {
            schema.push({ name, type: expr.type });
            targets.push(schema.length - 1);
          }
          exprs.push(expr);
        }
        return { kind: 'extend', input, exprs, targets, schema };
      }
      case 'Project':
        return this.bindProjectLike(op.columns, input, 'Column');
      case 'ProjectAway': {
        const drop = new Set(op.columns.map((c) => this.columnIndex(c, row)));
        return this.projectIndices(input, row.map((_, i) => i).filter((i) => !drop.has(i)));
      }
      case 'ProjectKeep': {
        const keep = new Set(op.columns.map((c) => this.columnIndex(c, row)));
        return this.projectIndices(input, row.map((_, i) => i).filter((i) => keep.has(i)));
      }
      case 'ProjectRename': {
        const schema = [...row];
        for (const { newName, oldName } of op.renames) {
          const i = this.columnIndex(oldName, schema);
          schema[i] = { name: newName.name, type: schema[i]!.type };
        }
        return { kind: 'project', input, exprs: row.map((c, i) => col(c, i)), schema };
      }
      case 'Summarize':
        return this.bindSummarize(op, input);
      case 'Distinct': {
        if (op.star) {
          if (row.some((c) => c.type === 'dynamic')) {
            throw this.error('KQL104', 'distinct * cannot group by dynamic columns (project them away or convert with tostring())', { pos: op.end - 1, end: op.end });
          }
          return { kind: 'distinct', input, exprs: row.map((c, i) => col(c, i)), schema: row };
        }
        const exprs = op.columns.map((c) => this.bindScalar(c, row));
        exprs.forEach((x, i) => {
          if (x.type === 'dynamic') throw this.error('KQL104', 'distinct cannot group by a dynamic value (convert it with tostring())', op.columns[i]!);
        });
        const schema = exprs.map((x, i) => ({ name: inferName(op.columns[i]!) ?? `Column${i + 1}`, type: x.type }));
        return { kind: 'distinct', input, exprs, schema };
      }
      case 'Count':
        return { kind: 'count', input, schema: [{ name: 'Count', type: 'long' }] };
      case 'Take': {
        const count = this.bindScalar(op.count, []);
        if (!isNumericType(count.type)) throw this.error('KQL104', `take needs a number, not ${count.type}`, op.count);
        return { kind: 'take', input, count, schema: row };
      }
      case 'Top': {
        const limit = this.bindScalar(op.count, []);
        if (!isNumericType(limit.type)) throw this.error('KQL104', `top needs a number, not ${limit.type}`, op.count);
        return { kind: 'sort', input, keys: [this.bindSortKey(op.key, row)], limit, schema: row };
      }
      case 'Sort':
        return { kind: 'sort', input, keys: op.keys.map((k) => this.bindSortKey(k, row)), schema: row };
      case 'Join':
      case 'Lookup':
        return this.bindJoin(op, input);
      case 'UnionOp':
        return this.bindUnion(op, [input, ...op.tables.map((t) => this.bindTabular(t))]);
      case 'MvExpand': {
        const schema = [...row];
        const exprs: BoundExpr[] = [];
        const targets: number[] = [];
        const toTypes: (KqlType | undefined)[] = [];
        for (const { assignment, toType } of op.columns) {
          const expr = this.bindScalar(assignment.expr, row);
          if (expr.type !== 'dynamic') throw this.error('KQL104', `mv-expand needs a dynamic array, not ${expr.type}`, assignment.expr);
          const name = assignment.name?.name ?? inferName(assignment.expr);
          if (!name) throw this.error('KQL106', 'mv-expand of an expression needs a column name (Name = expr)', assignment);
          const type = toType ?? 'dynamic';
          const existing = schema.findIndex((c) => c.name === name);
          if (existing >= 0) {
            schema[existing] = { name, type };
            targets.push(existing);
          } else {
            schema.push({ name, type });
            targets.push(schema.length - 1);
          }
          exprs.push(expr);
          toTypes.push(toType);
        }
        const limit = op.limit ? this.bindScalar(op.limit, []) : undefined;
        return { kind: 'mvexpand', input, exprs, targets, toTypes, limit, schema };
      }
      case 'As':
        this.lets.set(op.name.name, { kind: 'tabular', plan: input });
        return input;
      case 'UnsupportedOp':
        throw this.error('KQL106', `${op.what} is not supported`, op);
      default:
        return A.assertNever(op, 'query operator');
    }
  }

  private projectIndices(input: BoundPlan, indices: number[]): BoundPlan {
    const schema = indices.map((i) => input.schema[i]!);
    return { kind: 'project', input, exprs: indices.map((i) => col(input.schema[i]!, i)), schema };
  }

  private bindProjectLike(columns: readonly A.Assignment[], input: BoundPlan, unnamedPrefix: string): BoundPlan {
    const exprs: BoundExpr[] = [];
    const schema: ColumnSchema[] = [];
    let unnamed = unnamedPrefix === 'print_' ? -1 : 0;
    for (const a of columns) {
      const expr = this.bindScalar(a.expr, input.schema);
      const name = a.name?.name ?? inferName(a.expr, false) ?? `${unnamedPrefix}${++unnamed}`;
      if (schema.some((c) => c.name === name)) throw this.error('KQL108', `duplicate column name '${name}'`, a);
      exprs.push(expr);
      schema.push({ name, type: expr.type });
    }
    return { kind: 'project', input, exprs, schema };
  }

  private bindSortKey(k: A.SortKey, row: readonly ColumnSchema[]): SortKeyBound {
    const expr = this.bindScalar(k.expr, row);
    // Kusto: ascending puts nulls first, descending puts them last, unless stated
    return { expr, descending: k.descending, nullsFirst: k.nullsFirst ?? !k.descending };
  }

  private bindSummarize(op: A.SummarizeOp, input: BoundPlan): BoundPlan {
    const row = input.schema;
    const keys: BoundExpr[] = [];
    const schema: ColumnSchema[] = [];
    const outputs: SummarizeOutput[] = [];
    const aggregates: BoundAggregate[] = [];
    const argExtremes: BoundArgExtreme[] = [];
    const addColumn = (name: string, type: KqlType, at: { pos: number; end: number }) => {
      if (schema.some((c) => c.name === name)) throw this.error('KQL108', `duplicate column name '${name}' in summarize`, at);
      schema.push({ name, type });
    };
    let unnamed = 0;
    for (const a of op.by) {
      const expr = this.bindScalar(a.expr, row);
      if (expr.type === 'dynamic') throw this.error('KQL104', 'a value of type dynamic cannot be a summarize key (convert it with tostring())', a.expr);
      const name = a.name?.name ?? inferName(a.expr) ?? `Column${++unnamed}`;
      addColumn(name, expr.type, a);
      outputs.push({ kind: 'key', index: keys.length });
      keys.push(expr);
    }
    for (const a of op.aggregates) {
      const call = a.expr;
      if (call.kind !== 'Call') {
        throw this.error('KQL106', 'summarize expressions must be single aggregation calls (arithmetic over aggregates is not supported)', call);
      }
      const fname = call.name.name;
      if (fname === 'take_any' || fname === 'any') {
        if (call.args.length === 0) throw this.error('KQL105', `${fname}() needs at least one expression or *`, call);
        const star = call.args.some((x) => x.kind === 'NameRef' && x.name === '*');
        const keyNames = new Set(schema.map((c) => c.name));
        const carried = star
          ? row.map((c, i) => ({ expr: col(c, i), name: c.name })).filter((c) => !keyNames.has(c.name))
          : call.args.map((x, i) => {
              const inferred = inferName(x);
              // the deprecated any() prefixes its columns with any_
              const base = inferred ?? `${fname}_${i}`;
              const name = call.args.length === 1 && a.name ? a.name.name : fname === 'any' ? `any_${base}` : base;
              return { expr: this.bindScalar(x, row), name };
            });
        const index = argExtremes.length;
        const columns: BoundExpr[] = [];
        for (const c of carried) {
          addColumn(c.name, c.expr.type, a);
          outputs.push({ kind: 'argColumn', index, column: columns.length });
          columns.push(c.expr);
        }
        argExtremes.push({ sign: 0, columns });
        continue;
      }
      if (fname === 'arg_max' || fname === 'arg_min') {
        if (call.args.length < 2) throw this.error('KQL105', `${fname}() needs an expression and at least one column (or *)`, call);
        const key = this.bindScalar(call.args[0]!, row);
        const keyName = a.name?.name ?? inferName(call.args[0]!) ?? `${fname}_`;
        const columns: BoundExpr[] = [];
        const index = argExtremes.length;
        addColumn(keyName, key.type, a);
        outputs.push({ kind: 'argKey', index });
        const star = call.args.slice(1).some((x) => x.kind === 'NameRef' && x.name === '*');
        const carried: { expr: BoundExpr; name: string }[] = star
          ? row.map((c, i) => ({ expr: col(c, i), name: c.name })).filter((c) => c.name !== keyName)
          : call.args.slice(1).map((x, i) => ({ expr: this.bindScalar(x, row), name: inferName(x) ?? `${fname}_${i + 1}` }));
        for (const c of carried) {
          if (schema.some((s) => s.name === c.name)) continue; // by-keys already carry it
          outputs.push({ kind: 'argColumn', index, column: columns.length });
          columns.push(c.expr);
          schema.push({ name: c.name, type: c.expr.type });
        }
        argExtremes.push({ sign: fname === 'arg_max' ? 1 : -1, key, columns });
        continue;
      }
      const fn = this.functions.aggregate(fname);
      if (!fn) {
        if (this.functions.scalar(fname)) {
          throw this.error('KQL106', `'${fname}' is a scalar function; summarize needs an aggregation (expressions over aggregates are not supported)`, call.name);
        }
        if (KNOWN_UNSUPPORTED_FUNCTIONS.has(fname)) throw this.error('KQL106', `the aggregation '${fname}' is not supported`, call.name);
        const candidates = [...(this.functions.names?.('aggregate') ?? []), 'arg_max', 'arg_min'];
        throw this.error('KQL103', `unknown aggregation function '${fname}'${didYouMean(fname, candidates, 'function names')}`, call.name);
      }
      if (call.args.length < fn.minArgs || call.args.length > fn.maxArgs) {
        throw this.error('KQL105', `${fname}() takes ${arity(fn.minArgs, fn.maxArgs)}, got ${call.args.length}`, call);
      }
      const args = call.args.map((x) => this.bindScalar(x, row));
      const constants = args.map((x) => (x.kind === 'const' ? x.value : undefined));
      const typed = fn.resultType(args.map((x) => x.type), constants);
      if ('error' in typed) throw this.error('KQL104', `${fname}(): ${typed.error}`, call.args[typed.argIndex ?? 0] ?? call);
      const argName = call.args[0] ? inferName(call.args[0]) : undefined;
      const name = a.name?.name ?? fn.columnName?.(argName ?? '', constants) ?? `${AGG_NAME_PREFIX[fname] ?? fname + '_'}${fname === 'count' || fname === 'countif' ? '' : argName ?? ''}`;
      addColumn(name, typed.type, a);
      outputs.push({ kind: 'agg', index: aggregates.length });
      aggregates.push({ fn, args, type: typed.type, at: call });
    }
    return { kind: 'summarize', input, keys, aggregates, argExtremes, outputs, schema };
  }

  private bindJoin(op: A.JoinOp | A.LookupOp, left: BoundPlan): BoundPlan {
    let kind = op.joinKind;
    if (kind === 'leftantisemi' || kind === 'anti') kind = 'leftanti';
    if (kind === 'rightantisemi') kind = 'rightanti';
    const kindAt = { pos: op.kindPos, end: op.kindPos + op.joinKind.length };
    if (!JOIN_KINDS.has(op.joinKind)) throw this.error('KQL106', `join kind '${op.joinKind}' is not supported`, kindAt);
    if (op.kind === 'Lookup' && kind !== 'leftouter' && kind !== 'inner') {
      throw this.error('KQL106', `lookup kind '${op.joinKind}' is not supported (only leftouter and inner)`, kindAt);
    }
    const right = this.bindTabular(op.right);
    const leftKeys: number[] = [];
    const rightKeys: number[] = [];
    for (const c of op.on) {
      const li = this.columnIndex(c.left, left.schema, 'left side of the join');
      const ri = this.columnIndex(c.right, right.schema, 'right side of the join');
      leftKeys.push(li);
      rightKeys.push(ri);
    }
    const output: [0 | 1, number][] = [];
    const schema: ColumnSchema[] = [];
    const add = (side: 0 | 1, i: number, c: ColumnSchema) => {
      let name = c.name;
      for (let n = 1; schema.some((s) => s.name === name); n++) name = `${c.name}${n}`;
      schema.push({ name, type: c.type });
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
    return { kind: 'join', left, right, joinKind: kind as JoinKind, leftKeys, rightKeys, output, schema };
  }

  private columnIndex(id: A.Identifier, row: readonly ColumnSchema[], where = 'input'): number {
    const i = row.findIndex((c) => c.name === id.name);
    if (i < 0) throw this.error('KQL102', `unknown column '${id.name}' in the ${where}${didYouMean(id.name, row.map((c) => c.name), 'column names')}`, id);
    return i;
  }

  // ---------- scalar ----------

  bindScalar(e: A.Expr, row: readonly ColumnSchema[]): BoundExpr {
    switch (e.kind) {
      case 'Literal':
        return { kind: 'const', type: e.type, value: e.value };
      case 'DynamicLiteral':
        return { kind: 'const', type: 'dynamic', value: e.value };
      case 'NameRef':
        return this.bindName(e, row);
      case 'Binary': {
        const left = this.bindScalar(e.left, row);
        const right = this.bindScalar(e.right, row);
        const b = bindBinary(e.op, left.type, right.type);
        if ('error' in b) throw this.error('KQL104', b.error, { pos: e.opPos, end: e.opPos + e.op.length });
        return { kind: 'op', type: b.type, impl: b.impl, args: [left, right], at: e };
      }
      case 'Unary': {
        const operand = this.bindScalar(e.operand, row);
        if (!isNumericType(operand.type) && operand.type !== 'timespan' && operand.type !== 'dynamic') {
          throw this.error('KQL104', `unary '${e.op}' needs a number or timespan, not ${operand.type}`, e);
        }
        return e.op === '-' ? { kind: 'negate', type: operand.type, operand } : operand;
      }
      case 'Call':
        return this.bindCall(e, row);
      case 'Member': {
        const target = this.bindScalar(e.target, row);
        if (target.type !== 'dynamic') throw this.error('KQL104', `'.${e.member.name}' needs a dynamic value, not ${target.type}`, e.member);
        return { kind: 'member', type: 'dynamic', target, key: { kind: 'const', type: 'string', value: e.member.name } };
      }
      case 'Index': {
        const target = this.bindScalar(e.target, row);
        if (target.type !== 'dynamic') throw this.error('KQL104', `indexing needs a dynamic value, not ${target.type}`, e.target);
        const key = this.bindScalar(e.index, row);
        return { kind: 'member', type: 'dynamic', target, key };
      }
      case 'Between': {
        const operand = this.bindScalar(e.operand, row);
        const low = this.bindScalar(e.low, row);
        let high = this.bindScalar(e.high, row);
        const problem = betweenBoundsType(operand.type, low.type, high.type);
        if (problem) throw this.error('KQL104', problem, e);
        if (operand.type === 'datetime' && high.type === 'timespan') {
          const plus = bindBinary('+', low.type, high.type);
          if ('error' in plus) throw this.error('KQL104', plus.error, e.high);
          high = { kind: 'op', type: plus.type, impl: plus.impl, args: [low, high], at: e.high };
        }
        return { kind: 'op', type: 'bool', impl: e.negated ? NOT_BETWEEN : BETWEEN, args: [operand, low, high], at: e };
      }
      case 'ListOp': {
        const operand = this.bindScalar(e.operand, row);
        const items = e.items.map((item) => {
          if (this.isTabular(item, row)) {
            const plan = this.bindTabular(item);
            if (plan.schema.length === 0) throw this.error('KQL111', 'the subquery has no columns', item);
            return { kind: 'subquery', type: 'dynamic', mode: 'column', plan } as BoundExpr;
          }
          return this.bindScalar(item, row);
        });
        if (items.length === 0) throw this.error('KQL105', `'${e.op}' needs at least one value`, e);
        const base = e.op.replace('!', '');
        if ((base === 'has_any' || base === 'has_all' || base === 'in~') && operand.type !== 'string' && operand.type !== 'dynamic') {
          throw this.error('KQL104', `'${e.op}' needs a string on its left, not ${operand.type}`, e.operand);
        }
        return { kind: 'op', type: 'bool', impl: listOperator(e.op), args: [operand, ...items], at: e };
      }
      case 'Pipe':
      case 'Datatable':
      case 'Union':
      case 'Print':
        throw this.error('KQL112', 'a tabular expression cannot be used as a scalar value here (use toscalar())', e);
      case 'Unsupported':
        throw this.error('KQL106', `${e.what} is not supported`, e);
      default:
        return A.assertNever(e, 'expression');
    }
  }

  private bindName(e: A.NameRef, row: readonly ColumnSchema[]): BoundExpr {
    const i = row.findIndex((c) => c.name === e.name);
    if (i >= 0) return col(row[i]!, i);
    const b = this.lets.get(e.name);
    if (b?.kind === 'scalar') return b.expr;
    if (b?.kind === 'poisoned') throw new PoisonedReference(e.name);
    if (b?.kind === 'tabular' || this.catalogue.schemaOf(e.name)) {
      throw this.error('KQL112', `'${e.name}' is a table; a scalar value is needed here`, e);
    }
    throw this.error('KQL102', `unknown column '${e.name}'${didYouMean(e.name, this.scalarCandidates(row), 'column names')}`, e);
  }

  /** Tables a name could have meant: the catalogue's (when it can list them) and tabular lets. */
  private tableCandidates(): string[] {
    const listed = (this.catalogue as Partial<Pick<SchemaCatalogue, 'tableNames'>>).tableNames?.() ?? [];
    return [...listed, ...[...this.lets].filter(([, b]) => b.kind === 'tabular').map(([name]) => name)];
  }

  /** Scalars a name could have meant: the row's columns, then scalar lets. */
  private scalarCandidates(row: readonly ColumnSchema[]): string[] {
    return [...row.map((c) => c.name), ...[...this.lets].filter(([, b]) => b.kind === 'scalar').map(([name]) => name)];
  }

  private bindCall(e: A.CallExpr, row: readonly ColumnSchema[]): BoundExpr {
    const name = e.name.name;
    if (name === 'toscalar') {
      if (e.args.length !== 1) throw this.error('KQL105', 'toscalar() takes one argument', e);
      const arg = e.args[0]!;
      if (!this.isTabular(arg, row)) return this.bindScalar(arg, row);
      const plan = this.bindTabular(arg);
      if (plan.schema.length === 0) throw this.error('KQL111', 'the subquery has no columns', arg);
      return { kind: 'subquery', type: plan.schema[0]!.type, mode: 'scalar', plan };
    }
    if (name === INGESTION_TIME_FUNCTION) return this.bindIngestionTime(e, row);
    const fn = this.functions.scalar(name);
    if (!fn) {
      if (this.functions.aggregate(name) || name === 'arg_max' || name === 'arg_min') {
        throw this.error('KQL109', `the aggregation '${name}()' can only be used in summarize`, e.name);
      }
      if (KNOWN_UNSUPPORTED_FUNCTIONS.has(name) || name === 'materialize') {
        throw this.error('KQL106', `the function '${name}()' is not supported`, e.name);
      }
      throw this.error('KQL103', `unknown function '${name}'${didYouMean(name, [...(this.functions.names?.('scalar') ?? []), 'toscalar'], 'function names')}`, e.name);
    }
    if (e.args.length < fn.minArgs || e.args.length > fn.maxArgs) {
      throw this.error('KQL105', `${name}() takes ${arity(fn.minArgs, fn.maxArgs)}, got ${e.args.length}`, e);
    }
    const args = e.args.map((x) => this.bindScalar(x, row));
    const typed = fn.resultType(args.map((x) => x.type), args.map((x) => (x.kind === 'const' ? x.value : undefined)));
    if ('error' in typed) throw this.error('KQL104', `${name}(): ${typed.error}`, e.args[typed.argIndex ?? 0] ?? e);
    return { kind: 'call', type: typed.type, fn, args, at: e };
  }

  private bindIngestionTime(e: A.CallExpr, row: readonly ColumnSchema[]): BoundExpr {
    if (e.args.length !== 0) throw this.error('KQL105', `${INGESTION_TIME_FUNCTION}() takes 0 arguments, got ${e.args.length}`, e);
    const index = row.findIndex((c) => c.name === INGESTION_TIME_COLUMN && c.type === 'datetime');
    return index >= 0 ? col(row[index]!, index) : { kind: 'const', type: 'datetime', value: null };
  }
}

/**
 * ingestion_time(): "the approximate datetime in UTC format indicating when the current record was ingested"; in
 * the context of a table only, null elsewhere (learn.microsoft.com/kusto/query/ingestion-time-function). Offline
 * a row's ingestion time is its `_TimeReceived`, the Log Analytics standard column a workspace export (and the
 * findings file sink) writes: where the row has no such column the value is null, as outside a table.
 */
const INGESTION_TIME_FUNCTION = 'ingestion_time';
export const INGESTION_TIME_COLUMN = '_TimeReceived';

function col(c: ColumnSchema, index: number): BoundExpr {
  return { kind: 'column', type: c.type, index, name: c.name };
}

function arity(min: number, max: number): string {
  if (min === max) return `${min} argument${min === 1 ? '' : 's'}`;
  return max > 64 ? `at least ${min} arguments` : `${min} to ${max} arguments`;
}

/**
 * Kusto's inferred column name: the column a simple expression refers to. Grouping keys such as
 * `bin(Timestamp, 1h)` keep their column's name (`groupingKey`); elsewhere a call gets ColumnN.
 */
function inferName(e: A.Expr, groupingKey = true): string | undefined {
  switch (e.kind) {
    case 'NameRef':
      return e.name;
    case 'Call':
      if (groupingKey && (e.name.name === 'bin' || e.name.name === 'floor') && e.args[0]) return inferName(e.args[0]);
      return undefined;
    case 'Member':
      return inferName(e.target, groupingKey) !== undefined ? `${inferName(e.target, groupingKey)}_${e.member.name}` : undefined;
    default:
      return undefined;
  }
}

function literalFits(value: KqlType, column: KqlType): boolean {
  if (value === column) return true;
  if (isNumericType(value) && isNumericType(column)) return true;
  return column === 'dynamic';
}
