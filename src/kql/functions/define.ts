// Helpers to declare functions compactly. Arity-specialised closures avoid spreading arguments per row.
import type { KqlType } from '../types.js';
import type { Compiled, ConstantArg, ScalarFunction, TypeResult } from './types.js';

export type TypeRule = (argTypes: readonly KqlType[], constants: readonly ConstantArg[]) => TypeResult;

export const returns = (type: KqlType): TypeRule => () => ({ type });

/** Requires every argument to be one of `allowed` (per position; the last entry repeats). */
export function expecting(type: KqlType | ((argTypes: readonly KqlType[]) => KqlType), ...allowed: (readonly KqlType[] | 'any')[]): TypeRule {
  return (argTypes) => {
    for (let i = 0; i < argTypes.length; i++) {
      const want = allowed[Math.min(i, allowed.length - 1)];
      if (want === undefined || want === 'any') continue;
      const got = argTypes[i]!;
      if (!want.includes(got) && !(got === 'dynamic')) {
        return { error: `argument ${i + 1} must be ${want.join(' or ')}, not ${got}`, argIndex: i };
      }
    }
    return { type: typeof type === 'function' ? type(argTypes) : type };
  };
}

export const STRINGY: readonly KqlType[] = ['string'];
export const NUMERIC: readonly KqlType[] = ['long', 'int', 'real', 'decimal'];
export const DATETIME: readonly KqlType[] = ['datetime'];
export const TIMESPAN: readonly KqlType[] = ['timespan'];

/** Calls `impl` on the compiled arguments' values, without spreading them for the common arities. */
function applying(impl: (...values: unknown[]) => unknown, args: readonly Compiled[]): Compiled {
  switch (args.length) {
    case 0:
      return () => impl();
    case 1: {
      const a = args[0]!;
      return (r) => impl(a(r));
    }
    case 2: {
      const a = args[0]!;
      const b = args[1]!;
      return (r) => impl(a(r), b(r));
    }
    case 3: {
      const a = args[0]!;
      const b = args[1]!;
      const c = args[2]!;
      return (r) => impl(a(r), b(r), c(r));
    }
    default:
      return (r) => impl(...args.map((a) => a(r)));
  }
}

/** A pure function of its argument values. */
export function simple(
  name: string,
  minArgs: number,
  maxArgs: number,
  resultType: TypeRule,
  impl: (...values: unknown[]) => unknown,
): ScalarFunction {
  return { name, minArgs, maxArgs, resultType, compile: (args) => applying(impl, args) };
}

/** Like `simple`, for an implementation that depends on the argument types (the text of a datetime differs from a number's). */
export function typed(
  name: string,
  minArgs: number,
  maxArgs: number,
  resultType: TypeRule,
  make: (argTypes: readonly KqlType[]) => (...values: unknown[]) => unknown,
): ScalarFunction {
  return { name, minArgs, maxArgs, resultType, compile: (args, argTypes) => applying(make(argTypes), args) };
}
