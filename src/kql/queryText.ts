// Building query text safely: binding let values and quoting strings. Kept apart from the
// evaluator so the Function, which only rewrites queries, does not load the whole engine.
import { parse as parseScript } from './parser/index.js';

/**
 * Rewrites the value expressions of top-level `let NAME = <expr>;` statements to the given KQL text.
 * Throws if a name is not a top-level let.
 */
export function replaceLetValues(queryText: string, values: Readonly<Record<string, string>>): string {
  const script = parseScript(queryText);
  const edits: { pos: number; end: number; text: string }[] = [];
  for (const [name, text] of Object.entries(values)) {
    const lets = script.statements.filter((s) => s.kind === 'Let' && s.name.name === name);
    if (lets.length === 0) throw new Error(`replaceLetValues: '${name}' is not a top-level let statement of the query`);
    for (const st of lets) {
      if (st.kind === 'Let') edits.push({ pos: st.valuePos, end: st.valueEnd, text });
    }
  }
  edits.sort((a, b) => b.pos - a.pos);
  let out = queryText;
  for (const e of edits) out = out.slice(0, e.pos) + e.text + out.slice(e.end);
  return out;
}

/** A KQL string literal that denotes exactly `value`, whatever it contains. */
export function kqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default: out += ch;
    }
  }
  return out + '"';
}

/** A KQL datetime literal for the instant (UTC, to the millisecond). */
export function kqlDatetime(instant: Date): string {
  return `datetime(${instant.toISOString()})`;
}

/** A KQL dynamic array of string literals, each built by `kqlString`. */
export function kqlStringArray(values: readonly string[]): string {
  return `dynamic([${values.map(kqlString).join(', ')}])`;
}
