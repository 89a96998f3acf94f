// Syntax tree. Every node carries `pos` (offset of its first character) and `end` (offset after
// its last character) in the query text, so any later stage can point at the exact source.
import type { KqlType } from './types.js';

interface NodeBase {
  readonly pos: number;
  readonly end: number;
}

export interface Identifier extends NodeBase {
  readonly kind: 'Identifier';
  readonly name: string;
}

// ---------- scalar and tabular expressions ----------

export interface NameRef extends NodeBase {
  readonly kind: 'NameRef';
  readonly name: string;
}

export interface Literal extends NodeBase {
  readonly kind: 'Literal';
  readonly type: KqlType;
  /** internal representation: datetime/timespan → ms number, null → null */
  readonly value: unknown;
}

export interface DynamicLiteral extends NodeBase {
  readonly kind: 'DynamicLiteral';
  readonly value: unknown;
}

export interface BinaryExpr extends NodeBase {
  readonly kind: 'Binary';
  readonly op: string;
  readonly opPos: number;
  readonly left: Expr;
  readonly right: Expr;
}

export interface UnaryExpr extends NodeBase {
  readonly kind: 'Unary';
  readonly op: '-' | '+';
  readonly operand: Expr;
}

export interface CallExpr extends NodeBase {
  readonly kind: 'Call';
  readonly name: Identifier;
  readonly args: readonly Expr[];
}

export interface MemberExpr extends NodeBase {
  readonly kind: 'Member';
  readonly target: Expr;
  readonly member: Identifier;
}

export interface IndexExpr extends NodeBase {
  readonly kind: 'Index';
  readonly target: Expr;
  readonly index: Expr;
}

export interface BetweenExpr extends NodeBase {
  readonly kind: 'Between';
  readonly negated: boolean;
  readonly operand: Expr;
  readonly low: Expr;
  readonly high: Expr;
}

/** in, !in, in~, !in~, has_any, has_all (and negations): a parenthesised list of scalars or one tabular expression. */
export interface ListOpExpr extends NodeBase {
  readonly kind: 'ListOp';
  readonly op: string;
  readonly opPos: number;
  readonly operand: Expr;
  readonly items: readonly Expr[];
}

export interface PipeExpr extends NodeBase {
  readonly kind: 'Pipe';
  readonly source: Expr;
  readonly operator: QueryOperator;
}

export interface DatatableExpr extends NodeBase {
  readonly kind: 'Datatable';
  readonly columns: readonly ColumnDecl[];
  readonly values: readonly Expr[];
}

export interface UnionExpr extends NodeBase {
  readonly kind: 'Union';
  readonly tables: readonly Expr[];
  readonly withSource?: Identifier;
  /** `kind=` as written (inner or outer; anything else is a bind error), with its name's position */
  readonly unionKind?: Identifier;
}

export interface PrintExpr extends NodeBase {
  readonly kind: 'Print';
  readonly columns: readonly Assignment[];
}

/** `typeof(long)`: a type literal, an argument of extract() (mv-expand's `to typeof(T)` is parsed with the operator). */
export interface TypeOfExpr extends NodeBase {
  readonly kind: 'TypeOf';
  readonly type: KqlType;
}

/** Text that did not parse (the parser recorded the error and read on); the binder skips it silently. */
export interface ErrorExpr extends NodeBase {
  readonly kind: 'Error';
}

/** Syntax we recognise but do not implement; the binder reports it as "not supported". */
export interface UnsupportedExpr extends NodeBase {
  readonly kind: 'Unsupported';
  readonly what: string;
}

/** `name = value` as a call argument: the optional arguments of plugins (bag_unpack(d, columnsConflict='keep_source')). */
export interface NamedArgExpr extends NodeBase {
  readonly kind: 'NamedArg';
  readonly name: Identifier;
  readonly value: Expr;
}

/** externaldata (cols) [urls] with (props) (https://learn.microsoft.com/kusto/query/externaldata-operator). */
export interface ExternalDataExpr extends NodeBase {
  readonly kind: 'ExternalData';
  readonly columns: readonly ColumnDecl[];
  readonly urls: readonly Expr[];
  readonly properties: readonly Property[];
}

/** `name = value` in a `with (...)` list. */
export interface Property extends NodeBase {
  readonly kind: 'Property';
  readonly name: Identifier;
  readonly value: Expr;
}

