// parse and parse-where (https://learn.microsoft.com/kusto/query/parse-operator,
// https://learn.microsoft.com/kusto/query/parse-where-operator): the pattern's columns are appended
// to the input's; the matching itself is eval/parse.ts.
import type * as A from '../ast.js';
import type { BoundPlan, ParseKind, ParsePart } from '../bound.js';
import { ColumnBuilder } from './columns.js';
import type { Binder } from './index.js';

const KINDS: readonly ParseKind[] = ['simple', 'regex', 'relaxed'];

export function bindParse(b: Binder, op: A.ParseOp, input: BoundPlan): BoundPlan {
  const operator = op.filter ? 'parse-where' : 'parse';
  const source = b.scalar(op.source, input.schema);
  const kind = (op.parseKind?.name ?? 'simple') as ParseKind;
  if (!KINDS.includes(kind)) throw b.error('KQL106', `${operator} kind '${kind}' is not supported (only simple, regex and relaxed)`, op.parseKind!);
  const flags = op.flags?.name ?? '';
  if (op.flags && kind !== 'regex') throw b.error('KQL104', `${operator} flags= needs kind=regex`, op.flags);
  if (/[^Uims]/.test(flags)) throw b.error('KQL106', `${operator} flags '${flags}' are not supported (only U, i, m and s)`, op.flags!);
  const columns = new ColumnBuilder((name, at) => b.error('KQL108', `the ${operator} column '${name}' is already a column`, at), input.schema);
  const parts: ParsePart[] = [];
  op.parts.forEach((p, i) => {
    if (p.kind === 'column') {
      columns.add(p.name.name, p.type, p.name, 'declared');
      parts.push({ kind: 'column', type: p.type });
      return;
    }
    // "The * can't be used after a string type column" (a string column already takes what follows)
    const before = op.parts[i - 1];
    if (p.kind === 'skip' && before?.kind === 'column' && before.type === 'string') {
      throw b.error('KQL104', `${operator}: '*' cannot follow the string column '${before.name.name}'`, p);
    }
    parts.push(p.kind === 'text' ? { kind: 'text', text: p.text } : { kind: 'skip' });
  });
  return { kind: 'parse', input, source, parseKind: kind, flags, parts, filter: op.filter, at: op, schema: columns.schema };
}
