// The `parse` operator's matcher (https://learn.microsoft.com/kusto/query/parse-operator): `*` skips
// text, a column captures it, and the whole text must be consumed.
// kind=simple and kind=relaxed take the string constants literally and scan once, left to right: a
// skip or a column ends at the first occurrence of the constant that follows it (a number column
// followed by `*` takes the digits there), so matching is linear in the text whatever the pattern.
// kind=regex takes the constants as regular expressions, as the doc describes: the pattern becomes one
// expression anchored at both ends, where `*` and string columns are greedy unless flags has U (the
// doc's example: `* "resourceName=" resourceName ',' *` captures up to the last comma, with U up to the
// first) and a number column captures `-?\d+`. A column's text is then converted to its type; with
// kind=simple or regex, no match or a value that does not convert leaves every parsed column null,
// with kind=relaxed only that column.
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
  const types = parts.flatMap((p) => (p.kind === 'column' ? [p.type] : []));
  const capture = kind === 'regex' ? regexCapture(flags, parts) : scanCapture(parts);
  return (text) => {
    const raw = capture(text);
    if (!raw) return undefined;
    const values = types.map((t, i) => textAs(t, raw[i]!));
    if (kind !== 'relaxed' && values.some((v) => v === undefined)) return undefined;
    return values.map((v, i) => (v === undefined ? nullOf(types[i]!) : v));
  };
}

const isNumber = (t: KqlType) => t === 'long' || t === 'int' || t === 'real' || t === 'decimal';

/** simple / relaxed: one left-to-right scan with indexOf, the columns' texts or undefined. */
function scanCapture(parts: readonly ParsePart[]): (text: string) => string[] | undefined {
  const numberAt = { long: new RegExp(INTEGER, 'y'), real: new RegExp(REAL, 'y') };
  return (text) => {
    let pos = 0;
    const out: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (p.kind === 'text') {
        if (!text.startsWith(p.text, pos)) return undefined;
        pos += p.text.length;
        continue;
      }
      const next = parts[i + 1];
      let end: number;
      if (next === undefined) end = text.length;
      else if (next.kind === 'text') {
        end = text.indexOf(next.text, pos);
        if (end < 0) return undefined;
      } else if (p.kind === 'column' && isNumber(p.type)) {
        const re = p.type === 'long' || p.type === 'int' ? numberAt.long : numberAt.real;
        re.lastIndex = pos;
        end = re.test(text) ? re.lastIndex : pos;
      } else end = pos;
      if (p.kind === 'column') out.push(text.slice(pos, end));
      pos = end;
    }
    return pos === text.length ? out : undefined;
  };
}

/** regex: one anchored expression; columns are named groups, so the user's own groups do not shift them. */
function regexCapture(flags: string, parts: readonly ParsePart[]): (text: string) => string[] | undefined {
  const any = flags.includes('U') ? '.*?' : '.*';
  let source = '';
  let column = 0;
  for (const p of parts) {
    if (p.kind === 'skip') source += `(?:${any})`;
    else if (p.kind === 'text') source += `(?:${p.text})`;
    else source += `(?<${GROUP}${column++}>${!isNumber(p.type) ? any : p.type === 'long' || p.type === 'int' ? INTEGER : REAL})`;
  }
  const jsFlags = [...new Set(flags.replace('U', ''))].join('');
  if (/[^ims]/.test(jsFlags)) throw new EvaluationFailure('KQL202', `parse flags '${flags}' are not supported (only U, i, m and s)`);
  const re = kustoRegex(`^(?:${source})$`, jsFlags);
  return (text) => {
    const m = re.exec(text);
    return m ? Array.from({ length: column }, (_, i) => m.groups?.[`${GROUP}${i}`] ?? '') : undefined;
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
