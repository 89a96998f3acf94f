// Pratt parser. Every infix construct, the pipe included, has its precedence in BINDING_POWER, so
// `(T | distinct X)` inside `has_any (...)` and the predicate of `where` fall out of one rule:
// operator arguments are parsed above the pipe's binding power and stop at the next `|`.
import type * as A from './ast.js';
import { KqlParseError } from './errors.js';
import { parseDatetime, parseGuid, parseTimespan } from './literals.js';
import { tokenize, type Token } from './lexer.js';
import { kqlTypeOf, queryTypeName, type KqlType } from './types.js';

type InfixShape = 'pipe' | 'binary' | 'list' | 'between' | 'regex';

interface InfixRule {
  readonly bp: number;
  readonly shape: InfixShape;
}

const PIPE_BP = 1;
const PREFIX_BP = 70;
const POSTFIX_BP = 80;

const STRING_OPS = [
  'has', 'has_cs', 'hasprefix', 'hasprefix_cs', 'hassuffix', 'hassuffix_cs', 'contains', 'contains_cs',
  'startswith', 'startswith_cs', 'endswith', 'endswith_cs',
];

/** The single precedence table: higher binds tighter. */
const BINDING_POWER: ReadonlyMap<string, InfixRule> = new Map<string, InfixRule>([
  ['|', { bp: PIPE_BP, shape: 'pipe' }],
  ['or', { bp: 20, shape: 'binary' }],
  ['and', { bp: 30, shape: 'binary' }],
  ...['==', '!=', '<>', '<', '<=', '>', '>=', '=~', '!~'].map((op): [string, InfixRule] => [op, { bp: 40, shape: 'binary' }]),
  ...STRING_OPS.flatMap((op): [string, InfixRule][] => [
    [op, { bp: 40, shape: 'binary' }],
    ['!' + op, { bp: 40, shape: 'binary' }],
  ]),
  ...['in', '!in', 'in~', '!in~', 'has_any', 'has_all'].map((op): [string, InfixRule] => [op, { bp: 40, shape: 'list' }]),
  ['between', { bp: 40, shape: 'between' }],
  ['!between', { bp: 40, shape: 'between' }],
  ['matches', { bp: 40, shape: 'regex' }],
  ['+', { bp: 50, shape: 'binary' }],
  ['-', { bp: 50, shape: 'binary' }],
  ['*', { bp: 60, shape: 'binary' }],
  ['/', { bp: 60, shape: 'binary' }],
  ['%', { bp: 60, shape: 'binary' }],
]);

/** Kusto operators we recognise after `|` but do not run; reported by the binder as not supported. */
const KNOWN_UNSUPPORTED_OPERATORS = new Set([
  'parse', 'parse-where', 'parse-kv', 'make-series', 'evaluate', 'render', 'sample', 'sample-distinct',
  'mv-apply', 'project-reorder', 'project-smart', 'serialize', 'invoke', 'facet', 'fork', 'getschema',
  'reduce', 'scan', 'search', 'find', 'top-nested', 'top-hitters', 'partition', 'consume', 'externaldata',
  'range', 'print', 'lookup-hint', 'as-hint', 'extend-hint', 'graph-match', 'make-graph',
]);

export function parse(queryText: string): A.Script {
  const { script, errors } = parseWithRecovery(queryText);
  if (errors.length > 0) throw errors[0]!;
  return script;
}

/**
 * Parses and keeps going past errors it can step over (a trailing comma in a list), so lint can
 * also report what the rest of the query gets wrong. A fatal error still throws.
 */
