/**
 * Binds the hunt window into the rule's query: the rule's own `let Time_start = now(-5d)`
 * and `let Time_end = now()` become the window the watermark decided. A rule that declares
 * neither cannot be windowed, and running it as is would re-read its whole period every run.
 */
import type { TimeWindow } from './model.js';
import type { HuntRule } from '../rules/rule.js';
import { parse } from '../kql/parser.js';

export const WINDOW_LETS = ['Time_start', 'Time_end'] as const;

function replaceLets(queryText: string, values: Readonly<Record<string, string>>): { text: string; replaced: Set<string> } {
  const script = parse(queryText);
  const edits: { from: number; to: number; text: string; name: string }[] = [];
  for (const statement of script.statements) {
    if (statement.kind !== 'Let') continue;
    const value = values[statement.name.name];
    if (value !== undefined) edits.push({ from: statement.valuePos, to: statement.valueEnd, text: value, name: statement.name.name });
  }
  let text = queryText;
  for (const edit of edits.sort((a, b) => b.from - a.from)) text = text.slice(0, edit.from) + edit.text + text.slice(edit.to);
  return { text, replaced: new Set(edits.map((e) => e.name)) };
}

export function bindHuntWindow(rule: HuntRule, window: TimeWindow): string {
  const { text, replaced } = replaceLets(rule.query, {
    Time_start: `datetime(${window.start.toISOString()})`,
    Time_end: `datetime(${window.end.toISOString()})`,
  });
  const missing = WINDOW_LETS.filter((name) => !replaced.has(name));
  if (missing.length > 0) {
    throw new Error(`${rule.sourcePath}: the query must declare ${missing.map((n) => `let ${n} = ...;`).join(' and ')} so the hunter can bind its window`);
  }
  return text;
}
