// Date and time functions. Values are milliseconds since the Unix epoch (UTC).
import type { KqlType } from '../types.js';
import { expecting, simple, DATETIME, NUMERIC, TIMESPAN } from './define.js';
import { lastTickBefore, subMillisecondTicks, ticksInSecond } from '../literals.js';
import { isNumericType, type ScalarFunction } from './types.js';

const DAY = 86_400_000;
/** Kusto bins datetimes from 0001-01-01, not from 1970: this is 1970's distance from it. */
const TICKS_EPOCH_OFFSET_MS = 62_135_596_800_000;

function binValue(value: unknown, size: unknown, type: KqlType): unknown {
  if (value === null || value === undefined || size === null || size === undefined) return null;
  const v = value as number;
  const s = size as number;
  if (s <= 0) return null;
  if (type === 'datetime') return Math.floor((v + TICKS_EPOCH_OFFSET_MS) / s) * s - TICKS_EPOCH_OFFSET_MS;
  return Math.floor(v / s) * s;
}

const binType = (name: string) => (types: readonly KqlType[]) => {
  const t = types[0]!;
  const size = types[1]!;
  if (!isNumericType(size) && size !== 'timespan' && size !== 'dynamic') {
    return { error: `${name}() needs a numeric or timespan bin size, not ${size}`, argIndex: 1 };
  }
  if (t === 'datetime' || t === 'timespan' || isNumericType(t)) {
    return { type: t === 'int' ? ('long' as KqlType) : t };
  }
  return { error: `${name}() needs a number, datetime or timespan, not ${t}`, argIndex: 0 };
};

function startOfDay(v: number, offset = 0): number {
  return Math.floor(v / DAY) * DAY + offset * DAY;
}

/** Weeks start on Sunday (https://learn.microsoft.com/kusto/query/startofweek-function). */
function startOfWeek(v: number, offset = 0): number {
  const day = startOfDay(v);
  return day - new Date(day).getUTCDay() * DAY + offset * 7 * DAY;
}

function startOfMonth(v: number, offset = 0): number {
  const d = new Date(v);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}

function startOfYear(v: number, offset = 0): number {
  return Date.UTC(new Date(v).getUTCFullYear() + offset, 0, 1);
}

/**
 * endofday/endofweek/endofmonth/endofyear: the last tick of the period, 23:59:59.9999999
 * (https://learn.microsoft.com/kusto/query/endofday-function), so `<= endofday(d)` excludes the next midnight.
 */
const endOf = (startOf: (v: number, offset: number) => number) => (v: number, offset = 0) => lastTickBefore(startOf(v, offset + 1));

const daysInMonth = (y: number, month0: number) => new Date(Date.UTC(y, month0 + 1, 0)).getUTCDate();

/**
 * Adds whole months, keeping the time of day; the day is clamped to the target month's last day
 * (https://learn.microsoft.com/kusto/query/datetime-add-function: datetime_add('month', 1, 2024-01-31) is 2024-02-29).
 */
