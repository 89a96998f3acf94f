// Bound (resolved, typed) forms produced by the binder and consumed by the evaluator.
// Columns are resolved to indices into the input row, functions to their implementations.
import type { AggregateFunction, ScalarFunction } from './functions/types.js';
import type { OperatorImpl } from './operators.js';
import type { ColumnSchema, ExternalDataRequest, KqlType } from './types.js';

/** Source span of a node, for runtime errors. */
export interface Span {
  readonly pos: number;
  readonly end: number;
}

export type BoundExpr =
  | { readonly kind: 'const'; readonly type: KqlType; readonly value: unknown }
  | { readonly kind: 'column'; readonly type: KqlType; readonly index: number; readonly name: string }
  | { readonly kind: 'call'; readonly type: KqlType; readonly fn: ScalarFunction; readonly args: readonly BoundExpr[]; readonly at: Span }
  | { readonly kind: 'op'; readonly type: KqlType; readonly impl: OperatorImpl; readonly args: readonly BoundExpr[]; readonly at: Span }
  | { readonly kind: 'member'; readonly type: KqlType; readonly target: BoundExpr; readonly key: BoundExpr }
  | { readonly kind: 'negate'; readonly type: KqlType; readonly operand: BoundExpr }
  /** A tabular expression used as a value: `column` mode yields the first column as an array, `scalar` the first cell. */
  | { readonly kind: 'subquery'; readonly type: KqlType; readonly mode: 'column' | 'scalar'; readonly plan: BoundPlan }
  /**
   * row_number / prev / next: they read the row's position in a serialized row set
   * (https://learn.microsoft.com/kusto/query/window-functions), so the operator that holds one runs
   * over its whole input in order.
   */
  | { readonly kind: 'window'; readonly type: KqlType; readonly fn: WindowFunction; readonly args: readonly BoundExpr[]; readonly at: Span };

export type WindowFunction = 'row_number' | 'prev' | 'next';

/** The parse operator's kinds and pattern parts (https://learn.microsoft.com/kusto/query/parse-operator). */
export type ParseKind = 'simple' | 'regex' | 'relaxed';
export type ParsePart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'skip' } | { readonly kind: 'column'; readonly type: KqlType };

export interface BoundAggregate {
  readonly fn: AggregateFunction;
  readonly args: readonly BoundExpr[];
  readonly type: KqlType;
  readonly at: Span;
}

/**
 * arg_max / arg_min (sign 1 / -1): a key expression and the columns carried from the winning row.
 * take_any (sign 0, no key): the columns of one row of the group.
 */
export interface BoundArgExtreme {
  readonly sign: 1 | -1 | 0;
  readonly key?: BoundExpr;
  readonly columns: readonly BoundExpr[];
}

