// Conversion, conditional, dynamic-value and IPv4 functions.
import type { KqlType } from '../types.js';
import { compareNonNull, textConverter, valuesEqual, valueToString } from '../values.js';
import { expecting, returns, simple, typed, NUMERIC, type TypeRule } from './define.js';
import { toDynamicElement } from './dynamicValues.js';
import { isNumericType, promoteNumeric, type Compiled, type ScalarFunction, type TypeResult } from './types.js';

function convert(name: string, type: KqlType, fromString: (s: string) => unknown, fromNumber?: (n: number) => unknown): ScalarFunction {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    resultType: returns(type),
    compile([a], types) {
      const source = types[0]!;
      return (r) => {
        const v = a!(r);
        if (v === null || v === undefined) return null;
        if (typeof v === 'string') {
          const out = fromString(v);
          return out === undefined ? null : out;
        }
        if (typeof v === 'number') {
          if (source === type || (isNumericType(source) && isNumericType(type) && !fromNumber)) return v;
          return fromNumber ? fromNumber(v) : null;
        }
        if (typeof v === 'boolean') return fromNumber ? fromNumber(v ? 1 : 0) : null;
        return null;
      };
    },
  };
}

function commonType(types: readonly KqlType[], strict = false): TypeResult {
  let t: KqlType | undefined;
  for (let i = 0; i < types.length; i++) {
    const u = types[i]!;
    if (t === undefined || t === u) t = u;
    else if (isNumericType(t) && isNumericType(u)) t = promoteNumeric(t, u);
    else if (t === 'dynamic' || u === 'dynamic') t = t === 'dynamic' ? u : t;
    // iff/case accept mixed branch types (the first branch's type wins); coalesce does not
    else if (strict) return { error: 'no common type can be determined from the arguments', argIndex: i };
  }
  return { type: t ?? 'dynamic' };
}

const truthy = (v: unknown) => v === true;

// ---------- IPv4 ----------

function parseIpv4(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = Number(m[i]);
    if (part > 255) return undefined;
    n = n * 256 + part;
  }
  return n;
}

/**
 * An IPv4 address in IP-prefix (CIDR) notation, `a.b.c.d[/bits]`: the documented form of both the
 * address and the range arguments of ipv4_is_private / ipv4_is_in_range / ipv4_is_in_any_range
 * (https://learn.microsoft.com/kusto/query/ipv4-is-private-function: ipv4_is_private('192.168.1.1/24') == true).
 * The address is masked by its prefix.
 */
function parseRange(s: unknown): { base: number; mask: number } | undefined {
  if (typeof s !== 'string') return undefined;
  const [ip, bits, extra] = s.trim().split('/');
  if (extra !== undefined) return undefined;
  const base = parseIpv4(ip);
  if (base === undefined) return undefined;
  const prefix = bits === undefined ? 32 : /^\d{1,2}$/.test(bits.trim()) ? Number(bits) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (base & mask) >>> 0, mask };
}

