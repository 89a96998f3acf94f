// Scalar operators (==, has, between, in, +, ...): type rules and compiled implementations.
// Constant right-hand sides (the usual case: `Signer has 'Vendor'`) are prepared once per query.
import { constantRegex } from './functions/scalars-string.js';
import { isNumericType, NOT_CONSTANT, promoteNumeric, type Compiled, type ConstantArg } from './functions/types.js';
import { hasTermFolded } from './strings.js';
import { termSetMatcher } from './termSet.js';
import type { KqlType } from './types.js';
import { compareNonNull, valuesEqual, valueToString } from './values.js';

export interface OperatorImpl {
  readonly name: string;
  compile(args: readonly Compiled[], constants: readonly ConstantArg[], argTypes: readonly KqlType[]): Compiled;
}

export type OperatorBinding = { readonly type: KqlType; readonly impl: OperatorImpl } | { readonly error: string };

const isNull = (v: unknown) => v === null || v === undefined;
const asString = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : valueToString(v, 'dynamic'));

function comparable(a: KqlType, b: KqlType): boolean {
  if (a === 'dynamic' || b === 'dynamic') return true;
  if (isNumericType(a) && isNumericType(b)) return true;
  return a === b;
}

/** Kusto accepts == and != between a string and a number (the official binder does). */
function equatable(a: KqlType, b: KqlType): boolean {
  return comparable(a, b) || (a === 'string' && isNumericType(b)) || (isNumericType(a) && b === 'string');
}

const stringy = (t: KqlType) => t === 'string' || t === 'dynamic';

/**
 * Case folding of =~, !~, in~ and !in~: "Case-insensitive operators are currently supported only for
 * ASCII-text" (https://learn.microsoft.com/en-us/kusto/query/in-operator), so only A-Z fold.
 */
function foldAscii(s: string): string {
  return /[^\u0000-\u007f]/.test(s) ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s.toLowerCase();
}

// ---------- term operators: one regular expression per constant needle ----------

const ALNUM = '[\\p{L}\\p{N}]';
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Regular-expression source matching `needle` literally, folding only ASCII letters ('a' → [aA]).
 * The case-insensitive has/contains/startswith/endswith family folds like =~ and in~: "Case-insensitive
 * operators are currently supported only for ASCII-text" (https://learn.microsoft.com/kusto/query/contains-operator,
 * https://learn.microsoft.com/kusto/query/in-operator), so 'Ä' does not match 'ä'. JS's /i flag folds
 * all of Unicode (and maps K to the Kelvin sign), so it is never used for these operators.
 */
function literalSource(needle: string, caseSensitive: boolean): string {
  const escaped = escapeRegex(needle);
  if (caseSensitive) return escaped;
  return escaped.replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}
const isAlnumChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/**
 * Pattern source matching `needle` as a term (or term prefix/suffix), per Kusto's term rules; unless
 * `caseSensitive`, ASCII letters match either case (use the pattern without the /i flag).
 */
function termPattern(needle: string, mode: 'term' | 'prefix' | 'suffix', caseSensitive = false): string {
  const start = mode !== 'suffix' && isAlnumChar(needle[0]) ? `(?<!${ALNUM})` : '';
  const end = mode !== 'prefix' && isAlnumChar(needle[needle.length - 1]) ? `(?!${ALNUM})` : '';
  return start + literalSource(needle, caseSensitive) + end;
}

function termOperator(name: string, mode: 'term' | 'prefix' | 'suffix', caseSensitive: boolean, negated: boolean): OperatorImpl {
  return {
    name,
    compile([left, right], constants) {
      const needleConst = constants[1];
      if (needleConst !== NOT_CONSTANT) {
        const needle = asString(needleConst);
        if (needle === '') return negated ? () => false : () => true;
        const re = new RegExp(termPattern(needle, mode, caseSensitive), 'u');
        return negated ? (r) => !re.test(asString(left!(r))) : (r) => re.test(asString(left!(r)));
      }
      return (r) => {
        const h = asString(left!(r));
        const n = asString(right!(r));
        const hit = caseSensitive ? hasTermFolded(h, n, mode) : hasTermFolded(foldAscii(h), foldAscii(n), mode);
        return negated ? !hit : hit;
      };
    },
  };
}

type SubstringMode = 'contains' | 'startswith' | 'endswith';