export interface SortKeyBound {
  readonly expr: BoundExpr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export type JoinKind = 'innerunique' | 'inner' | 'leftouter' | 'rightouter' | 'fullouter' | 'leftanti' | 'rightanti' | 'leftsemi' | 'rightsemi';

export type SummarizeOutput =
  | { readonly kind: 'key'; readonly index: number }
  | { readonly kind: 'agg'; readonly index: number }
  | { readonly kind: 'argKey'; readonly index: number }
  | { readonly kind: 'argColumn'; readonly index: number; readonly column: number }
  /** a scalar expression over the group's aggregates: its columns are `aggregates` indices, its row their results */
  | { readonly kind: 'expr'; readonly expr: BoundExpr };

interface PlanBase {
  readonly schema: readonly ColumnSchema[];
}

export type BoundPlan = PlanBase &
  (
    | { readonly kind: 'scan'; readonly table: string }
    | { readonly kind: 'rows'; readonly rows: readonly unknown[][] }
    | { readonly kind: 'where'; readonly input: BoundPlan; readonly predicate: BoundExpr }
    /** Computes `exprs[i]` into output column `targets[i]` (an existing index replaces, a new index appends). */
    | { readonly kind: 'extend'; readonly input: BoundPlan; readonly exprs: readonly BoundExpr[]; readonly targets: readonly number[] }
    | { readonly kind: 'project'; readonly input: BoundPlan; readonly exprs: readonly BoundExpr[] }
    | {
        readonly kind: 'summarize';
        readonly input: BoundPlan;
        readonly keys: readonly BoundExpr[];
        readonly aggregates: readonly BoundAggregate[];
        readonly argExtremes: readonly BoundArgExtreme[];
        readonly outputs: readonly SummarizeOutput[];
      }
    | { readonly kind: 'distinct'; readonly input: BoundPlan; readonly exprs: readonly BoundExpr[] }
    | { readonly kind: 'count'; readonly input: BoundPlan }
    | { readonly kind: 'take'; readonly input: BoundPlan; readonly count: BoundExpr }
    | { readonly kind: 'sort'; readonly input: BoundPlan; readonly keys: readonly SortKeyBound[]; readonly limit?: BoundExpr }
    | {
        readonly kind: 'join';
        readonly left: BoundPlan;
        readonly right: BoundPlan;
        readonly joinKind: JoinKind;
        readonly leftKeys: readonly number[];
        readonly rightKeys: readonly number[];
        /** For each output column: [0, leftIndex] or [1, rightIndex]. */
        readonly output: readonly (readonly [0 | 1, number])[];
      }
    /** `mappings[k][i]`: the output column of input k's column i, -1 when union kind=inner drops it. */
    | { readonly kind: 'union'; readonly inputs: readonly BoundPlan[]; readonly mappings: readonly (readonly number[])[] }
    | {
        readonly kind: 'mvexpand';
        readonly input: BoundPlan;
        readonly exprs: readonly BoundExpr[];
        readonly targets: readonly number[];
        readonly toTypes: readonly (KqlType | undefined)[];
        readonly limit?: BoundExpr;
        /** kind=array: a property bag expands into [key, value] arrays (else into one-property bags) */
        readonly arrays: boolean;
        /** with_itemindex=: the output column of the item's index */
        readonly itemIndex?: number;
      }
    | { readonly kind: 'materialize'; readonly id: number; readonly input: BoundPlan }
    /** serialize: the input's order is kept from here on (window functions may follow); rows pass unchanged */
    | { readonly kind: 'serialize'; readonly input: BoundPlan }
    /** parse / parse-where: the parsed columns are appended; `filter` (parse-where) drops rows that do not match */
    | {
        readonly kind: 'parse';
        readonly input: BoundPlan;
        readonly source: BoundExpr;
        readonly parseKind: ParseKind;
        readonly flags: string;
        readonly parts: readonly ParsePart[];
        readonly filter: boolean;
        readonly at: Span;
      }
    | {
        readonly kind: 'makeseries';
        readonly input: BoundPlan;
        readonly keys: readonly BoundExpr[];
        readonly aggregates: readonly BoundAggregate[];
        /** per aggregate: the value of a bin without rows */
        readonly defaults: readonly unknown[];
        readonly axis: BoundExpr;
        readonly from?: BoundExpr;
        readonly to?: BoundExpr;
        readonly step: BoundExpr;
        /** kind=nonempty: an empty input still gives one row of defaults */
        readonly nonempty: boolean;
        readonly at: Span;
      }
    | { readonly kind: 'externaldata'; readonly request: ExternalDataRequest; readonly at: Span }
    /** evaluate bag_unpack: each output column is an input column or a slot of the bag in input column `column` */
    | { readonly kind: 'bagunpack'; readonly input: BoundPlan; readonly column: number; readonly outputs: readonly UnpackOutput[] }
    /** evaluate pivot: per group of `keys`, the aggregate over the rows of each pivot value in `values`, one column each */
    | {
        readonly kind: 'pivot';
        readonly input: BoundPlan;
        readonly pivot: BoundExpr;
        readonly aggregate: BoundAggregate;
        readonly keys: readonly BoundExpr[];
        readonly values: readonly unknown[];
      }
    /**
     * mv-apply: each input row is expanded as mv-expand would (`exprs` into `targets` of the expanded
     * schema, the item index into `itemIndex`), `subquery` runs over those rows (its leaf is the
     * `applyinput` of the same id), and each of its rows becomes an output row, completed from the input row.
     */
    | {
        readonly kind: 'mvapply';
        readonly id: number;
        readonly input: BoundPlan;
        readonly exprs: readonly BoundExpr[];
        readonly targets: readonly number[];
        readonly toTypes: readonly (KqlType | undefined)[];
        readonly itemIndex?: number;
        readonly limit?: BoundExpr;
        readonly subquery: BoundPlan;
        readonly outputs: readonly ApplyOutput[];
      }
    /** the rows of the input row an mv-apply subquery is running for */
    | { readonly kind: 'applyinput'; readonly id: number }
  );

export type UnpackOutput = { readonly from: 'input'; readonly index: number } | { readonly from: 'bag'; readonly key: string };
export type ApplyOutput = { readonly from: 'outer' | 'sub'; readonly index: number };

/** The sub-expressions an expression evaluates directly: one place for every tree walk (subquery plans are not descended into). */
export function childExpressions(e: BoundExpr): readonly BoundExpr[] {
  switch (e.kind) {
    case 'call':
    case 'op':
      return e.args;
    case 'member':
      return [e.target, e.key];
    case 'negate':
      return [e.operand];
    case 'window':
      return e.args;
    case 'const':
    case 'column':
    case 'subquery':
      return [];
  }
}