/** A parameter of a user-defined function: a scalar of a type, or a table (`(*)` or with the columns it needs). */
export interface FunctionParam extends NodeBase {
  readonly kind: 'FunctionParam';
  readonly name: Identifier;
  readonly type: KqlType | 'table';
  /** a tabular parameter's required columns; undefined for `(*)` */
  readonly columns?: readonly ColumnDecl[];
  readonly defaultValue?: Expr;
}

/** `(params) { statements; expression }`, the value of a let that defines a function. */
export interface FunctionDefExpr extends NodeBase {
  readonly kind: 'FunctionDef';
  readonly params: readonly FunctionParam[];
  /** let statements, then the body's expression */
  readonly body: readonly Statement[];
}

export type Expr =
  | NameRef
  | Literal
  | DynamicLiteral
  | BinaryExpr
  | UnaryExpr
  | CallExpr
  | MemberExpr
  | IndexExpr
  | BetweenExpr
  | ListOpExpr
  | PipeExpr
  | DatatableExpr
  | UnionExpr
  | PrintExpr
  | ExternalDataExpr
  | FunctionDefExpr
  | NamedArgExpr
  | TypeOfExpr
  | ErrorExpr
  | UnsupportedExpr;

export interface ColumnDecl extends NodeBase {
  readonly kind: 'ColumnDecl';
  readonly name: Identifier;
  readonly type: KqlType;
}

export interface Assignment extends NodeBase {
  readonly kind: 'Assignment';
  /** undefined when the column name is inferred from the expression */
  readonly name?: Identifier;
  readonly expr: Expr;
}

export interface SortKey extends NodeBase {
  readonly kind: 'SortKey';
  readonly expr: Expr;
  readonly descending: boolean;
  /** undefined → the default for the direction */
  readonly nullsFirst?: boolean;
}

export interface JoinCondition extends NodeBase {
  readonly kind: 'JoinCondition';
  readonly left: Identifier;
  readonly right: Identifier;
}

// ---------- query operators (right side of `|`) ----------

export interface WhereOp extends NodeBase { readonly kind: 'Where'; readonly predicate: Expr }
export interface ExtendOp extends NodeBase { readonly kind: 'Extend'; readonly columns: readonly Assignment[] }
export interface ProjectOp extends NodeBase { readonly kind: 'Project'; readonly columns: readonly Assignment[] }
/** project-away / project-keep: names, each possibly a wildcard pattern (`Initiating*`) */
export interface ProjectAwayOp extends NodeBase { readonly kind: 'ProjectAway'; readonly columns: readonly Identifier[] }
export interface ProjectKeepOp extends NodeBase { readonly kind: 'ProjectKeep'; readonly columns: readonly Identifier[] }
export interface ProjectRenameOp extends NodeBase {
  readonly kind: 'ProjectRename';
  readonly renames: readonly { readonly newName: Identifier; readonly oldName: Identifier }[];
}
export interface SummarizeOp extends NodeBase {
  readonly kind: 'Summarize';
  readonly aggregates: readonly Assignment[];
  readonly by: readonly Assignment[];
}
export interface DistinctOp extends NodeBase { readonly kind: 'Distinct'; readonly columns: readonly Expr[]; readonly star: boolean }
export interface CountOp extends NodeBase { readonly kind: 'Count' }
export interface TakeOp extends NodeBase { readonly kind: 'Take'; readonly count: Expr }
export interface TopOp extends NodeBase { readonly kind: 'Top'; readonly count: Expr; readonly key: SortKey }
export interface SortOp extends NodeBase { readonly kind: 'Sort'; readonly keys: readonly SortKey[] }
export interface JoinOp extends NodeBase {
  readonly kind: 'Join';
  readonly joinKind: string;
  readonly kindPos: number;
  readonly right: Expr;
  readonly on: readonly JoinCondition[];
}
export interface LookupOp extends NodeBase {
  readonly kind: 'Lookup';
  readonly joinKind: string;
  readonly kindPos: number;
  readonly right: Expr;
  readonly on: readonly JoinCondition[];
}
export interface UnionOp extends NodeBase {
  readonly kind: 'UnionOp';
  readonly tables: readonly Expr[];
  readonly withSource?: Identifier;
  readonly unionKind?: Identifier;
}
export interface MvExpandOp extends NodeBase {
  readonly kind: 'MvExpand';
  /** `kind=` / `bagexpansion=` (bag or array; anything else is a bind error) */
  readonly expandKind?: Identifier;
  /** `with_itemindex=` */
  readonly itemIndex?: Identifier;
  readonly columns: readonly { readonly assignment: Assignment; readonly toType?: KqlType }[];
  readonly limit?: Expr;
}
export interface AsOp extends NodeBase { readonly kind: 'As'; readonly name: Identifier }
export interface ProjectReorderOp extends NodeBase {
  readonly kind: 'ProjectReorder';
  /** column names or wildcard patterns (`Device*`), each with an optional order for the columns it matches */
  readonly columns: readonly { readonly pattern: Identifier; readonly order?: 'asc' | 'desc' | 'granny-asc' | 'granny-desc' }[];
}
export interface RenderOp extends NodeBase { readonly kind: 'Render'; readonly chart: Identifier }
export interface SerializeOp extends NodeBase { readonly kind: 'Serialize'; readonly columns: readonly Assignment[] }
export type ParsePatternPart =
  | { readonly kind: 'text'; readonly text: string; readonly pos: number; readonly end: number }
  | { readonly kind: 'skip'; readonly pos: number; readonly end: number }
  | { readonly kind: 'column'; readonly name: Identifier; readonly type: KqlType; readonly pos: number; readonly end: number };