function substringOperator(name: string, mode: SubstringMode, caseSensitive: boolean, negated: boolean): OperatorImpl {
  const test = (h: string, n: string) =>
    mode === 'contains' ? h.includes(n) : mode === 'startswith' ? h.startsWith(n) : h.endsWith(n);
  return {
    name,
    compile([left, right], constants) {
      const c = constants[1];
      if (c !== NOT_CONSTANT) {
        const needle = asString(c);
        if (caseSensitive) return negated ? (r) => !test(asString(left!(r)), needle) : (r) => test(asString(left!(r)), needle);
        const lit = literalSource(needle, false);
        const src = mode === 'startswith' ? '^' + lit : mode === 'endswith' ? lit + '$' : lit;
        const re = new RegExp(src, 'u');
        return negated ? (r) => !re.test(asString(left!(r))) : (r) => re.test(asString(left!(r)));
      }
      return (r) => {
        const h = asString(left!(r));
        const n = asString(right!(r));
        const hit = caseSensitive ? test(h, n) : test(foldAscii(h), foldAscii(n));
        return negated ? !hit : hit;
      };
    },
  };
}

const STRING_OPERATORS = new Map<string, OperatorImpl>();
for (const cs of [false, true]) {
  const suffix = cs ? '_cs' : '';
  for (const neg of [false, true]) {
    const bang = neg ? '!' : '';
    STRING_OPERATORS.set(`${bang}has${suffix}`, termOperator(`${bang}has${suffix}`, 'term', cs, neg));
    STRING_OPERATORS.set(`${bang}hasprefix${suffix}`, termOperator(`${bang}hasprefix${suffix}`, 'prefix', cs, neg));
    STRING_OPERATORS.set(`${bang}hassuffix${suffix}`, termOperator(`${bang}hassuffix${suffix}`, 'suffix', cs, neg));
    STRING_OPERATORS.set(`${bang}contains${suffix}`, substringOperator(`${bang}contains${suffix}`, 'contains', cs, neg));
    STRING_OPERATORS.set(`${bang}startswith${suffix}`, substringOperator(`${bang}startswith${suffix}`, 'startswith', cs, neg));
    STRING_OPERATORS.set(`${bang}endswith${suffix}`, substringOperator(`${bang}endswith${suffix}`, 'endswith', cs, neg));
  }
}

// ---------- comparison ----------

function equality(name: string, negated: boolean, caseInsensitive: boolean): OperatorImpl {
  return {
    name,
    compile([left, right], constants) {
      if (caseInsensitive) {
        const c = constants[1];
        if (c !== NOT_CONSTANT) {
          const folded = foldAscii(asString(c));
          return (r) => (foldAscii(asString(left!(r))) === folded) !== negated;
        }
        return (r) => (foldAscii(asString(left!(r))) === foldAscii(asString(right!(r)))) !== negated;
      }
      // null == null → null; null == value → false; null != value → true
      return (r) => {
        const a = left!(r);
        const b = right!(r);
        if (isNull(a) || isNull(b)) return isNull(a) && isNull(b) ? null : negated;
        return valuesEqual(a, b) !== negated;
      };
    },
  };
}

function ordering(name: string, test: (c: number) => boolean): OperatorImpl {
  return {
    name,
    compile([left, right]) {
      return (r) => {
        const a = left!(r);
        const b = right!(r);
        if (isNull(a) || isNull(b)) return null;
        if (typeof a === 'number' && typeof b === 'number') return test(a < b ? -1 : a > b ? 1 : 0);
        return test(compareNonNull(a, b));
      };
    },
  };
}

const AND: OperatorImpl = {
  name: 'and',
  compile([l, r]) {
    // three-valued logic: false wins over null
    return (row) => {
      const a = l!(row);
      if (a === false) return false;
      const b = r!(row);
      if (b === false) return false;
      return a === true && b === true ? true : null;
    };
  },
};

const OR: OperatorImpl = {
  name: 'or',
  compile([l, r]) {
    return (row) => {
      const a = l!(row);
      if (a === true) return true;
      const b = r!(row);
      if (b === true) return true;
      return a === false && b === false ? false : null;
    };
  },
};