export function parseWithRecovery(queryText: string): { script: A.Script; errors: KqlParseError[] } {
  const parser = new Parser(queryText);
  const script = parser.parseScript();
  return { script, errors: parser.recovered };
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  /** errors the parser stepped over */
  readonly recovered: KqlParseError[] = [];

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  // ---------- token helpers ----------

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  private isPunct(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === text;
  }
  private isWord(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.text === text;
  }
  private lastEnd(): number {
    return this.tokens[Math.max(0, this.i - 1)]!.end;
  }
  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of query' : `'${t.text}'`;
  }
  private error(message: string, t: Token = this.peek(), code: 'KQL003' | 'KQL004' | 'KQL005' | 'KQL006' | 'KQL007' = 'KQL003'): KqlParseError {
    return new KqlParseError(code, message, this.text, t.offset, Math.max(1, t.end - t.offset));
  }
  private expectPunct(text: string, context?: string): Token {
    if (!this.isPunct(text)) {
      throw this.error(`expected '${text}'${context ? ' ' + context : ''} but found ${this.describe(this.peek())}`, this.peek(), 'KQL004');
    }
    return this.next();
  }
  private expectWord(text: string): Token {
    if (!this.isWord(text)) throw this.error(`expected '${text}' but found ${this.describe(this.peek())}`, this.peek(), 'KQL004');
    return this.next();
  }
  private identifier(what = 'a name'): A.Identifier {
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

  // ---------- statements ----------

  parseScript(): A.Script {
    const statements: A.Statement[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.isPunct(';')) {
        this.next();
        continue;
      }
      statements.push(this.parseStatement());
      if (this.peek().kind !== 'eof') this.expectPunct(';', 'between statements');
    }
    if (statements.length === 0) throw this.error('the query is empty', this.peek(), 'KQL007');
    return { kind: 'Script', statements, pos: 0, end: this.text.length };
  }

  private parseStatement(): A.Statement {
    const t = this.peek();
    if (this.isWord('let')) return this.parseLet();
    if ((this.isWord('set') || this.isWord('declare') || this.isWord('alias') || this.isWord('restrict')) && this.peek(1).kind === 'ident') {
      this.skipBalancedUntilStatementEnd();
      return { kind: 'UnsupportedStatement', what: `'${t.text}' statements`, pos: t.offset, end: this.lastEnd() };
    }
    const expr = this.parseExpr(0);
    return { kind: 'ExprStatement', expr, pos: expr.pos, end: expr.end };
  }

  private parseLet(): A.LetStatement {
    const letTok = this.next();
    const name = this.identifier('a name after let');
    this.expectPunct('=', `after 'let ${name.name}'`);
    const valueTok = this.peek();
    if (this.looksLikeFunctionDefinition()) {
      this.skipBalancedUntilStatementEnd();
      const value: A.UnsupportedExpr = { kind: 'Unsupported', what: 'user-defined functions', pos: valueTok.offset, end: this.lastEnd() };
      return { kind: 'Let', name, value, valuePos: value.pos, valueEnd: value.end, pos: letTok.offset, end: value.end };
    }
    const value = this.parseExpr(0);
    return { kind: 'Let', name, value, valuePos: value.pos, valueEnd: value.end, pos: letTok.offset, end: value.end };
  }

  private looksLikeFunctionDefinition(): boolean {
    if (!this.isPunct('(')) return false;
    if (this.isPunct(')', 1)) return this.isPunct('{', 2);
    return this.peek(1).kind === 'ident' && this.isPunct(':', 2);
  }

  /** Skips tokens up to (not including) a `;` or `|` at nesting depth 0. */
  private skipBalancedUntil(stops: readonly string[]): void {
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
  private skipBalancedUntilStatementEnd(): void {
    this.skipBalancedUntil([';']);
  }

  // ---------- expressions ----------

  parseExpr(minBp: number): A.Expr {
    let left = this.parsePrefix();
    for (;;) {
      const t = this.peek();
      // postfix: member access, indexing
      if (t.kind === 'punct' && t.text === '.' && POSTFIX_BP > minBp) {
        this.next();
        const member = this.identifier('a property name');
        left = { kind: 'Member', target: left, member, pos: left.pos, end: member.end };
        continue;
      }
      if (t.kind === 'punct' && t.text === '[' && POSTFIX_BP > minBp) {
        this.next();
        const index = this.parseExpr(PIPE_BP);
        const close = this.expectPunct(']');
        left = { kind: 'Index', target: left, index, pos: left.pos, end: close.end };
        continue;
      }
      const key = t.kind === 'ident' || t.kind === 'punct' ? t.text : '';
      const rule = BINDING_POWER.get(key);
      if (!rule || rule.bp <= minBp) break;
      this.next();
      left = this.parseInfix(left, t, rule);
    }
    return left;
  }

  private parseInfix(left: A.Expr, opTok: Token, rule: InfixRule): A.Expr {
    switch (rule.shape) {
      case 'pipe': {
        const operator = this.parseQueryOperator();
        return { kind: 'Pipe', source: left, operator, pos: left.pos, end: operator.end };
      }
      case 'binary': {
        const right = this.parseExpr(rule.bp);
        return { kind: 'Binary', op: opTok.text, opPos: opTok.offset, left, right, pos: left.pos, end: right.end };
      }
      case 'regex': {
        this.expectWord('regex');
        const right = this.parseExpr(rule.bp);
        return { kind: 'Binary', op: 'matches regex', opPos: opTok.offset, left, right, pos: left.pos, end: right.end };
      }
      case 'between': {
        this.expectPunct('(', `after '${opTok.text}'`);
        const low = this.parseExpr(PIPE_BP);
        this.expectPunct('..', 'in between (low .. high)');
        const high = this.parseExpr(PIPE_BP);
        const close = this.expectPunct(')');
        return { kind: 'Between', negated: opTok.text === '!between', operand: left, low, high, pos: left.pos, end: close.end };
      }
      case 'list': {
        this.expectPunct('(', `after '${opTok.text}'`);
        const items: A.Expr[] = [];
        if (!this.isPunct(')')) {
          for (;;) {
            items.push(this.parseExpr(0));
            if (!this.isPunct(',')) break;
            this.next();
            if (this.isPunct(')')) {
              // `('a', 'b',)`: Kusto rejects the trailing comma; note it and read on
              this.recovered.push(this.missingExpression(this.peek()));
              break;
            }
          }
        }
        const close = this.expectPunct(')', `to close the list of '${opTok.text}'`);
        return { kind: 'ListOp', op: opTok.text, opPos: opTok.offset, operand: left, items, pos: left.pos, end: close.end };
      }
    }
  }

  private parsePrefix(): A.Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'string': {
        // adjacent string literals concatenate
        let value = '';
        let end = t.end;
        while (this.peek().kind === 'string') {
          const s = this.next();
          value += String(s.value);
          end = s.end;
        }
        return { kind: 'Literal', type: 'string', value, pos: t.offset, end };
      }
      case 'long':
        this.next();
        return { kind: 'Literal', type: 'long', value: t.value, pos: t.offset, end: t.end };
      case 'real':
        this.next();
        return { kind: 'Literal', type: 'real', value: t.value, pos: t.offset, end: t.end };
      case 'timespan':
        this.next();
        return { kind: 'Literal', type: 'timespan', value: t.value, pos: t.offset, end: t.end };
      case 'typed':
        this.next();
        return this.typedLiteral(t);
      case 'punct':
        return this.parsePunctPrefix(t);
      case 'ident':
        return this.parseIdentPrefix(t);
      case 'eof':
        throw this.missingExpression(t);
    }
  }

  private parsePunctPrefix(t: Token): A.Expr {
    if (t.text === '(') {
      this.next();
      const inner = this.parseExpr(0);
      const close = this.expectPunct(')');
      // keep the parentheses in the node span so errors point at the whole group
      return { ...inner, pos: t.offset, end: close.end } as A.Expr;
    }
    if (t.text === '-' || t.text === '+') {
      this.next();
      const operand = this.parseExpr(PREFIX_BP);
      if (operand.kind === 'Literal' && typeof operand.value === 'number' && t.text === '-') {
        return { ...operand, value: -operand.value, pos: t.offset };
      }
      return { kind: 'Unary', op: t.text, operand, pos: t.offset, end: operand.end };
    }
    if (t.text === '*' && (this.isPunct(')', 1) || this.isPunct(',', 1))) {
      // `*` as an argument: arg_max(Timestamp, *)
      this.next();
      return { kind: 'NameRef', name: '*', pos: t.offset, end: t.end };
    }
    if (t.text === '[' && this.peek(1).kind === 'string' && this.isPunct(']', 2)) {
      const id = this.identifier();
      return { kind: 'NameRef', name: id.name, pos: id.pos, end: id.end };
    }
    throw this.missingExpression(t);
  }

  /** Reported right after the previous token, where the expression should have been (as Kusto does). */
  private missingExpression(found: Token): KqlParseError {
    const prev = this.tokens[this.i - 1];
    const at = prev ? prev.end : found.offset;
    const after = prev ? ` after '${prev.text}'` : '';
    return new KqlParseError('KQL003', `missing expression${after} (found ${this.describe(found)})`, this.text, at, 1);
  }

  private parseIdentPrefix(t: Token): A.Expr {
    const word = t.text;
    if (word === 'true' || word === 'false') {
      this.next();
      return { kind: 'Literal', type: 'bool', value: word === 'true', pos: t.offset, end: t.end };
    }
    if (word === 'datatable' && this.isPunct('(', 1)) return this.parseDatatable();
    if (word === 'dynamic' && this.isPunct('(', 1)) return this.parseDynamic();
    if (word === 'union') {
      this.next();
      const { tables, withSource, unionKind } = this.parseUnionArgs();
      return { kind: 'Union', tables, withSource, unionKind, pos: t.offset, end: this.lastEnd() };
    }
    if (word === 'print') {
      this.next();
      const columns = this.parseAssignmentList();
      return { kind: 'Print', columns, pos: t.offset, end: this.lastEnd() };
    }
    if ((word === 'range' || word === 'externaldata' || word === 'find' || word === 'search' || word === 'evaluate') && this.peek(1).kind === 'ident') {
      this.next();
      this.skipBalancedUntil(['|', ';']);
      return { kind: 'Unsupported', what: `the '${word}' operator`, pos: t.offset, end: this.lastEnd() };
    }
    this.next();
    const name: A.Identifier = { kind: 'Identifier', name: word, pos: t.offset, end: t.end };
    if (this.isPunct('(')) {
      this.next();
      const args: A.Expr[] = [];
      if (!this.isPunct(')')) {
        for (;;) {
          args.push(this.parseExpr(0));
          if (!this.isPunct(',')) break;
          this.next();
        }
      }
      const close = this.expectPunct(')', `to close the call of '${word}'`);
      return { kind: 'Call', name, args, pos: t.offset, end: close.end };
    }
    return { kind: 'NameRef', name: word, pos: t.offset, end: t.end };
  }

  private typedLiteral(t: Token): A.Literal {
    const body = String(t.value);
    const type = kqlTypeOf(t.typeName!)!;
    const make = (value: unknown): A.Literal => ({ kind: 'Literal', type, value, pos: t.offset, end: t.end });
    if (body === 'null') return make(null);
    let value: unknown;
    switch (type) {
      case 'datetime': value = parseDatetime(body); break;
      case 'timespan': value = parseTimespan(body); break;
      case 'guid': value = parseGuid(body); break;
      case 'bool': value = body === 'true' ? true : body === 'false' ? false : undefined; break;
      case 'long': case 'int': value = /^[+-]?\d+$/.test(body) ? Number(body) : undefined; break;
      case 'real': case 'decimal':
        value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body) ? Number(body)
          : body === 'nan' ? NaN : body === '+inf' ? Infinity : body === '-inf' ? -Infinity : undefined;
        break;
      default: value = undefined;
    }
    if (value === undefined) throw this.error(`invalid ${t.typeName} literal '${body}'`, t, 'KQL005');
    return make(value);
  }

  private parseDatatable(): A.DatatableExpr {
    const start = this.next();
    this.expectPunct('(');
    const columns: A.ColumnDecl[] = [];
    for (;;) {
      const name = this.identifier('a column name');
      this.expectPunct(':', `after column '${name.name}'`);
      const typeTok = this.peek();
      const type = this.typeName();
      columns.push({ kind: 'ColumnDecl', name, type, pos: name.pos, end: typeTok.end });
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expectPunct(')');
    this.expectPunct('[', 'to start the datatable values');
    const values: A.Expr[] = [];
    while (!this.isPunct(']')) {
      values.push(this.parseExpr(PIPE_BP));
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      if (!this.isPunct(']')) throw this.error(`expected ',' or ']' in datatable values but found ${this.describe(this.peek())}`, this.peek(), 'KQL004');
    }
    const close = this.next();
    return { kind: 'Datatable', columns, values, pos: start.offset, end: close.end };
  }

  private typeName(): KqlType {
    const t = this.peek();
    // `datetime` etc. may have been lexed as a typed literal only when followed by `(`; here they are plain words
    if (t.kind !== 'ident') throw this.error(`expected a type name but found ${this.describe(t)}`, t, 'KQL004');
    const type = queryTypeName(t.text);
    if (!type) throw this.error(`unknown type '${t.text}'`, t, 'KQL005');
    this.next();
    return type;
  }

  private parseDynamic(): A.DynamicLiteral {
    const start = this.next();
    this.expectPunct('(');
    const value = this.parseJsonValue();
    const close = this.expectPunct(')', 'to close dynamic(...)');
    return { kind: 'DynamicLiteral', value, pos: start.offset, end: close.end };
  }

  private parseJsonValue(): unknown {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '[') {
      this.next();
      const items: unknown[] = [];
      while (!this.isPunct(']')) {
        items.push(this.parseJsonValue());
        if (!this.isPunct(',')) break;
        this.next();
      }
      this.expectPunct(']');
      return items;
    }
    if (t.kind === 'punct' && t.text === '{') {
      this.next();
      const obj: Record<string, unknown> = {};
      while (!this.isPunct('}')) {
        const key = this.next();
        if (key.kind !== 'string' && key.kind !== 'ident') throw this.error('expected a property name in dynamic literal', key, 'KQL005');
        this.expectPunct(':');
        obj[key.kind === 'string' ? String(key.value) : key.text] = this.parseJsonValue();
        if (!this.isPunct(',')) break;
        this.next();
      }
      this.expectPunct('}');
      return obj;
    }
    if (t.kind === 'ident' && (t.text === 'null' || t.text === 'true' || t.text === 'false')) {
      this.next();
      return t.text === 'null' ? null : t.text === 'true';
    }
    if (t.kind === 'punct' && t.text === '-' && (this.peek(1).kind === 'long' || this.peek(1).kind === 'real')) {
      this.next();
      return -Number(this.next().value);
    }
    if (t.kind === 'string' || t.kind === 'long' || t.kind === 'real' || t.kind === 'timespan') {
      this.next();
      return t.value;
    }
    if (t.kind === 'typed') {
      this.next();
      const lit = this.typedLiteral(t);
      return lit.type === 'datetime' && typeof lit.value === 'number' ? new Date(lit.value).toISOString() : lit.value;
    }
    throw this.error(`unexpected ${this.describe(t)} in dynamic literal`, t, 'KQL005');
  }

  // ---------- query operators ----------

  private parseQueryOperator(): A.QueryOperator {
    const t = this.peek();
    if (t.kind !== 'ident') throw this.error(`expected a query operator after '|' but found ${this.describe(t)}`, t, 'KQL006');
    const word = t.text;
    const pos = t.offset;
    const done = <T extends A.QueryOperator>(op: Omit<T, 'pos' | 'end'>): T => ({ ...op, pos, end: this.lastEnd() }) as T;
    switch (word) {
      case 'where':
      case 'filter': {
        this.next();
        const predicate = this.parseExpr(PIPE_BP);
        return done<A.WhereOp>({ kind: 'Where', predicate });
      }
      case 'extend':
        this.next();
        return done<A.ExtendOp>({ kind: 'Extend', columns: this.parseAssignmentList() });
      case 'project':
        this.next();
        return done<A.ProjectOp>({ kind: 'Project', columns: this.parseAssignmentList() });
      case 'project-away':
        this.next();
        return done<A.ProjectAwayOp>({ kind: 'ProjectAway', columns: this.parseIdentifierList() });
      case 'project-keep':
        this.next();
        return done<A.ProjectKeepOp>({ kind: 'ProjectKeep', columns: this.parseIdentifierList() });
      case 'project-rename': {
        this.next();
        const renames: { newName: A.Identifier; oldName: A.Identifier }[] = [];
        for (;;) {
          const newName = this.identifier('a new column name');
          this.expectPunct('=', 'in project-rename');
          const oldName = this.identifier('an existing column name');
          renames.push({ newName, oldName });
          if (!this.isPunct(',')) break;
          this.next();
        }
        return done<A.ProjectRenameOp>({ kind: 'ProjectRename', renames });
      }
      case 'summarize': {
        this.next();
        this.skipHints();
        const aggregates = this.isWord('by') ? [] : this.parseAssignmentList();
        let by: A.Assignment[] = [];
        if (this.isWord('by')) {
          this.next();
          by = this.parseAssignmentList();
        }
        return done<A.SummarizeOp>({ kind: 'Summarize', aggregates, by });
      }
      case 'distinct': {
        this.next();
        if (this.isPunct('*')) {
          this.next();
          return done<A.DistinctOp>({ kind: 'Distinct', columns: [], star: true });
        }
        const columns: A.Expr[] = [];
        for (;;) {
          columns.push(this.parseExpr(PIPE_BP));
          if (!this.isPunct(',')) break;
          this.next();
        }
        return done<A.DistinctOp>({ kind: 'Distinct', columns, star: false });
      }
      case 'count':
        this.next();
        return done<A.CountOp>({ kind: 'Count' });
      case 'take':
      case 'limit': {
        this.next();
        const count = this.parseExpr(PIPE_BP);
        return done<A.TakeOp>({ kind: 'Take', count });
      }
      case 'top': {
        this.next();
        const count = this.parseExpr(PIPE_BP);
        this.expectWord('by');
        const key = this.parseSortKey();
        return done<A.TopOp>({ kind: 'Top', count, key });
      }
      case 'sort':
      case 'order': {
        this.next();
        this.expectWord('by');
        const keys: A.SortKey[] = [];
        for (;;) {
          keys.push(this.parseSortKey());
          if (!this.isPunct(',')) break;
          this.next();
        }
        return done<A.SortOp>({ kind: 'Sort', keys });
      }
      case 'join':
      case 'lookup':
        return this.parseJoinLike(word);
      case 'union': {
        this.next();
        const { tables, withSource, unionKind } = this.parseUnionArgs();
        return done<A.UnionOp>({ kind: 'UnionOp', tables, withSource, unionKind });
      }
      case 'mv-expand':
        return this.parseMvExpand();
      case 'as': {
        this.next();
        this.skipHints();
        const name = this.identifier('a name after as');
        return done<A.AsOp>({ kind: 'As', name });
      }
      default: {
        if (KNOWN_UNSUPPORTED_OPERATORS.has(word)) {
          this.next();
          this.skipBalancedUntil(['|', ';']);
          return done<A.UnsupportedOp>({ kind: 'UnsupportedOp', what: `the '${word}' operator` });
        }
        throw this.error(`unknown query operator '${word}'`, t, 'KQL006');
      }
    }
  }

  /** Skips `name=value` query hints (hint.strategy=shuffle, kind=..., isfuzzy=true). */
  private skipHints(): void {
    while (this.peek().kind === 'ident' && (this.isPunct('=', 1) || (this.isPunct('.', 1) && this.peek(2).kind === 'ident' && this.isPunct('=', 3)))) {
      const first = this.peek().text;
      if (first !== 'hint' && first !== 'kind' && first !== 'isfuzzy' && first !== 'bagexpansion' && first !== 'with_itemindex') return;
      this.next();
      if (this.isPunct('.')) {
        this.next();
        this.next();
      }
      this.next(); // '='
      this.next(); // value
    }
  }

  private parseJoinLike(word: 'join' | 'lookup'): A.JoinOp | A.LookupOp {
    const start = this.next();
    let joinKind = word === 'join' ? 'innerunique' : 'leftouter';
    let kindPos = start.offset;
    while (this.peek().kind === 'ident' && (this.isPunct('=', 1) || this.isPunct('.', 1))) {
      const key = this.next();
      if (this.isPunct('.')) {
        this.next();
        this.next();
        this.expectPunct('=');
        this.next();
        continue;
      }
      this.expectPunct('=');
      const value = this.next();
      if (key.text === 'kind') {
        joinKind = value.text;
        kindPos = value.offset;
      }
    }
    const right = this.parseExpr(PIPE_BP);
    this.expectWord('on');
    const on: A.JoinCondition[] = [];
    for (;;) {
      on.push(this.parseJoinCondition());
      if (!this.isPunct(',')) break;
      this.next();
    }
    const node = { joinKind, kindPos, right, on, pos: start.offset, end: this.lastEnd() };
    return word === 'join' ? { kind: 'Join', ...node } : { kind: 'Lookup', ...node };
  }

  private parseJoinCondition(): A.JoinCondition {
    const start = this.peek();
    if (this.isPunct('$')) {
      const left = this.sideColumn('left');
      this.expectPunct('==', 'between $left and $right columns');
      const right = this.sideColumn('right');
      return { kind: 'JoinCondition', left, right, pos: start.offset, end: right.end };
    }
    const col = this.identifier('a join column');
    return { kind: 'JoinCondition', left: col, right: col, pos: col.pos, end: col.end };
  }

  private sideColumn(side: 'left' | 'right'): A.Identifier {
    this.expectPunct('$');
    const s = this.identifier(`$${side}`);
    if (s.name !== side) throw this.error(`expected $${side}`, this.tokens[this.i - 1], 'KQL004');
    this.expectPunct('.');
    return this.identifier('a column name');
  }

  private parseUnionArgs(): { tables: A.Expr[]; withSource?: A.Identifier; unionKind?: A.Identifier } {
    let withSource: A.Identifier | undefined;
    let unionKind: A.Identifier | undefined;
    while (this.peek().kind === 'ident' && this.isPunct('=', 1)) {
      const key = this.next();
      this.next();
      const value = this.identifier();
      if (key.text === 'withsource') withSource = value;
      if (key.text === 'kind') unionKind = value;
    }
    const tables: A.Expr[] = [];
    for (;;) {
      tables.push(this.parseExpr(PIPE_BP));
      if (!this.isPunct(',')) break;
      this.next();
    }
    return { tables, withSource, unionKind };
  }

  private parseMvExpand(): A.MvExpandOp {
    const start = this.next();
    this.skipHints();
    const columns: { assignment: A.Assignment; toType?: KqlType }[] = [];
    for (;;) {
      const assignment = this.parseAssignment();
      let toType: KqlType | undefined;
      if (this.isWord('to') && this.isWord('typeof', 1)) {
        this.next();
        this.next();
        this.expectPunct('(');
        toType = this.typeName();
        this.expectPunct(')');
      }
      columns.push({ assignment, toType });
      if (!this.isPunct(',')) break;
      this.next();
    }
    let limit: A.Expr | undefined;
    if (this.isWord('limit')) {
      this.next();
      limit = this.parseExpr(PIPE_BP);
    }
    return { kind: 'MvExpand', columns, limit, pos: start.offset, end: this.lastEnd() };
  }

  private parseSortKey(): A.SortKey {
    const expr = this.parseExpr(PIPE_BP);
    let descending = true; // Kusto sorts descending by default
    let nullsFirst: boolean | undefined;
    if (this.isWord('asc') || this.isWord('desc')) descending = this.next().text === 'desc';
    if (this.isWord('nulls')) {
      this.next();
      if (this.isWord('first') || this.isWord('last')) nullsFirst = this.next().text === 'first';
      else throw this.error(`expected 'first' or 'last' after 'nulls'`, this.peek(), 'KQL004');
    }
    return { kind: 'SortKey', expr, descending, nullsFirst, pos: expr.pos, end: this.lastEnd() };
  }

  private parseIdentifierList(): A.Identifier[] {
    const out: A.Identifier[] = [];
    for (;;) {
      out.push(this.identifier('a column name'));
      if (!this.isPunct(',')) break;
      this.next();
    }
    return out;
  }

  private parseAssignmentList(): A.Assignment[] {
    const out: A.Assignment[] = [];
    for (;;) {
      out.push(this.parseAssignment());
      if (!this.isPunct(',')) break;
      this.next();
    }
    return out;
  }

  private parseAssignment(): A.Assignment {
    const t = this.peek();
    const bracketName = t.kind === 'punct' && t.text === '[' && this.peek(1).kind === 'string' && this.isPunct(']', 2) && this.isPunct('=', 3);
    if ((t.kind === 'ident' && this.isPunct('=', 1)) || bracketName) {
      const name = this.identifier();
      this.next(); // '='
      const expr = this.parseExpr(PIPE_BP);
      return { kind: 'Assignment', name, expr, pos: name.pos, end: expr.end };
    }
    const expr = this.parseExpr(PIPE_BP);
    return { kind: 'Assignment', expr, pos: expr.pos, end: expr.end };
  }
}
