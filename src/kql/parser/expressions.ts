// Expressions: a Pratt parser. Every infix construct, the pipe included, has its precedence in
// BINDING_POWER, so `(T | distinct X)` inside `has_any (...)` and the predicate of `where` fall out of one
// rule: operator arguments are parsed above the pipe's binding power and stop at the next `|`. What
// follows a `|` is parsed by the query-operator layer (queryOperators.ts).
import type * as A from '../ast.js';
import { parseDatetime, parseGuid, parseTimespan } from '../literals.js';
import type { Token } from '../lexer.js';
import { kqlTypeOf, queryTypeName, type KqlType } from '../types.js';
import { TokenCursor } from './cursor.js';
import { toDynamicValue } from '../values.js';

type InfixShape = 'pipe' | 'binary' | 'list' | 'between' | 'regex';

interface InfixRule {
  readonly bp: number;
  readonly shape: InfixShape;
}

export const PIPE_BP = 1;
/** Comparisons and list operators (`in`): an operand parsed above it stops before them. */
export const COMPARISON_BP = 40;
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

/** Tabular sources Kusto has and the engine does not run (keywords, so never a column or let name). */
const UNSUPPORTED_SOURCES: ReadonlySet<string> = new Set(['range', 'externaldata', 'find', 'search', 'evaluate']);

export abstract class ExpressionParser extends TokenCursor {
  /** The operator after a `|` (queryOperators.ts). */
  protected abstract parseQueryOperator(): A.QueryOperator;
  /** The arguments of `union`, which is both a source and an operator (queryOperators.ts). */
  protected abstract parseUnionArgs(): { tables: A.Expr[]; withSource?: A.Identifier; unionKind?: A.Identifier };

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