function arithmetic(name: string, f: (a: number, b: number) => number, integer: boolean): OperatorImpl {
  return {
    name,
    compile([l, r]) {
      return (row) => {
        const a = l!(row);
        const b = r!(row);
        if (isNull(a) || isNull(b)) return null;
        const v = f(a as number, b as number);
        if (integer) return Number.isFinite(v) ? Math.trunc(v) : null;
        return v;
      };
    },
  };
}

const REGEX: OperatorImpl = {
  name: 'matches regex',
  compile([l], constants) {
    const re = constantRegex("'matches regex'", constants[1]);
    return (row) => re.test(asString(l!(row)));
  },
};

function arithmeticType(op: string, a: KqlType, b: KqlType): KqlType | undefined {
  if (a === 'dynamic' || b === 'dynamic') return 'dynamic';
  // int op int is long, as Kusto.Language types it (toint(1) + toint(2) is a long)
  if (isNumericType(a) && isNumericType(b)) return promoteNumeric(a, b) === 'int' ? 'long' : promoteNumeric(a, b);
  switch (op) {
    case '+':
      if ((a === 'datetime' && b === 'timespan') || (a === 'timespan' && b === 'datetime')) return 'datetime';
      if (a === 'timespan' && b === 'timespan') return 'timespan';
      return undefined;
    case '-':
      if (a === 'datetime' && b === 'timespan') return 'datetime';
      if (a === 'datetime' && b === 'datetime') return 'timespan';
      if (a === 'timespan' && b === 'timespan') return 'timespan';
      return undefined;
    case '*':
      if ((a === 'timespan' && isNumericType(b)) || (isNumericType(a) && b === 'timespan')) return 'timespan';
      return undefined;
    case '/':
      if (a === 'timespan' && isNumericType(b)) return 'timespan';
      if (a === 'timespan' && b === 'timespan') return 'real';
      return undefined;
    case '%':
      if (a === 'timespan' && b === 'timespan') return 'timespan';
      return undefined;
    default:
      return undefined;
  }
}

const ARITH: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};

/** Resolves a binary operator for the given operand types. */
export function bindBinary(op: string, a: KqlType, b: KqlType): OperatorBinding {
  switch (op) {
    case 'and':
    case 'or':
      if ((a !== 'bool' && a !== 'dynamic') || (b !== 'bool' && b !== 'dynamic')) {
        return { error: `'${op}' needs bool operands, not ${a} and ${b}` };
      }
      return { type: 'bool', impl: op === 'and' ? AND : OR };
    case '==':
    case '!=':
    case '<>':
      if (!equatable(a, b)) return { error: `cannot compare ${a} with ${b}` };
      return { type: 'bool', impl: equality(op, op !== '==', false) };
    case '=~':
    case '!~':
      if ((a !== 'string' && a !== 'dynamic') || (b !== 'string' && b !== 'dynamic')) {
        return { error: `'${op}' compares strings, not ${a} and ${b}` };
      }
      return { type: 'bool', impl: equality(op, op === '!~', true) };
    case '<':
      if (!comparable(a, b)) return { error: `cannot compare ${a} with ${b}` };
      return { type: 'bool', impl: ordering(op, (c) => c < 0) };
    case '<=':
      if (!comparable(a, b)) return { error: `cannot compare ${a} with ${b}` };
      return { type: 'bool', impl: ordering(op, (c) => c <= 0) };
    case '>':
      if (!comparable(a, b)) return { error: `cannot compare ${a} with ${b}` };
      return { type: 'bool', impl: ordering(op, (c) => c > 0) };
    case '>=':
      if (!comparable(a, b)) return { error: `cannot compare ${a} with ${b}` };
      return { type: 'bool', impl: ordering(op, (c) => c >= 0) };
    case 'matches regex':
      if (!stringy(a) || !stringy(b)) return { error: `the operator 'matches regex' is not defined for ${a} and ${b}` };
      return { type: 'bool', impl: REGEX };
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const t = arithmeticType(op, a, b);
      if (!t) return { error: `operator '${op}' is not defined for ${a} and ${b}` };
      const integer = (t === 'long' || t === 'int') && (op === '/' || op === '%');
      return { type: t, impl: arithmetic(op, ARITH[op]!, integer) };
    }
    default: {
      const impl = STRING_OPERATORS.get(op);
      if (!impl) return { error: `unknown operator '${op}'` };
      if (!stringy(a) || !stringy(b)) return { error: `the operator '${op}' is not defined for ${a} and ${b}` };
      return { type: 'bool', impl };
    }
  }
}

