// Derives rows from a rule's own literals and columns: a positive row that satisfies every filter,
// and negative rows that fail it (outside the time window; every string condition violated by a
// look-alike that embeds the rule's literal inside a longer term). A condition `X in (letName)` over
// a tabular let (`Table | where ... | distinct Col`) gets a row of that table too, sharing X's value.
import type { Expr, Statement } from '../../../src/kql/ast.js';
import { parse } from '../../../src/kql/index.js';

type Partial = Record<string, string>;
type Row = Record<string, unknown>;
/** rows per table name */
export type Tables = Record<string, Row[]>;

export interface GeneratedRows {
  /** the table the rule's query reads */
  readonly table: string;
  readonly positive: Tables;
  readonly outsideWindow: Tables;
  readonly violated: Tables;
}

const DAY = 86_400_000;

/** The value shared by an `in (letName)` condition and the let's distinct column (a SHA1). */
const SHARED_HASH = 'aa'.repeat(20);
const OTHER_HASH = 'bb'.repeat(20);

interface Source {
  readonly table: string;
  readonly predicates: readonly Expr[];
  /** the column of a trailing `distinct Col`, when there is one */
  readonly distinct?: string;
}

function sourceOf(e: Expr): Source {
  const predicates: Expr[] = [];
  let distinct: string | undefined;
  let source = e;
  while (source.kind === 'Pipe') {
    const op = source.operator;
    if (op.kind === 'Where') predicates.unshift(op.predicate);
    if (op.kind === 'Distinct' && op.columns[0]?.kind === 'NameRef') distinct = op.columns[0].name;
    source = source.source;
  }
  if (source.kind !== 'NameRef') throw new Error('rule does not start from a table');
  return { table: source.name, predicates, distinct };
}

