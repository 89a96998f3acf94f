// The `parse` operator's matcher (https://learn.microsoft.com/kusto/query/parse-operator). The pattern
// becomes one regular expression anchored at both ends, as the doc describes regex mode: `*` skips
// text, a column captures it. kind=simple and kind=relaxed take the string constants literally;
// kind=regex takes them as regular expressions. In simple and relaxed mode a skip or a string column
// ends at the first occurrence of what follows it; in regex mode they are greedy unless flags has U
// (the doc's example: `* "resourceName=" resourceName ',' *` captures up to the last comma, with U up
// to the first). A typed column captures what its type can hold (`-?\d+` for long; with kind=relaxed,
// any text where that is not found) and is converted;
// with kind=simple or regex, no match or a value that does not convert leaves every parsed column
// null, with kind=relaxed only that column.
import { EvaluationFailure } from '../errors.js';
import { parseDatetime, parseGuid, parseTimespan } from '../literals.js';
import type { BoundPlan, ParseKind, ParsePart } from '../bound.js';
import type { KqlType } from '../types.js';
import { kustoRegex } from '../functions/scalars-string.js';
import { emptyRow, nullOf, valueToString } from '../values.js';
import { positioned } from './compile.js';
import { compileAll, execute, type ExecContext } from './execute.js';


const INTEGER = String.raw`-?\d+`;
const REAL = String.raw`-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;

const GROUP = '__parse';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A column's text as its type, or undefined when it does not convert. */
export function textAs(type: KqlType, text: string): unknown {
  switch (type) {
    case 'string':
      return text;
    case 'long':
    case 'int':
      return new RegExp(`^\\s*${INTEGER}\\s*$`).test(text) ? Number(text) : undefined;
    case 'real':
    case 'decimal':
      return new RegExp(`^\\s*${REAL}\\s*$`).test(text) ? Number(text) : undefined;
    case 'bool': {
      const t = text.trim().toLowerCase();
      return t === 'true' ? true : t === 'false' ? false : undefined;
    }
    case 'datetime':
      return parseDatetime(text);
    case 'timespan':
      return parseTimespan(text);
    case 'guid':
      return parseGuid(text);
    case 'dynamic':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
  }
}

/**
 * Compiles a parse pattern to a function from the parsed text to the columns' values, undefined when
 * the text does not match (or, except with kind=relaxed, a value does not convert).
 */
export function compileParsePattern(kind: ParseKind, flags: string, parts: readonly ParsePart[]): (text: string) => unknown[] | undefined {
  const ungreedy = flags.includes('U');
  const any = kind === 'regex' ? (ungreedy ? '.*?' : '.*') : '[\\s\\S]*?';
  const columns = parts.filter((p): p is Extract<ParsePart, { kind: 'column' }> => p.kind === 'column');
  // columns are named groups, so groups inside the user's regular expressions do not shift them
  let source = '';
  let column = 0;
  for (const p of parts) {
    if (p.kind === 'skip') source += `(?:${any})`;
    else if (p.kind === 'text') source += kind === 'regex' ? `(?:${p.text})` : escape(p.text);
    else {
      const numeric = ['long', 'int', 'real', 'decimal'].includes(p.type) ? (p.type === 'real' || p.type === 'decimal' ? REAL : INTEGER) : undefined;
      // relaxed: a number where there is one, else whatever text is there (which then converts to null)
      const capture = numeric === undefined ? any : kind === 'relaxed' ? `${numeric}|${any}` : numeric;
      source += `(?<${GROUP}${column++}>${capture})`;
    }
  }
  const jsFlags = [...new Set(flags.replace('U', ''))].join('');
  if (/[^ims]/.test(jsFlags)) throw new EvaluationFailure('KQL202', `parse flags '${flags}' are not supported (only U, i, m and s)`);
  const re = kustoRegex(`^(?:${source})$`, kind === 'regex' ? jsFlags : 's');
  return (text) => {
    const m = re.exec(text);
    if (!m) return undefined;
    const values = columns.map((c, i) => textAs(c.type, m.groups?.[`${GROUP}${i}`] ?? ''));
    if (kind !== 'relaxed' && values.some((v) => v === undefined)) return undefined;
    return values.map((v, i) => (v === undefined ? nullOf(columns[i]!.type) : v));
  };
}

/** parse / parse-where: the parsed columns appended to each row; parse-where keeps only rows that match. */
export async function* runParse(plan: Extract<BoundPlan, { kind: 'parse' }>, ctx: ExecContext): AsyncGenerator<unknown[][]> {
  const [source] = await compileAll([plan.source], ctx);
  const match = positioned(ctx, plan.at, () => compileParsePattern(plan.parseKind, plan.flags, plan.parts));
  const width = plan.input.schema.length;
  for await (const batch of execute(plan.input, ctx)) {
    const out: unknown[][] = [];
    for (const r of batch) {
      const values = match(valueToString(source!(r), plan.source.type));
      if (values === undefined) {
        if (plan.filter) continue;
        out.push([...r.slice(0, width), ...emptyRow(plan.schema.slice(width))]);
      } else out.push([...r.slice(0, width), ...values]);
    }
    if (out.length > 0) yield out;
  }
}
