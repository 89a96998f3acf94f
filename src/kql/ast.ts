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

/** Syntax we recognise but do not implement; the binder reports it as "not supported". */
export interface UnsupportedExpr extends NodeBase {
  readonly kind: 'Unsupported';
  readonly what: string;
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
  readonly columns: readonly { readonly assignment: Assignment; readonly toType?: KqlType }[];
  readonly limit?: Expr;
}
export interface AsOp extends NodeBase { readonly kind: 'As'; readonly name: Identifier }
export interface UnsupportedOp extends NodeBase { readonly kind: 'UnsupportedOp'; readonly what: string }

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
  | UnsupportedOp;

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
