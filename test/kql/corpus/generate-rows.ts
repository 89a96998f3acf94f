// Derives rows from a rule's own literals and columns: a positive row that satisfies every filter,
// and negative rows that fail it (outside the time window; every string condition violated by a
// look-alike that embeds the rule's literal inside a longer term).
import type { Expr, Script, Statement } from '../../../src/kql/ast.js';
import { parse } from '../../../src/kql/index.js';

type Partial = Record<string, string>;

export interface GeneratedRows {
  readonly table: string;
  readonly positive: Record<string, unknown>;
  readonly outsideWindow: Record<string, unknown>;
  readonly violated: Record<string, unknown>;
}

const DAY = 86_400_000;

export function generateRows(query: string, now: Date): GeneratedRows {
  const script = parse(query);
  const lets = new Map<string, Expr>();
  let main: Expr | undefined;
  for (const st of script.statements as Statement[]) {
    if (st.kind === 'Let') lets.set(st.name.name, st.value);
    if (st.kind === 'ExprStatement') main = st.expr;
  }
  if (!main) throw new Error('rule has no query');
  const predicates: Expr[] = [];
  let source: Expr = main;
  while (source.kind === 'Pipe') {
    if (source.operator.kind === 'Where') predicates.unshift(source.operator.predicate);
    source = source.source;
  }
  if (source.kind !== 'NameRef') throw new Error('rule does not start from a table');

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
        }
        break;
      case 'ListOp':
        if (e.op === 'has_any') return { [column(e.operand)]: `Contoso ${firstLiteral(e.items)} Ltd` };
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
        }
        break;
      case 'ListOp':
        if (e.op === 'has_any') return { [column(e.operand)]: `x${firstLiteral(e.items)}x` };
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
  const filters = predicates.filter((p) => p.kind !== 'Between');
  let pos: Partial = {};
  let neg: Partial = {};
  for (const f of filters) {
    pos = merge(pos, satisfy(f));
    neg = merge(neg, violate(f));
  }
  const positive = { ...base, ...pos };
  return {
    table: source.name,
    positive,
    outsideWindow: { ...positive, Timestamp: new Date(now.getTime() - 6 * DAY) },
    violated: { ...base, ...neg },
  };
}

export type { Script };
