/**
 * Reads a rule YAML file once and keeps its document, so every later problem
 * (YAML syntax, a bad field, a KQL error inside `query`) can say where in the file it is.
 */
import { readFileSync } from 'node:fs';
import { isScalar, type Document, type LineCounter } from 'yaml';
import { nearestNodeOffset, parsePositioned } from '../yaml/yamlDocument.js';
import type { RuleProblem } from './ruleError.js';

export interface RuleDocument {
  readonly file: string;
  readonly text: string;
  readonly document: Document;
  readonly lines: LineCounter;
}

/** The rule file's text, or the `rule-unreadable` problem that ends its checks. */
export function readRuleText(file: string): { readonly text: string } | { readonly problem: RuleProblem } {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (error) {
    return { problem: { file, line: 1, col: 1, code: 'rule-unreadable', message: (error as Error).message } };
  }
}

export function readRuleDocument(file: string, text: string): { readonly rule: RuleDocument; readonly problems: readonly RuleProblem[] } {
  const { document, lines } = parsePositioned(text);
  const problems = document.errors.map((error) => {
    const position = lines.linePos(skipIndentation(text, error.pos[0]));
    const message = error.message.split('\n')[0] ?? error.message;
    const hint = yamlHints[error.code];
    return { file, line: position.line, col: position.col, code: `yaml-${error.code.toLowerCase().replaceAll('_', '-')}`, message: hint ? `${message}: ${hint}` : message };
  });
  return { rule: { file, text, document, lines }, problems };
}

/** What to do about the YAML errors rule authors meet most. */
const yamlHints: Readonly<Record<string, string>> = {
  BAD_INDENT: 'this key is not aligned with the keys of its mapping; a key that belongs to a list item (such as dataTypes under - connectorId) must be indented to the item\'s first key',
  TAB_AS_INDENT: 'YAML indentation must use spaces, not tabs',
  DUPLICATE_KEY: 'each key may appear once per mapping',
};

/** The parser reports some errors at the start of the line; point at the offending token instead. */
function skipIndentation(text: string, offset: number): number {
  let at = offset;
  while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
  return at < text.length && text[at] !== '\n' && text[at] !== '\r' ? at : offset;
}

/** Line and column of the value at `path` (or of the nearest parent that exists). */
export function positionOf(rule: RuleDocument, path: readonly PropertyKey[]): { line: number; col: number } {
  const offset = nearestNodeOffset(rule.document, path);
  return offset === undefined ? { line: 1, col: 1 } : rule.lines.linePos(offset);
}

/**
 * Maps a line:col inside the `query` block scalar to the YAML file. Block scalars keep
 * their lines, shifted by the header line and the content's indentation.
 */
export function mapQueryPosition(rule: RuleDocument, queryLine: number, queryCol: number): { line: number; col: number } {
  const node = rule.document.get('query', true);
  if (!isScalar(node) || !node.range) return { line: 1, col: 1 };
  const start = node.range[0];
  const isBlock = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  if (!isBlock) {
    const opening = rule.lines.linePos(start);
    const quoteWidth = node.type === 'PLAIN' ? 0 : 1;
    return queryLine === 1 ? { line: opening.line, col: opening.col + quoteWidth + queryCol - 1 } : { line: opening.line + queryLine - 1, col: queryCol };
  }
  const headerLine = rule.lines.linePos(start).line;
  const firstContentLine = headerLine + 1;
  const fileLines = rule.text.split(/\r?\n/);
  const contentLine = fileLines.slice(firstContentLine - 1).find((line) => line.trim() !== '') ?? '';
  const indent = contentLine.length - contentLine.trimStart().length;
  return { line: firstContentLine + queryLine - 1, col: indent + queryCol };
}