function addMonthsClamped(v: number, months: number): number {
  const d = new Date(Math.floor(v));
  const target = d.getUTCMonth() + months;
  const y = d.getUTCFullYear() + Math.floor(target / 12);
  const m = ((target % 12) + 12) % 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(y, m));
  const date = new Date(Date.UTC(2000, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  date.setUTCFullYear(y);
  return date.getTime() + (v - Math.floor(v));
}

/**
 * Periods from a day down to a microsecond, in 100-ns ticks (datetime_diff and datetime_add work in
 * ticks, as Kusto does); a nanosecond is 1/100 of a tick and handled by each.
 */
const PERIOD_TICKS: Record<string, bigint> = {
  day: 864_000_000_000n, hour: 36_000_000_000n, minute: 600_000_000n, second: 10_000_000n,
  millisecond: 10_000n, microsecond: 10n,
};
const NANOSECONDS_PER_TICK = 100;

/** A datetime (ms) as 100-ns ticks since 1970; nanoseconds are not held below one tick (100 ns). */
function ticksOf(v: number): bigint {
  return BigInt(Math.floor(v)) * 10_000n + BigInt(subMillisecondTicks(v));
}

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/**
 * datetime_diff(period, a, b): the number of period boundaries between b and a
 * (https://learn.microsoft.com/kusto/query/datetime-diff-function); sub-millisecond periods count ticks
 * exactly (a nanosecond is 1/100 of a tick).
 */
function datetimeDiff(period: string, a: number, b: number): number | null {
  const p = period.toLowerCase();
  const da = new Date(a);
  const db = new Date(b);
  switch (p) {
    case 'year':
      return da.getUTCFullYear() - db.getUTCFullYear();
    case 'quarter':
      return (da.getUTCFullYear() * 4 + Math.floor(da.getUTCMonth() / 3)) - (db.getUTCFullYear() * 4 + Math.floor(db.getUTCMonth() / 3));
    case 'month':
      return (da.getUTCFullYear() * 12 + da.getUTCMonth()) - (db.getUTCFullYear() * 12 + db.getUTCMonth());
    case 'week':
      // weeks start on Sunday
      return Math.round((startOfWeek(a) - startOfWeek(b)) / (7 * DAY));
    case 'nanosecond':
      return Number((ticksOf(a) - ticksOf(b)) * BigInt(NANOSECONDS_PER_TICK));
    default: {
      const unit = PERIOD_TICKS[p];
      if (unit === undefined) return null;
      return Number(floorDiv(ticksOf(a), unit) - floorDiv(ticksOf(b), unit));
    }
  }
}

function datetimeAdd(period: string, amount: number, v: number): number | null {
  const p = period.toLowerCase();
  const n = Math.trunc(amount);
  switch (p) {
    case 'year':
      return addMonthsClamped(v, n * 12);
    case 'quarter':
      return addMonthsClamped(v, n * 3);
    case 'month':
      return addMonthsClamped(v, n);
    case 'week':
      return v + n * 7 * DAY;
    case 'nanosecond':
      // a datetime holds whole ticks: what is below one is dropped
      return v + Math.trunc(n / NANOSECONDS_PER_TICK) / 10_000;
    default: {
      const unit = PERIOD_TICKS[p];
      return unit === undefined ? null : v + (n * Number(unit)) / 10_000;
    }
  }
}

/**
 * format_datetime specifiers (https://learn.microsoft.com/kusto/query/format-datetime-function): y is the
 * year from 0 to 99, yy two digits, yyyy four; M/MM month; d/dd day; h/hh 12-hour; H/HH 24-hour; m/mm;
 * s/ss; f..fffffff fraction digits; F..FFFFFFF the same without trailing zeros; tt AM/PM.
 */
const FORMAT_TOKEN = /yyyy|yy|y|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|f{1,7}|F{1,7}|tt/g;

function formatDatetimeWith(v: number, format: string): string {
  const d = new Date(Math.floor(v));
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const fracTicks = String(ticksInSecond(v)).padStart(7, '0');
  return format.replace(FORMAT_TOKEN, (tok) => {
    switch (tok) {
      case 'yyyy': return pad(d.getUTCFullYear(), 4);
      case 'yy': return pad(d.getUTCFullYear() % 100);
      case 'y': return String(d.getUTCFullYear() % 100);
      case 'MM': return pad(d.getUTCMonth() + 1);
      case 'M': return String(d.getUTCMonth() + 1);
      case 'dd': return pad(d.getUTCDate());
      case 'd': return String(d.getUTCDate());
      case 'HH': return pad(d.getUTCHours());
      case 'H': return String(d.getUTCHours());
      case 'hh': return pad(d.getUTCHours() % 12 || 12);
      case 'h': return String(d.getUTCHours() % 12 || 12);
      case 'mm': return pad(d.getUTCMinutes());
      case 'm': return String(d.getUTCMinutes());
      case 'ss': return pad(d.getUTCSeconds());
      case 's': return String(d.getUTCSeconds());
      case 'tt': return d.getUTCHours() < 12 ? 'AM' : 'PM';
      default:
        if (tok[0] === 'f') return fracTicks.slice(0, tok.length);
        return fracTicks.slice(0, tok.length).replace(/0+$/, '');
    }
  });
}

const nullable = <T extends unknown[]>(f: (...a: T) => unknown) => (...a: T) => (a.some((x) => x === null || x === undefined) ? null : f(...a));

export const datetimeFunctions: readonly ScalarFunction[] = [
  {
    name: 'now',
    minArgs: 0,
    maxArgs: 1,
    resultType: expecting('datetime', TIMESPAN),
    compile(args, _t, ctx) {
      const offset = args[0];
      if (!offset) return () => ctx.now;
      return (r) => {
        const o = offset(r);
        return o === null ? null : ctx.now + (o as number);
      };
    },
  },
  {
    name: 'ago',
    minArgs: 1,
    maxArgs: 1,
    resultType: expecting('datetime', TIMESPAN),
    compile(args, _t, ctx) {
      const span = args[0]!;
      return (r) => {
        const o = span(r);
        return o === null ? null : ctx.now - (o as number);
      };
    },
  },
  {
    name: 'bin',
    minArgs: 2,
    maxArgs: 2,
    resultType: binType('bin'),
    compile([value, size], types) {
      const t = types[0]!;
      return (r) => binValue(value!(r), size!(r), t);
    },
  },
  {
    name: 'floor',
    minArgs: 2,
    maxArgs: 2,
    resultType: binType('floor'),
    compile([value, size], types) {
      const t = types[0]!;
      return (r) => binValue(value!(r), size!(r), t);
    },
  },
  ...periodFunctions('day', startOfDay),
  ...periodFunctions('week', startOfWeek),
  ...periodFunctions('month', startOfMonth),
  ...periodFunctions('year', startOfYear),
  simple('dayofweek', 1, 1, expecting('timespan', DATETIME), nullable((v: unknown) => new Date(v as number).getUTCDay() * DAY)),
  simple('getyear', 1, 1, expecting('int', DATETIME), nullable((v: unknown) => new Date(v as number).getUTCFullYear())),
  simple('getmonth', 1, 1, expecting('int', DATETIME), nullable((v: unknown) => new Date(v as number).getUTCMonth() + 1)),
  simple('hourofday', 1, 1, expecting('int', DATETIME), nullable((v: unknown) => new Date(v as number).getUTCHours())),
  simple('format_datetime', 2, 2, expecting('string', DATETIME, ['string']), (v, f) => (v === null || v === undefined ? '' : formatDatetimeWith(v as number, String(f)))),
  simple('datetime_diff', 3, 3, expecting('long', ['string'], DATETIME, DATETIME), nullable((p: unknown, a: unknown, b: unknown) => datetimeDiff(String(p), a as number, b as number))),
  simple('datetime_add', 3, 3, expecting('datetime', ['string'], NUMERIC, DATETIME), nullable((p: unknown, n: unknown, v: unknown) => datetimeAdd(String(p), Number(n), v as number))),
  simple('unixtime_seconds_todatetime', 1, 1, expecting('datetime', NUMERIC), nullable((s: unknown) => Number(s) * 1000)),
  simple('unixtime_milliseconds_todatetime', 1, 1, expecting('datetime', NUMERIC), nullable((s: unknown) => Number(s))),
];

/** startof<period>(date [, offset]) and endof<period>(date [, offset]). */
function periodFunctions(period: string, startOf: (v: number, offset?: number) => number): ScalarFunction[] {
  const end = endOf((v, offset) => startOf(v, offset));
  return [
    simple(`startof${period}`, 1, 2, expecting('datetime', DATETIME, NUMERIC), nullable((v: unknown, offset?: unknown) => startOf(v as number, Math.trunc(Number(offset ?? 0))))),
    simple(`endof${period}`, 1, 2, expecting('datetime', DATETIME, NUMERIC), nullable((v: unknown, offset?: unknown) => end(v as number, Math.trunc(Number(offset ?? 0))))),
  ];
}