export function generateRows(query: string, now: Date): GeneratedRows {
  const script = parse(query);
  const lets = new Map<string, Expr>();
  let main: Expr | undefined;
  for (const st of script.statements as Statement[]) {
    if (st.kind === 'Let') lets.set(st.name.name, st.value);
    if (st.kind === 'ExprStatement') main = st.expr;
  }
  if (!main) throw new Error('rule has no query');

  const base = {
    Timestamp: new Date(now.getTime() - DAY),
    DeviceId: 'dev-0001',
    DeviceName: 'pc1.contoso.com',
    ReportId: 101,
    AccountUpn: 'user@contoso.com',
    InitiatingProcessAccountUpn: 'user@contoso.com',
    InitiatingProcessFileName: 'tool.exe',
    FileName: 'tool.exe',
    RemoteUrl: 'https://unrelated.example.org',
  };

  /** rows of other tables that a positive row depends on (`in (letName)`) */
  const sideTables: Tables = {};

  const firstLiteral = (items: readonly Expr[]): string => {
    const item = items[0]!;
    if (item.kind === 'Literal') return String(item.value);
    // has_any ((letName | distinct Col)): the first value of the datatable behind the let
    let e: Expr = item;
    while (e.kind === 'Pipe') e = e.source;
    const bound = e.kind === 'NameRef' ? lets.get(e.name) : undefined;
    if (bound?.kind === 'Datatable' && bound.values[0]?.kind === 'Literal') return String(bound.values[0].value);
    throw new Error(`cannot derive a value from list item of kind ${item.kind}`);
  };
  /** `X in (letName)` where the let is a query over a table: adds that table's matching row */
  const tabularLetItem = (items: readonly Expr[]): boolean => {
    const item = items[0]!;
    const bound = item.kind === 'NameRef' ? lets.get(item.name) : undefined;
    if (items.length !== 1 || bound?.kind !== 'Pipe') return false;
    const side = sourceOf(bound);
    if (!side.distinct) throw new Error(`the let '${(item as { name: string }).name}' has no distinct column to match`);
    const row = { ...base, ...satisfyAll(side.predicates), [side.distinct]: SHARED_HASH };
    (sideTables[side.table] ??= []).push(row);
    return true;
  };
  const merge = (a: Partial, b: Partial): Partial => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = out[k] ? `${out[k]} ${v}` : v;
    return out;
  };
  const column = (e: Expr): string => {
    if (e.kind !== 'NameRef') throw new Error(`condition on a non-column expression (${e.kind})`);
    return e.name;
  };

  const satisfy = (e: Expr): Partial => {
    switch (e.kind) {
      case 'Binary':
        if (e.op === 'and') return merge(satisfy(e.left), satisfy(e.right));
        if (e.op === 'or') return satisfy(e.left);
        if (e.right.kind === 'Literal') {
          const lit = String(e.right.value);
          if (e.op === '=~') return { [column(e.left)]: lit.toUpperCase() };
          if (e.op === 'has' || e.op === 'contains') return { [column(e.left)]: `Contoso ${lit} Ltd` };
          if (e.op === 'startswith') return { [column(e.left)]: `${lit.toUpperCase()}Agent.exe` };
        }
        break;
      case 'ListOp':
        if (e.op === 'has_any') return { [column(e.operand)]: `Contoso ${firstLiteral(e.items)} Ltd` };
        if (e.op === 'in' && tabularLetItem(e.items)) return { [column(e.operand)]: SHARED_HASH };
        break;
      case 'Call':
        if (e.name.name === 'isempty') return { [column(e.args[0]!)]: '' };
        break;
      case 'Between':
        return {};
      default:
        break;
    }
    throw new Error(`no row generator for condition ${e.kind} at offset ${e.pos}`);
  };

  const violate = (e: Expr): Partial => {
    switch (e.kind) {
      case 'Binary':
        if (e.op === 'and' || e.op === 'or') return merge(violate(e.left), violate(e.right));
        if (e.right.kind === 'Literal') {
          const lit = String(e.right.value);
          if (e.op === '=~') return { [column(e.left)]: `${lit}x` };
          // the literal glued inside a longer term: a substring match, but not a term match
          if (e.op === 'has') return { [column(e.left)]: `x${lit}x` };
          if (e.op === 'contains') return { [column(e.left)]: 'unrelated' };
          if (e.op === 'startswith') return { [column(e.left)]: `x${lit}` };
        }
        break;
      case 'ListOp':
        if (e.op === 'has_any') return { [column(e.operand)]: `x${firstLiteral(e.items)}x` };
        if (e.op === 'in') return { [column(e.operand)]: OTHER_HASH };
        break;
      case 'Call':
        if (e.name.name === 'isempty') return { [column(e.args[0]!)]: 'Contoso' };
        break;
      case 'Between':
        return {};
      default:
        break;
    }
    throw new Error(`no row generator for condition ${e.kind} at offset ${e.pos}`);
  };

  const satisfyAll = (predicates: readonly Expr[]): Partial =>
    predicates.filter((p) => p.kind !== 'Between').reduce<Partial>((acc, p) => merge(acc, satisfy(p)), {});
  const violateAll = (predicates: readonly Expr[]): Partial =>
    predicates.filter((p) => p.kind !== 'Between').reduce<Partial>((acc, p) => merge(acc, violate(p)), {});

  const { table, predicates } = sourceOf(main);
  const positive = { ...base, ...satisfyAll(predicates) };
  const violated = { ...base, ...violateAll(predicates) };
  const shifted = (rows: Row[]) => rows.map((r) => ({ ...r, Timestamp: new Date(now.getTime() - 6 * DAY) }));
  const withSides = (mainRows: Row[], sides: (rows: Row[]) => Row[] = (rows) => rows): Tables => {
    const out: Tables = { [table]: mainRows };
    for (const [name, rows] of Object.entries(sideTables)) out[name] = [...(out[name] ?? []), ...sides(rows)];
    return out;
  };
  return {
    table,
    positive: withSides([positive]),
    outsideWindow: withSides(shifted([positive]), shifted),
    violated: withSides([violated]),
  };
}
