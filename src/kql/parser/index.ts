// Statements and the parser's entry points. The parser is layered by role: cursor.ts (tokens),
// expressions.ts (expressions and the one binding-power table), queryOperators.ts (after `|`), and the
// statements here (let, query, and the statements we recognise but do not run).
import type * as A from '../ast.js';
import type { KqlParseError } from '../errors.js';
import { PIPE_BP } from './expressions.js';
import { QueryOperatorParser } from './queryOperators.js';

export function parse(queryText: string): A.Script {
  const { script, errors } = parseWithRecovery(queryText);
  if (errors.length > 0) throw errors[0]!;
  return script;
}

/**
 * Parses and keeps going past syntax errors: a trailing comma in a list is stepped over, an operator
 * that does not parse is skipped to the next `|`, a statement to the next `;` (see TokenCursor.recovering),
 * so lint also reports what the rest of the query gets wrong. Only a lexical error still throws.
 */
export function parseWithRecovery(queryText: string): { script: A.Script; errors: KqlParseError[] } {
  const parser = new Parser(queryText);
  const script = parser.parseScript();
  return { script, errors: parser.recovered };
}

class Parser extends QueryOperatorParser {
  parseScript(): A.Script {
    const statements: A.Statement[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.isPunct(';')) {
        this.next();
        continue;
      }
      const before = this.i;
      const statement = this.recovering([';'], () => this.parseStatement(), () => undefined);
      if (statement) statements.push(statement);
      if (this.peek().kind !== 'eof' && !this.isPunct(';')) {
        // text after a complete statement (a stray `)`): one error, and the statement's rest is skipped
        this.recovered.push(this.error(`unexpected ${this.describe(this.peek())} after the end of the statement (expected ';' or the end of the query)`));
        while (this.peek().kind !== 'eof' && !this.isPunct(';')) {
          this.next();
          this.skipBalancedUntil([';']);
        }
      }
      // the loop always moves on
      if (this.i === before) this.next();
    }
    if (statements.length === 0 && this.recovered.length === 0) throw this.error('the query is empty', this.peek(), 'KQL007');
    return { kind: 'Script', statements, pos: 0, end: this.text.length };
  }

  protected parseStatement(): A.Statement {
    const t = this.peek();
    if (this.isWord('let')) return this.parseLet();
    if ((this.isWord('set') || this.isWord('declare') || this.isWord('alias') || this.isWord('restrict')) && this.peek(1).kind === 'ident') {
      this.skipBalancedUntilStatementEnd();
      return { kind: 'UnsupportedStatement', what: `'${t.text}' statements`, pos: t.offset, end: this.lastEnd() };
    }
    const expr = this.parseExpr(0);
    return { kind: 'ExprStatement', expr, pos: expr.pos, end: expr.end };
  }

  protected parseLet(): A.LetStatement {
    const letTok = this.next();
    const name = this.identifier('a name after let');
    this.expectPunct('=', `after 'let ${name.name}'`);
    // a value that does not parse still declares the name, so its uses are not reported again
    const value = this.recovering([';'], () => (this.looksLikeFunctionDefinition() ? this.parseFunctionDefinition() : this.parseExpr(0)), (pos, end): A.Expr => ({ kind: 'Error', pos, end }));
    return { kind: 'Let', name, value, valuePos: value.pos, valueEnd: value.end, pos: letTok.offset, end: value.end };
  }

  protected looksLikeFunctionDefinition(): boolean {
    if (!this.isPunct('(')) return false;
    if (this.isPunct(')', 1)) return this.isPunct('{', 2);
    return this.peek(1).kind === 'ident' && this.isPunct(':', 2);
  }

  /**
   * `(a:string, b:long = 5, T:(*), U:(Col:string)) { let x = ...; body }`: a user-defined function
   * (https://learn.microsoft.com/kusto/query/functions/user-defined-functions).
   */
  protected parseFunctionDefinition(): A.FunctionDefExpr {
    const open = this.expectPunct('(');
    const params: A.FunctionParam[] = [];
    while (!this.isPunct(')')) {
      const pname = this.identifier('a parameter name');
      this.expectPunct(':', `after parameter '${pname.name}'`);
      let param: A.FunctionParam;
      if (this.isPunct('(')) {
        const star = this.isPunct('*', 1) && this.isPunct(')', 2);
        let columns: A.ColumnDecl[] | undefined;
        if (star) {
          this.next();
          this.next();
          this.next();
        } else columns = this.parseColumnDecls();
        param = { kind: 'FunctionParam', name: pname, type: 'table', columns, pos: pname.pos, end: this.lastEnd() };
      } else {
        const type = this.typeName();
        let defaultValue: A.Expr | undefined;
        if (this.isPunct('=')) {
          this.next();
          defaultValue = this.parseExpr(PIPE_BP);
        }
        param = { kind: 'FunctionParam', name: pname, type, defaultValue, pos: pname.pos, end: this.lastEnd() };
      }
      params.push(param);
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expectPunct(')', 'to close the parameters');
    this.expectPunct('{', 'to start the function body');
    const body: A.Statement[] = [];
    while (!this.isPunct('}')) {
      if (this.isPunct(';')) {
        this.next();
        continue;
      }
      if (this.peek().kind === 'eof') throw this.error(`expected '}' to close the function body but found end of query`, this.peek(), 'KQL004');
      body.push(this.parseStatement());
    }
    const close = this.expectPunct('}');
    if (body.length === 0 || body[body.length - 1]!.kind !== 'ExprStatement') {
      throw this.error('a function body must end with an expression', close, 'KQL004');
    }
    return { kind: 'FunctionDef', params, body, pos: open.offset, end: close.end };
  }

  protected skipBalancedUntilStatementEnd(): void {
    this.skipBalancedUntil([';']);
  }
}