  protected parseInfix(left: A.Expr, opTok: Token, rule: InfixRule): A.Expr {
    switch (rule.shape) {
      case 'pipe': {
        const operator = this.recovering(['|', ';'], () => this.parseQueryOperator(), (pos, end): A.QueryOperator => ({ kind: 'ErrorOp', pos, end }));
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

  protected parsePrefix(): A.Expr {
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

  protected parsePunctPrefix(t: Token): A.Expr {
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
    if (t.text === '*' && this.peek(1).kind === 'ident') {
      // `* has "x"`: a predicate over every column, recognised and refused by the binder
      this.next();
      return { kind: 'Unsupported', what: "'*' as an operand (a predicate over every column, * has ...)", pos: t.offset, end: t.end };
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

  protected parseIdentPrefix(t: Token): A.Expr {
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
    if (word === 'externaldata' && this.isPunct('(', 1)) return this.parseExternalData();
    // (`range(` is the range() function, not the range operator)
    if (UNSUPPORTED_SOURCES.has(word) && !this.isPunct('=', 1) && !this.isPunct('.', 1) && !(word === 'range' && this.isPunct('(', 1))) {
      // recognised and skipped to the next `|` or `;`, so the binder reports it as not supported (not a syntax error)
      this.next();
      this.skipBalancedUntil(['|', ';']);
      return { kind: 'Unsupported', what: `the '${word}' operator`, pos: t.offset, end: this.lastEnd() };
    }
    if (word === 'typeof' && this.isPunct('(', 1) && this.peek(2).kind === 'ident' && this.isPunct(')', 3)) {
      this.next();
      this.next();
      const type = this.typeName();
      const close = this.expectPunct(')', 'to close typeof(...)');
      return { kind: 'TypeOf', type, pos: t.offset, end: close.end };
    }
    this.next();
    const name: A.Identifier = { kind: 'Identifier', name: word, pos: t.offset, end: t.end };
    if (this.isPunct('(')) {
      this.next();
      const args: A.Expr[] = [];
      if (!this.isPunct(')')) {
        for (;;) {
          args.push(this.parseArgument());
          if (!this.isPunct(',')) break;
          this.next();
        }
      }
      const close = this.expectPunct(')', `to close the call of '${word}'`);
      return { kind: 'Call', name, args, pos: t.offset, end: close.end };
    }
    return { kind: 'NameRef', name: word, pos: t.offset, end: t.end };
  }

  protected typedLiteral(t: Token): A.Literal {
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

  /** A call argument: an expression, or `name = expression` (a named argument). */
  protected parseArgument(): A.Expr {
    if (this.peek().kind === 'ident' && this.isPunct('=', 1)) {
      const name = this.identifier();
      this.next();
      const value = this.parseExpr(0);
      return { kind: 'NamedArg', name, value, pos: name.pos, end: value.end };
    }
    return this.parseExpr(0);
  }

  /** `(Name:type, ...)`: the columns of datatable, externaldata or a tabular parameter. */
  protected parseColumnDecls(): A.ColumnDecl[] {
    return this.parseSchema(false).columns;
  }

  /** `(Name:type, ...)`, or with `allowStar` a plugin's output schema `(*, Name:type, ...)` that keeps the input's columns. */
  protected parseSchema(allowStar: boolean): { star: boolean; columns: A.ColumnDecl[] } {
    this.expectPunct('(');
    let star = false;
    if (allowStar && this.isPunct('*')) {
      this.next();
      star = true;
      if (this.isPunct(',')) this.next();
    }
    const columns: A.ColumnDecl[] = [];
    while (!(star && this.isPunct(')'))) {
      const name = this.identifier('a column name');
      this.expectPunct(':', `after column '${name.name}'`);
      const typeTok = this.peek();
      const type = this.typeName();
      columns.push({ kind: 'ColumnDecl', name, type, pos: name.pos, end: typeTok.end });
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expectPunct(')');
    return { star, columns };
  }

  /** `externaldata (cols) [url, ...] [with (name = value, ...)]` (https://learn.microsoft.com/kusto/query/externaldata-operator) */
  protected parseExternalData(): A.ExternalDataExpr {
    const start = this.next();
    const columns = this.parseColumnDecls();
    this.expectPunct('[', 'to start the externaldata URLs');
    const urls: A.Expr[] = [];
    for (;;) {
      urls.push(this.parseExpr(PIPE_BP));
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expectPunct(']', 'to close the externaldata URLs');
    const properties: A.Property[] = [];
    if (this.isWord('with')) {
      this.next();
      this.expectPunct('(', `after 'with'`);
      while (!this.isPunct(')')) {
        const name = this.identifier('a property name');
        this.expectPunct('=', `after '${name.name}'`);
        const value = this.parseExpr(PIPE_BP);
        properties.push({ kind: 'Property', name, value, pos: name.pos, end: value.end });
        if (!this.isPunct(',')) break;
        this.next();
      }
      this.expectPunct(')', 'to close the externaldata properties');
    }
    return { kind: 'ExternalData', columns, urls, properties, pos: start.offset, end: this.lastEnd() };
  }

  protected parseDatatable(): A.DatatableExpr {
    const start = this.next();
    const columns = this.parseColumnDecls();
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

  protected typeName(): KqlType {
    const t = this.peek();
    // `datetime` etc. may have been lexed as a typed literal only when followed by `(`; here they are plain words
    if (t.kind !== 'ident') throw this.error(`expected a type name but found ${this.describe(t)}`, t, 'KQL004');
    const type = queryTypeName(t.text);
    if (!type) throw this.error(`unknown type '${t.text}'`, t, 'KQL005');
    this.next();
    return type;
  }

  protected parseDynamic(): A.DynamicLiteral {
    const start = this.next();
    this.expectPunct('(');
    const value = this.parseJsonValue();
    const close = this.expectPunct(')', 'to close dynamic(...)');
    return { kind: 'DynamicLiteral', value, pos: start.offset, end: close.end };
  }

  protected parseJsonValue(): unknown {
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
    if (t.kind === 'string' || t.kind === 'long' || t.kind === 'real') {
      this.next();
      return t.value;
    }
    // a datetime or timespan literal is held as its Kusto text, as Kusto serialises it in a dynamic value
    // (https://learn.microsoft.com/kusto/query/scalar-data-types/dynamic)
    if (t.kind === 'timespan') {
      this.next();
      return toDynamicValue(t.value, 'timespan');
    }
    if (t.kind === 'typed') {
      this.next();
      const lit = this.typedLiteral(t);
      return toDynamicValue(lit.value, lit.type);
    }
    throw this.error(`unexpected ${this.describe(t)} in dynamic literal`, t, 'KQL005');
  }

  protected parseAssignmentList(): A.Assignment[] {
    const out: A.Assignment[] = [];
    for (;;) {
      out.push(this.parseAssignment());
      if (!this.isPunct(',')) break;
      this.next();
    }
    return out;
  }

  protected parseAssignment(): A.Assignment {
    const t = this.peek();
    const tupleEnd = this.tupleTargetEnd();
    if (tupleEnd !== undefined) {
      // `(a, b) = f(...)` names the several columns a function returns: recognised, refused by the binder
      while (this.i < tupleEnd) this.next();
      const expr = this.parseExpr(PIPE_BP);
      return {
        kind: 'Assignment',
        expr: { kind: 'Unsupported', what: 'assigning several columns at once ((a, b) = ...)', pos: t.offset, end: expr.end },
        pos: t.offset,
        end: expr.end,
      };
    }
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

  /** At `(name, name, ...) =`: the token index just after the `=`; otherwise undefined. */
  private tupleTargetEnd(): number | undefined {
    if (!this.isPunct('(') || this.peek(1).kind !== 'ident' || !this.isPunct(',', 2)) return undefined;
    let k = 1;
    while (this.peek(k).kind === 'ident' && this.isPunct(',', k + 1)) k += 2;
    if (this.peek(k).kind !== 'ident' || !this.isPunct(')', k + 1) || !this.isPunct('=', k + 2)) return undefined;
    return this.i + k + 3;
  }
}