/** Whether an address (itself possibly masked) lies in a range; null when either does not parse. */
function inRange(ip: unknown, range: unknown): boolean | null {
  const a = parseRange(ip);
  const r = parseRange(range);
  if (a === undefined || r === undefined) return null;
  return ((a.base & r.mask) >>> 0) === r.base;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/**
 * Two addresses compared under the combined mask: the shorter of their own prefixes and the optional
 * `prefix` argument (https://learn.microsoft.com/kusto/query/ipv4-is-match-function,
 * ipv4-compare-function): -1, 0 or 1 by their masked long values; null when either does not parse.
 */
function compareIpv4(a: unknown, b: unknown, prefix?: unknown): number | null {
  const x = parseRange(a);
  const y = parseRange(b);
  if (x === undefined || y === undefined) return null;
  let mask = (x.mask & y.mask) >>> 0;
  if (prefix !== undefined && prefix !== null) {
    const p = Number(prefix);
    if (!Number.isInteger(p) || p < 0 || p > 32) return null;
    mask = (mask & (p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0)) >>> 0;
  }
  const l = (x.base & mask) >>> 0;
  const r = (y.base & mask) >>> 0;
  return l < r ? -1 : l > r ? 1 : 0;
}

export const miscFunctions: readonly ScalarFunction[] = [
  simple('isnull', 1, 1, returns('bool'), (v) => v === null || v === undefined),
  simple('isnotnull', 1, 1, returns('bool'), (v) => !(v === null || v === undefined)),
  simple('not', 1, 1, expecting('bool', ['bool']), (v) => (v === null || v === undefined ? null : !v)),
  {
    name: 'tostring',
    minArgs: 1,
    maxArgs: 1,
    resultType: returns('string'),
    compile([a], types) {
      const t = types[0]!;
      return (r) => valueToString(a!(r), t);
    },
  },
  // toint converts to a signed 32-bit integer, truncating a fraction; a value outside that range does
  // not convert and is null, as "otherwise, the result is null" (https://learn.microsoft.com/kusto/query/toint-function)
  convert('toint', 'int', textConverter('int'), (n) => {
    const t = Math.trunc(n);
    return t >= -(2 ** 31) && t < 2 ** 31 ? t : null;
  }),
  convert('tolong', 'long', textConverter('long'), (n) => Math.trunc(n)),
  convert('toreal', 'real', textConverter('real'), (n) => n),
  convert('todouble', 'real', textConverter('real'), (n) => n),
  convert('todecimal', 'decimal', textConverter('decimal'), (n) => n),
  convert('tobool', 'bool', textConverter('bool'), (n) => n !== 0),
  convert('toboolean', 'bool', textConverter('bool'), (n) => n !== 0),
  convert('todatetime', 'datetime', textConverter('datetime')),
  convert('totimespan', 'timespan', textConverter('timespan')),
  convert('toguid', 'guid', textConverter('guid')),
  {
    name: 'iff',
    minArgs: 3,
    maxArgs: 3,
    resultType: (types) => (types[0] !== 'bool' && types[0] !== 'dynamic' ? { error: 'the condition of iff() must be bool', argIndex: 0 } : commonType(types.slice(1))),
    compile([c, a, b]) {
      return (r) => (c!(r) === true ? a!(r) : b!(r));
    },
  },
  {
    name: 'case',
    minArgs: 3,
    maxArgs: 1001,
    resultType: (types) => {
      if (types.length % 2 === 0) return { error: 'case() needs predicate/value pairs and an else value' };
      for (let i = 0; i < types.length - 1; i += 2) {
        if (types[i] !== 'bool' && types[i] !== 'dynamic') return { error: `argument ${i + 1} of case() must be bool`, argIndex: i };
      }
      return commonType(types.filter((_, i) => i % 2 === 1 || i === types.length - 1));
    },
    compile(args) {
      const pairs: [Compiled, Compiled][] = [];
      for (let i = 0; i < args.length - 1; i += 2) pairs.push([args[i]!, args[i + 1]!]);
      const otherwise = args[args.length - 1]!;
      return (r) => {
        for (const [p, v] of pairs) if (truthy(p(r))) return v(r);
        return otherwise(r);
      };
    },
  },
  {
    name: 'coalesce',
    minArgs: 1,
    maxArgs: 64,
    resultType: (types) => commonType(types, true),
    compile(args, types) {
      const isString = types[0] === 'string';
      return (r) => {
        for (const a of args) {
          const v = a(r);
          if (v !== null && v !== undefined && !(isString && v === '')) return v;
        }
        return isString ? '' : null;
      };
    },
  },
  simple('abs', 1, 1, (t) => ({ type: t[0]! }), (v) => (v === null || v === undefined ? null : Math.abs(v as number))),
  simple('round', 1, 2, expecting('real', NUMERIC), (v, p) => {
    if (v === null || v === undefined) return null;
    const f = 10 ** Number(p ?? 0);
    return Math.round((v as number) * f) / f;
  }),
  // dynamic
  simple('parse_json', 1, 1, returns('dynamic'), parseJsonLenient),
  simple('todynamic', 1, 1, returns('dynamic'), parseJsonLenient),
  simple('array_length', 1, 1, (t) => (t[0] === 'dynamic' ? { type: 'long' } : { error: 'the value must be a dynamic array', argIndex: 0 }), (v) => (Array.isArray(v) ? v.length : null)),
  simple('set_has_element', 2, 2, returns('bool'), (arr, v) => (Array.isArray(arr) ? arr.some((x) => valuesEqual(x, v)) : null)),
  simple('array_index_of', 2, 2, returns('long'), (arr, v) => (Array.isArray(arr) ? arr.findIndex((x) => valuesEqual(x, v)) : null)),
  // values enter the array as dynamic values: a timespan is its text ("00:00:02"), a datetime its ISO text
  // (https://learn.microsoft.com/kusto/query/pack-array-function)
  typed('pack_array', 1, 64, returns('dynamic'), (types) => (...vals) => vals.map((v, i) => toDynamicElement(v, types[i]!))),
  simple('array_concat', 1, 64, returns('dynamic'), (...vals) => (vals.every(Array.isArray) ? (vals as unknown[][]).flat() : null)),
  arraySort('array_sort_asc', 1),
  arraySort('array_sort_desc', -1),
  {
    name: 'bag_pack',
    minArgs: 0,
    maxArgs: 128,
    resultType: (types) => (types.length % 2 === 0 ? { type: 'dynamic' } : { error: 'bag_pack() needs key/value pairs' }),
    compile: packCompile,
  },
  {
    name: 'pack',
    minArgs: 0,
    maxArgs: 128,
    resultType: (types) => (types.length % 2 === 0 ? { type: 'dynamic' } : { error: 'pack() needs key/value pairs' }),
    compile: packCompile,
  },
  // IPv4
  simple('ipv4_is_in_range', 2, 2, returns('bool'), inRange),
  simple('ipv4_is_private', 1, 1, returns('bool'), (ip) => {
    if (parseRange(ip) === undefined) return null;
    return PRIVATE_RANGES.some((r) => inRange(ip, r) === true);
  }),
  simple('ipv4_compare', 2, 3, returns('long'), compareIpv4),
  simple('ipv4_is_match', 2, 3, returns('bool'), (a, b, prefix) => {
    const c = compareIpv4(a, b, prefix);
    return c === null ? null : c === 0;
  }),
  // https://learn.microsoft.com/kusto/query/parse-ipv4-function: the address (masked by its prefix) as a long
  simple('parse_ipv4', 1, 1, returns('long'), (ip) => parseRange(ip)?.base ?? null),
  simple('ipv4_is_in_any_range', 2, 64, returns('bool'), (ip, ...ranges) => {
    if (parseRange(ip) === undefined) return null;
    const list = ranges.length === 1 && Array.isArray(ranges[0]) ? (ranges[0] as unknown[]) : ranges;
    return list.some((r) => inRange(ip, r) === true);
  }),
  {
    name: 'isnan',
    minArgs: 1,
    maxArgs: 1,
    resultType: expecting('bool', NUMERIC),
    compile([a]) {
      return (r) => Number.isNaN(a!(r));
    },
  },
];

function packCompile(args: readonly Compiled[], types: readonly KqlType[]): Compiled {
  return (r) => {
    const bag: Record<string, unknown> = {};
    for (let i = 0; i + 1 < args.length; i += 2) {
      bag[String(args[i]!(r))] = toDynamicElement(args[i + 1]!(r), types[i + 1]!);
    }
    return bag;
  };
}

function parseJsonLenient(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * array_sort_asc / array_sort_desc (array [, nulls_last]): numbers numerically, strings ordinally, nulls
 * last unless nulls_last is false (https://learn.microsoft.com/kusto/query/array-sort-asc-function).
 * Values of different kinds order by kind, as documented: numbers, strings, then all other values (booleans,
 * arrays, bags), whichever the direction.
 */
function arraySort(name: string, sign: 1 | -1): ScalarFunction {
  // numbers (datetimes and timespans, held as text in a dynamic value, sort as strings), strings, then the rest
  const kind = (v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  const sortOne = expecting('dynamic', ['dynamic'], ['bool']);
  const resultType: TypeRule = (types, constants) => {
    // several arrays sorted together give one result column each (array1_sorted, array2_sorted): not run here
    if (types.length > 2 || (types.length === 2 && types[1] === 'dynamic')) {
      return { error: 'sorting several arrays together (one result column per array) is not supported; sort one array', argIndex: 1, unsupported: true };
    }
    return sortOne(types, constants);
  };
  return simple(name, 1, 64, resultType, (v, nullsLast) => {
    if (!Array.isArray(v)) return null;
    const last = nullsLast !== false;
    const isNull = (x: unknown) => x === null || x === undefined;
    return [...v].sort((a, b) => {
      if (isNull(a) || isNull(b)) return isNull(a) && isNull(b) ? 0 : (isNull(a) === last ? 1 : -1);
      const ka = kind(a);
      const kb = kind(b);
      if (ka !== kb) return ka - kb;
      return compareNonNull(a, b) * sign;
    });
  });
}
