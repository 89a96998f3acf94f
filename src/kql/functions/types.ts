// Contracts for scalar and aggregate functions. Functions compile once per query into closures over
// row arrays, so per-row work is a plain call with no lookups.
import type { KqlType } from '../types.js';

/** An internal row: values in the column order of the operator's schema. */
export type InternalRow = unknown[];
export type Compiled = (row: InternalRow) => unknown;

export interface CompileContext {
  /** Query start time (ms since epoch): now() and ago() read it, never the wall clock. */
  readonly now: number;
  /** geo_info_from_ip_address()'s offline answer, when the tables' source has a geo mapping (TableProvider.geoInfo). */
  readonly geoInfo?: (ip: string) => Readonly<Record<string, unknown>> | null;
}

/** Marker for "this argument is not a compile-time constant". */
export const NOT_CONSTANT: unique symbol = Symbol('not-constant');
export type ConstantArg = unknown | typeof NOT_CONSTANT;

/** A result type, or an error at an argument; `unsupported`: a valid Kusto call this engine does not run (KQL106). */
export type TypeResult = { readonly type: KqlType } | { readonly error: string; readonly argIndex?: number; readonly unsupported?: true };

export interface ScalarFunction {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  resultType(argTypes: readonly KqlType[], constants: readonly ConstantArg[]): TypeResult;
  compile(args: readonly Compiled[], argTypes: readonly KqlType[], ctx: CompileContext, constants: readonly ConstantArg[]): Compiled;
  /** The position of an argument that is a type literal, `typeof(T)` (extract's 4th); its constant is the type's name. */
  readonly typeArgument?: number;
}

export interface Accumulator {
  add(row: InternalRow): void;
  result(): unknown;
}

export interface AggregateFunction {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  resultType(argTypes: readonly KqlType[], constants: readonly ConstantArg[]): TypeResult;
  /** Returns a factory of per-group accumulators. */
  compile(args: readonly Compiled[], argTypes: readonly KqlType[], ctx: CompileContext, constants: readonly ConstantArg[]): () => Accumulator;
  /**
   * The result column's name when the query gives none, from the first argument's inferred name
   * ('' when it has none) and the constant arguments (undefined where not constant), as Kusto names
   * it: `percentile(x, 95)` is `percentile_x_95`. Without it the binder uses `<name>_<argName>`.
   */
  columnName?(argName: string, constants: readonly unknown[]): string;
}

export interface FunctionRegistry {
  scalar(name: string): ScalarFunction | undefined;
  aggregate(name: string): AggregateFunction | undefined;
  /** Names it knows, for "did you mean" hints (optional: a registry without it gets no hints). */
  names?(kind: 'scalar' | 'aggregate'): readonly string[];
}

export function isNumericType(t: KqlType): boolean {
  return t === 'long' || t === 'int' || t === 'real' || t === 'decimal';
}

/** Numeric type promotion for arithmetic: int < long < real/decimal. */
export function promoteNumeric(a: KqlType, b: KqlType): KqlType {
  if (a === 'real' || b === 'real' || a === 'decimal' || b === 'decimal') return 'real';
  if (a === 'long' || b === 'long') return 'long';
  return 'int';
}