export interface ParseOp extends NodeBase {
  readonly kind: 'Parse';
  /** parse-where: rows that do not match are dropped */
  readonly filter: boolean;
  readonly parseKind?: Identifier;
  readonly flags?: Identifier;
  readonly source: Expr;
  readonly parts: readonly ParsePatternPart[];
}
export interface MakeSeriesOp extends NodeBase {
  readonly kind: 'MakeSeries';
  readonly seriesKind?: Identifier;
  readonly aggregates: readonly { readonly assignment: Assignment; readonly defaultValue?: Expr }[];
  readonly axis: Expr;
  readonly from?: Expr;
  readonly to?: Expr;
  readonly step: Expr;
  readonly by: readonly Assignment[];
}
export interface InvokeOp extends NodeBase { readonly kind: 'Invoke'; readonly call: CallExpr }
export interface EvaluateOp extends NodeBase {
  readonly kind: 'Evaluate';
  readonly plugin: CallExpr;
  /** `: ([*,] col:type, ...)`, the output schema the query declares; `*` keeps the input's columns */
  readonly schema?: { readonly star: boolean; readonly columns: readonly ColumnDecl[] };
}
export interface MvApplyOp extends NodeBase {
  readonly kind: 'MvApply';
  readonly columns: readonly { readonly assignment: Assignment; readonly toType?: KqlType }[];
  readonly itemIndex?: Identifier;
  readonly limit?: Expr;
  /** the operators applied to each row's expanded rows (the subquery has no source of its own) */
  readonly subquery: readonly QueryOperator[];
}
export interface UnsupportedOp extends NodeBase { readonly kind: 'UnsupportedOp'; readonly what: string }
/** An operator that did not parse (the parser recorded the error and skipped to the next `|`). */
export interface ErrorOp extends NodeBase { readonly kind: 'ErrorOp' }

export type QueryOperator =
  | WhereOp
  | ExtendOp
  | ProjectOp
  | ProjectAwayOp
  | ProjectKeepOp
  | ProjectRenameOp
  | SummarizeOp
  | DistinctOp
  | CountOp
  | TakeOp
  | TopOp
  | SortOp
  | JoinOp
  | LookupOp
  | UnionOp
  | MvExpandOp
  | AsOp
  | ProjectReorderOp
  | RenderOp
  | SerializeOp
  | ParseOp
  | MakeSeriesOp
  | InvokeOp
  | EvaluateOp
  | MvApplyOp
  | UnsupportedOp
  | ErrorOp;

// ---------- statements ----------

export interface LetStatement extends NodeBase {
  readonly kind: 'Let';
  readonly name: Identifier;
  readonly value: Expr;
  /** offsets of the value expression text, used by replaceLetValues */
  readonly valuePos: number;
  readonly valueEnd: number;
}

export interface ExprStatement extends NodeBase {
  readonly kind: 'ExprStatement';
  readonly expr: Expr;
}

export interface UnsupportedStatement extends NodeBase {
  readonly kind: 'UnsupportedStatement';
  readonly what: string;
}

export type Statement = LetStatement | ExprStatement | UnsupportedStatement;

export interface Script extends NodeBase {
  readonly kind: 'Script';
  readonly statements: readonly Statement[];
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