export const BETWEEN: OperatorImpl = {
  name: 'between',
  compile([v, lo, hi], constants) {
    const a = constants[1];
    const b = constants[2];
    if (typeof a === 'number' && typeof b === 'number') {
      // the usual case, a constant window: two comparisons per row
      return (r) => {
        const x = v!(r);
        if (x === null || x === undefined) return null;
        return (x as number) >= a && (x as number) <= b;
      };
    }
    // inclusive on both ends; a null operand or bound yields null (treated as false by where)
    return (r) => {
      const x = v!(r);
      if (isNull(x)) return null;
      const a = lo!(r);
      const b = hi!(r);
      if (isNull(a) || isNull(b)) return null;
      if (typeof x === 'number') return x >= (a as number) && x <= (b as number);
      return compareNonNull(x, a) >= 0 && compareNonNull(x, b) <= 0;
    };
  },
};

export const NOT_BETWEEN: OperatorImpl = {
  name: '!between',
  compile(args, constants, types) {
    const inner = BETWEEN.compile(args, constants, types);
    return (r) => {
      const v = inner(r);
      return v === null ? null : !v;
    };
  },
};

/** `between` with a timespan upper bound means low .. low + span. */
export function betweenBoundsType(operand: KqlType, low: KqlType, high: KqlType): string | undefined {
  if (!comparable(operand, low)) return `cannot compare ${operand} with ${low}`;
  if (operand === 'datetime' && high === 'timespan') return undefined;
  if (!comparable(operand, high)) return `cannot compare ${operand} with ${high}`;
  return undefined;
}

/** Flattens list items: dynamic arrays and tabular columns contribute their elements. */
export function flattenListItems(values: readonly unknown[], out: unknown[] = []): unknown[] {
  // nested arrays flatten into one list: x in (dynamic([1,[2,3]])) is x in (1,2,3)
  for (const v of values) {
    if (Array.isArray(v)) flattenListItems(v, out);
    else out.push(v);
  }
  return out;
}

export function listOperator(op: string): OperatorImpl {
  const negated = op.startsWith('!');
  const base = negated ? op.slice(1) : op;
  return {
    name: op,
    compile(args, constants) {
      const [operand, ...items] = args;
      const allConstant = constants.slice(1).every((c) => c !== NOT_CONSTANT);
      const itemValues = (r: unknown[]) => flattenListItems(allConstant ? (constants.slice(1) as unknown[]) : items.map((i) => i(r)));
      switch (base) {
        case 'in':
        case 'in~': {
          const fold = base === 'in~';
          const key = (v: unknown) => (fold ? foldAscii(asString(v)) : typeof v === 'object' && v !== null ? JSON.stringify(v) : v);
          if (allConstant) {
            const set = new Set(itemValues([]).filter((v) => !isNull(v)).map(key));
            return (r) => {
              const v = operand!(r);
              if (isNull(v)) return negated ? true : false;
              return set.has(key(v)) !== negated;
            };
          }
          return (r) => {
            const v = operand!(r);
            const set = new Set(itemValues(r).map(key));
            return (!isNull(v) && set.has(key(v))) !== negated;
          };
        }
        case 'has_any':
        case 'has_all': {
          const all = base === 'has_all';
          const build = (needles: unknown[]) => needles.map(asString).filter((n) => n !== '').map((n) => new RegExp(termPattern(n, 'term'), 'u'));
          if (allConstant) {
            const needles = itemValues([]);
            if (!all) {
              const folded = needles.map(asString).filter((n) => n !== '').map(foldAscii);
              if (folded.length === 0) return () => negated;
              const matches = termSetMatcher(folded);
              return (r) => matches(foldAscii(asString(operand!(r)))) !== negated;
            }
            const res = build(needles);
            return (r) => {
              const h = asString(operand!(r));
              return res.every((re) => re.test(h)) !== negated;
            };
          }
          return (r) => {
            const h = asString(operand!(r));
            const res = build(itemValues(r));
            const hit = all ? res.every((re) => re.test(h)) : res.some((re) => re.test(h));
            return hit !== negated;
          };
        }
        default:
          throw new Error(`unknown list operator ${op}`);
      }
    },
  };
}
