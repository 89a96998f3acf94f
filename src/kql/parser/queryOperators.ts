// Query operators: what follows a `|` (where, extend, summarize, join, mv-expand, ...). Operators we
// recognise but do not run are parsed past and handed to the binder, which reports them as not supported.
import type * as A from '../ast.js';
import type { KqlType } from '../types.js';
import { ExpressionParser, PIPE_BP } from './expressions.js';

/** Kusto operators we recognise after `|` but do not run; reported by the binder as not supported. */
const KNOWN_UNSUPPORTED_OPERATORS = new Set([
  'parse', 'parse-where', 'parse-kv', 'make-series', 'evaluate', 'render', 'sample', 'sample-distinct',
  'mv-apply', 'project-reorder', 'project-smart', 'serialize', 'invoke', 'facet', 'fork', 'getschema',
  'reduce', 'scan', 'search', 'find', 'top-nested', 'top-hitters', 'partition', 'consume', 'externaldata',
  'range', 'print', 'lookup-hint', 'as-hint', 'extend-hint', 'graph-match', 'make-graph',
]);

export abstract class QueryOperatorParser extends ExpressionParser {
  protected parseQueryOperator(): A.QueryOperator {
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
  protected skipHints(): void {
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

  protected parseJoinLike(word: 'join' | 'lookup'): A.JoinOp | A.LookupOp {
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

  protected parseJoinCondition(): A.JoinCondition {
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

  protected sideColumn(side: 'left' | 'right'): A.Identifier {
    this.expectPunct('$');
    const s = this.identifier(`$${side}`);
    if (s.name !== side) throw this.error(`expected $${side}`, this.tokens[this.i - 1], 'KQL004');
    this.expectPunct('.');
    return this.identifier('a column name');
  }

  protected parseUnionArgs(): { tables: A.Expr[]; withSource?: A.Identifier; unionKind?: A.Identifier } {
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

  protected parseMvExpand(): A.MvExpandOp {
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

  protected parseSortKey(): A.SortKey {
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

  protected parseIdentifierList(): A.Identifier[] {
    const out: A.Identifier[] = [];
    for (;;) {
      out.push(this.identifier('a column name'));
      if (!this.isPunct(',')) break;
      this.next();
    }
    return out;
  }
}
