// Internal value model: datetime and timespan are numbers of milliseconds, strings are never null
// (Kusto's string type has no null: missing strings are ''), dynamic is a plain JS value.
import { formatTimespan, parseDatetime, parseGuid, parseTimespan, ticksInSecond } from './literals.js';
import type { KqlType } from './types.js';

/**
 * The value a cell of static type `type` holds when it has none: '' for strings (Kusto's string
 * type has no null, https://learn.microsoft.com/kusto/query/scalar-data-types/null-values), else null.
 * The one rule every fill (union, outer joins, lookup, summarize defaults, mv-expand) and every
 * string-typed expression goes through.
 */
export function nullOf(type: KqlType): '' | null {
  return type === 'string' ? '' : null;
}

/** A row with no values for `schema`: '' in string columns, null elsewhere. */
export function emptyRow(schema: readonly { readonly type: KqlType }[]): unknown[] {
  return schema.map((c) => nullOf(c.type));
}

/** tostring() of a value of a known type. */
export function valueToString(value: unknown, type: KqlType): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'string':
    case 'guid':
      return String(value);
    case 'datetime':
      return formatKustoDatetime(value as number);
    case 'timespan':
      return formatTimespan(value as number);
    case 'dynamic':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'bool':
      return value ? 'true' : 'false';
    default:
      return String(value);
  }
}

/**
 * Kusto's text of a datetime: ISO-8601 UTC with 7 fractional digits when there is a fraction
 * (tostring, strcat), or always (`fixed`: a datetime inside a dynamic value, as
 * https://learn.microsoft.com/kusto/query/scalar-data-types/dynamic serialises it).
 */
export function formatKustoDatetime(ms: number, fixed = false): string {
  const second = Math.floor(ms / 1000) * 1000;
  const iso = new Date(second).toISOString().slice(0, 19);
  const ticks = ticksInSecond(ms);
  return ticks === 0 && !fixed ? iso + 'Z' : `${iso}.${String(ticks).padStart(7, '0')}Z`;
}

/**
 * A value of static type `type` as an element of a dynamic array or bag: datetimes and timespans
 * become their Kusto text (pack_array(..., 2s) holds "00:00:02", https://learn.microsoft.com/kusto/query/pack-array-function).
 */
export function toDynamicValue(v: unknown, type: KqlType): unknown {
  if (v === undefined || v === null) return null;
  if (type === 'datetime' && typeof v === 'number') return formatKustoDatetime(v, true);
  if (type === 'timespan' && typeof v === 'number') return formatTimespan(v);
  return v;
}

/** Total order used by sort, top, min/max and arg_max: numbers numerically, strings ordinally. */
export function compareNonNull(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A stable key for grouping and de-duplication (make_set, distinct, summarize by, join keys). */
export function groupKey(v: unknown): string {
  if (v === null || v === undefined) return '\u0000n';
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
      return 'n' + v;
    case 'boolean':
      return v ? 'T' : 'F';
    default:
      return 'j' + JSON.stringify(v);
  }
}

/** The grouping key of several values together (distinct, summarize by, make-series by, pivot). */
export const groupKeyOf = (values: readonly unknown[]): string => values.map(groupKey).join('\u0001');

/** Equality of two non-null values of comparable types (dynamic compares by JSON). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** A public value (a provider's row) in the internal representation: Date → ms, a missing string → ''. */
export function toInternalValue(value: unknown, type: KqlType): unknown {
  if (value === null || value === undefined) return nullOf(type);
  return value instanceof Date ? value.getTime() : value;
}

/** Converts a value of a column type to the public representation (datetime → Date). */
export function toPublicValue(value: unknown, type: KqlType): unknown {
  if (value === undefined) return null;
  if (type === 'datetime' && typeof value === 'number') return new Date(value);
  return value;
}

const INTEGER_TEXT = /^[+-]?\d+(\.\d+)?$/;
const NON_DECIMAL = /^[+-]?0[xXbBoO]/;

/**
 * How text converts to a value of `type`, as the to*() functions and extract(..., typeof(T)) read it;
 * null when the text is not such a value. An int is 32-bit: text outside that range does not convert
 * (https://learn.microsoft.com/kusto/query/toint-function).
 */
export function textConverter(type: KqlType): (text: string) => unknown {
  switch (type) {
    case 'long':
    case 'int': {
      const limit = type === 'int' ? 2 ** 31 : Infinity;
      return (text) => {
        const t = text.trim();
        if (!INTEGER_TEXT.test(t)) return null;
        const n = Math.trunc(Number(t));
        return n >= -limit && n < limit ? n : null;
      };
    }
    case 'real':
    case 'decimal':
      return (text) => {
        const t = text.trim();
        // JavaScript's Number() also reads 0x/0b/0o integers, which are not real literals
        if (t === '' || NON_DECIMAL.test(t)) return null;
        const n = Number(t);
        return Number.isNaN(n) ? null : n;
      };
    case 'bool':
      return (text) => {
        const t = text.trim().toLowerCase();
        return t === 'true' ? true : t === 'false' ? false : null;
      };
    case 'datetime':
      return (text) => parseDatetime(text) ?? null;
    case 'timespan':
      return (text) => parseTimespan(text) ?? null;
    case 'guid':
      return (text) => parseGuid(text) ?? null;
    case 'dynamic':
      return (text) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      };
    case 'string':
      return (text) => text;
  }
}
