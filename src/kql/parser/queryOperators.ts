// Query operators: what follows a `|` (where, extend, summarize, join, mv-expand, ...). Operators we
// recognise but do not run are parsed past and handed to the binder, which reports them as not supported.
import type * as A from '../ast.js';
import { KqlParseError } from '../errors.js';
import type { KqlType } from '../types.js';
import { COMPARISON_BP, ExpressionParser, PIPE_BP } from './expressions.js';

/** Kusto operators we recognise after `|` but do not run; reported by the binder as not supported. */
const KNOWN_UNSUPPORTED_OPERATORS = new Set([
  'parse-kv', 'sample', 'sample-distinct', 'project-smart', 'facet', 'fork', 'getschema',
  'reduce', 'scan', 'search', 'find', 'top-nested', 'top-hitters', 'partition', 'consume', 'externaldata',
  'range', 'print', 'lookup-hint', 'as-hint', 'extend-hint', 'graph-match', 'make-graph',
]);

const REORDER_ORDERS = new Set(['asc', 'desc', 'granny-asc', 'granny-desc']);

export abstract class QueryOperatorParser extends ExpressionParser {
  protected parseQueryOperator(): A.QueryOperator {
    const t = this.peek();
    if (t.kind !== 'ident') {
      // reported right after the `|`, where the operator is missing (as Kusto.Language reports it)
      const pipe = this.tokens[this.i - 1]!;
      throw new KqlParseError('KQL006', `expected a query operator after '|' but found ${this.describe(t)}`, this.text, pipe.end, 1);
    }
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
        return done<A.ProjectAwayOp>({ kind: 'ProjectAway', columns: this.parseColumnPatternList() });
      case 'project-keep':
        this.next();
        return done<A.ProjectKeepOp>({ kind: 'ProjectKeep', columns: this.parseColumnPatternList() });
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
      case 'mvexpand': // the legacy spelling (https://learn.microsoft.com/kusto/query/mv-expand-operator#legacy-syntax)
        return this.parseMvExpand();
      case 'mv-apply':
        return this.parseMvApply();
      case 'project-reorder': {
        this.next();
        const columns: A.ProjectReorderOp['columns'][number][] = [];
        for (;;) {
          const pattern = this.columnPattern();
          let order: A.ProjectReorderOp['columns'][number]['order'];
          // granny-asc / granny-desc are lexed as granny - asc
          if (this.isWord('granny') && this.isPunct('-', 1) && (this.isWord('asc', 2) || this.isWord('desc', 2))) {
            this.next();
            this.next();
            order = `granny-${this.next().text}` as 'granny-asc' | 'granny-desc';
          } else if (this.peek().kind === 'ident' && REORDER_ORDERS.has(this.peek().text)) {
            order = this.next().text as 'asc' | 'desc';
          }
          columns.push({ pattern, order });
          if (!this.isPunct(',')) break;
          this.next();
        }
        return done<A.ProjectReorderOp>({ kind: 'ProjectReorder', columns });
      }
      case 'render': {
        this.next();
        const chart = this.identifier('a visualization (timechart, table, ...)');
        // `with (title='...', ...)` and the legacy `kind=...` properties only describe the chart
        this.skipBalancedUntil(['|', ';']);
        return done<A.RenderOp>({ kind: 'Render', chart });
      }
      case 'serialize':
        this.next();
        return done<A.SerializeOp>({ kind: 'Serialize', columns: this.peek().kind === 'eof' || this.isPunct('|') || this.isPunct(';') || this.isPunct(')') ? [] : this.parseAssignmentList() });
      case 'parse':
      case 'parse-where':
        return this.parseParse(word === 'parse-where');
      case 'make-series':
        return this.parseMakeSeries();
      case 'invoke': {
        this.next();
        const call = this.parseExpr(PIPE_BP);
        if (call.kind !== 'Call') throw this.error(`expected a function call after 'invoke'`, this.tokens[this.i - 1], 'KQL004');
        return done<A.InvokeOp>({ kind: 'Invoke', call });
      }
      case 'evaluate': {
        this.next();
        this.skipHints();
        const plugin = this.parseExpr(PIPE_BP);
        if (plugin.kind !== 'Call') throw this.error(`expected a plugin call after 'evaluate'`, this.tokens[this.i - 1], 'KQL004');
        let schema: A.EvaluateOp['schema'];
        if (this.isPunct(':')) {
          this.next();
          schema = this.parseSchema(true);
        }
        return done<A.EvaluateOp>({ kind: 'Evaluate', plugin, schema });
      }
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

  /** `Name = Expr [to typeof(T)], ...`: the columns of mv-expand and mv-apply. */
  protected parseExpandColumns(): { assignment: A.Assignment; toType?: KqlType }[] {
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
    return columns;
  }

  /** mv-expand [kind=bag|array | bagexpansion=bag|array] [with_itemindex=Name] Column [to typeof(T)], ... [limit N] */
  protected parseMvExpand(): A.MvExpandOp {
    const start = this.next();
    let expandKind: A.Identifier | undefined;
    let itemIndex: A.Identifier | undefined;
    while (this.peek().kind === 'ident' && this.isPunct('=', 1) && ['kind', 'bagexpansion', 'with_itemindex'].includes(this.peek().text)) {
      const key = this.next().text;
      this.next();
      const value = this.identifier(key === 'with_itemindex' ? 'a column name' : "'bag' or 'array'");
      if (key === 'with_itemindex') itemIndex = value;
      else expandKind = value;
    }
    const columns = this.parseExpandColumns();
    let limit: A.Expr | undefined;
    if (this.isWord('limit')) {
      this.next();
      limit = this.parseExpr(PIPE_BP);
    }
    return { kind: 'MvExpand', expandKind, itemIndex, columns, limit, pos: start.offset, end: this.lastEnd() };
  }

  /** A column name or wildcard pattern: `Name`, `Device*`, `*Id`, `*` (adjacent tokens, no spaces). */
  protected columnPattern(): A.Identifier {
    const first = this.peek();
    let text = '';
    let end = first.offset;
    while ((this.peek().kind === 'ident' || this.isPunct('*')) && (text === '' || this.peek().offset === end)) {
      const t = this.next();
      text += t.text;
      end = t.end;
    }
    if (text === '') return this.identifier('a column name or pattern');
    return { kind: 'Identifier', name: text, pos: first.offset, end };
  }

  /** `parse [kind=K [flags=F]] Expr with [*] "text" Column[:type] ...` (https://learn.microsoft.com/kusto/query/parse-operator) */
  protected parseParse(filter: boolean): A.ParseOp {
    const start = this.next();
    let parseKind: A.Identifier | undefined;
    let flags: A.Identifier | undefined;
    while ((this.isWord('kind') || this.isWord('flags')) && this.isPunct('=', 1)) {
      const key = this.next().text;
      this.next();
      const value = this.identifier(`a ${key} value`);
      if (key === 'kind') parseKind = value;
      else flags = value;
    }
    const source = this.parseExpr(PIPE_BP);
    this.expectWord('with');
    const parts: A.ParsePatternPart[] = [];
    while (!(this.peek().kind === 'eof' || this.isPunct('|') || this.isPunct(';') || this.isPunct(')'))) {
      const t = this.peek();
      if (this.isPunct('*')) {
        this.next();
        parts.push({ kind: 'skip', pos: t.offset, end: t.end });
      } else if (t.kind === 'string') {
        let text = '';
        while (this.peek().kind === 'string') text += String(this.next().value);
        parts.push({ kind: 'text', text, pos: t.offset, end: this.lastEnd() });
      } else if (t.kind === 'ident') {
        const name = this.identifier();
        let type: KqlType = 'string';
        if (this.isPunct(':')) {
          this.next();
          type = this.typeName();
        }
        parts.push({ kind: 'column', name, type, pos: t.offset, end: this.lastEnd() });
      } else {
        throw this.error(`expected a string, a column or * in the parse pattern but found ${this.describe(t)}`, t, 'KQL004');
      }
      if (this.isPunct(',')) this.next();
    }
    if (parts.length === 0) throw this.error('the parse pattern is empty', this.peek(), 'KQL004');
    return { kind: 'Parse', filter, parseKind, flags, source, parts, pos: start.offset, end: this.lastEnd() };
  }

  /**
   * `make-series [kind=nonempty] [Name =] Agg [default = V], ... on Axis [from F] [to T] step S [by ...]`
   * (https://learn.microsoft.com/kusto/query/make-series-operator).
   */
  protected parseMakeSeries(): A.MakeSeriesOp {
    const start = this.next();
    let seriesKind: A.Identifier | undefined;
    while (this.peek().kind === 'ident' && (this.isPunct('=', 1) || this.isPunct('.', 1)) && (this.isWord('kind') || this.isWord('hint'))) {
      if (this.isWord('kind')) {
        this.next();
        this.next();
        seriesKind = this.identifier('a make-series kind');
      } else this.skipHints();
    }
    const aggregates: A.MakeSeriesOp['aggregates'][number][] = [];
    for (;;) {
      const assignment = this.parseAssignment();
      let defaultValue: A.Expr | undefined;
      if (this.isWord('default') && this.isPunct('=', 1)) {
        this.next();
        this.next();
        defaultValue = this.parseExpr(PIPE_BP);
      }
      aggregates.push({ assignment, defaultValue });
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expectWord('on');
    // stops before `in`, so the alternate `on Axis in range(...)` is recognised and refused
    const axis = this.parseExpr(COMPARISON_BP);
    if (this.isWord('in')) throw this.error(`make-series ... on Axis in range(...) is not supported; use from ... to ... step ...`, this.peek(), 'KQL004');
    let from: A.Expr | undefined;
    let to: A.Expr | undefined;
    if (this.isWord('from')) {
      this.next();
      from = this.parseExpr(PIPE_BP);
    }
    if (this.isWord('to')) {
      this.next();
      to = this.parseExpr(PIPE_BP);
    }
    this.expectWord('step');
    const step = this.parseExpr(PIPE_BP);
    let by: A.Assignment[] = [];
    if (this.isWord('by')) {
      this.next();
      by = this.parseAssignmentList();
    }
    return { kind: 'MakeSeries', seriesKind, aggregates, axis, from, to, step, by, pos: start.offset, end: this.lastEnd() };
  }

  /** `mv-apply [with_itemindex=I] Col [to typeof(T)], ... [limit N] on (subquery)` (https://learn.microsoft.com/kusto/query/mv-apply-operator) */
  protected parseMvApply(): A.MvApplyOp {
    const start = this.next();
    let itemIndex: A.Identifier | undefined;
    while (this.peek().kind === 'ident' && this.isPunct('=', 1) && (this.isWord('with_itemindex') || this.isWord('kind') || this.isWord('hint'))) {
      const key = this.next().text;
      this.next();
      const value = this.identifier();
      if (key === 'with_itemindex') itemIndex = value;
    }
    const columns = this.parseExpandColumns();
    let limit: A.Expr | undefined;
    if (this.isWord('limit')) {
      this.next();
      limit = this.parseExpr(PIPE_BP);
    }
    this.expectWord('on');
    this.expectPunct('(', `after 'on' in mv-apply`);
    const subquery = [this.parseQueryOperator()];
    while (this.isPunct('|')) {
      this.next();
      subquery.push(this.parseQueryOperator());
    }
    this.expectPunct(')', 'to close the mv-apply subquery');
    return { kind: 'MvApply', columns, itemIndex, limit, subquery, pos: start.offset, end: this.lastEnd() };
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

  /** Column names for project-away / project-keep: a name may be a wildcard pattern (`Initiating*`, `*Id`). */
  protected parseColumnPatternList(): A.Identifier[] {
    const out: A.Identifier[] = [];
    for (;;) {
      out.push(this.columnPattern());
      if (!this.isPunct(',')) break;
      this.next();
    }
    return out;
  }
}
