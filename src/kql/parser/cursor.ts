// The parser's token cursor: look-ahead, expectations, names, and the errors it reports with their
// positions. The parser is layered by role on top of it: expressions.ts (the Pratt expression parser and
// its one binding-power table), queryOperators.ts (what follows `|`), index.ts (statements).
import type * as A from '../ast.js';
import { KqlParseError } from '../errors.js';
import { tokenize, type Token } from '../lexer.js';

export type ParseErrorCode = 'KQL003' | 'KQL004' | 'KQL005' | 'KQL006' | 'KQL007';

export abstract class TokenCursor {
  protected readonly tokens: Token[];
  protected i = 0;
  /** errors the parser stepped over */
  readonly recovered: KqlParseError[] = [];

  constructor(protected readonly text: string) {
    this.tokens = tokenize(text);
  }

  protected peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  protected next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  protected isPunct(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === text;
  }

  protected isWord(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.text === text;
  }

  protected lastEnd(): number {
    return this.tokens[Math.max(0, this.i - 1)]!.end;
  }

  protected describe(t: Token): string {
    return t.kind === 'eof' ? 'end of query' : `'${t.text}'`;
  }

  protected error(message: string, t: Token = this.peek(), code: ParseErrorCode = 'KQL003'): KqlParseError {
    return new KqlParseError(code, message, this.text, t.offset, Math.max(1, t.end - t.offset));
  }

  protected expectPunct(text: string, context?: string): Token {
    if (!this.isPunct(text)) {
      throw this.error(`expected '${text}'${context ? ' ' + context : ''} but found ${this.describe(this.peek())}`, this.peek(), 'KQL004');
    }
    return this.next();
  }

  protected expectWord(text: string): Token {
    if (!this.isWord(text)) throw this.error(`expected '${text}' but found ${this.describe(this.peek())}`, this.peek(), 'KQL004');
    return this.next();
  }

  protected identifier(what = 'a name'): A.Identifier {
    const t = this.peek();
    if (t.kind === 'ident') {
      this.next();
      return { kind: 'Identifier', name: t.text, pos: t.offset, end: t.end };
    }
    // ['column name'] quoting
    if (t.kind === 'punct' && t.text === '[' && this.peek(1).kind === 'string' && this.isPunct(']', 2)) {
      this.next();
      const s = this.next();
      const close = this.next();
      return { kind: 'Identifier', name: String(s.value), pos: t.offset, end: close.end };
    }
    throw this.error(`expected ${what} but found ${this.describe(t)}`, t, 'KQL004');
  }

  /** Skips tokens up to (not including) a `;` or `|` at nesting depth 0. */
  protected skipBalancedUntil(stops: readonly string[]): void {
    let depth = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind === 'punct') {
        if (depth === 0 && stops.includes(t.text)) return;
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        if (t.text === ')' || t.text === ']' || t.text === '}') {
          if (depth === 0) return;
          depth--;
        }
      }
      this.next();
    }
  }

  /**
   * Runs `parse`; on a syntax error, records it, skips to the next `stops` token at nesting depth 0 (or
   * the closing bracket of the enclosing group) and returns `fallback` over the skipped span, so the
   * rest of the query is still read and checked, as Kusto.Language reads it.
   */
  protected recovering<T>(stops: readonly string[], parse: () => T, fallback: (pos: number, end: number) => T): T {
    const start = this.peek().offset;
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof KqlParseError)) throw e;
      this.recovered.push(e);
      this.skipBalancedUntil(stops);
      return fallback(start, Math.max(start, this.lastEnd()));
    }
  }

  /** Reported right after the previous token, where the expression should have been (as Kusto does). */
  protected missingExpression(found: Token): KqlParseError {
    const prev = this.tokens[this.i - 1];
    const at = prev ? prev.end : found.offset;
    const after = prev ? ` after '${prev.text}'` : '';
    return new KqlParseError('KQL003', `missing expression${after} (found ${this.describe(found)})`, this.text, at, 1);
  }
}
