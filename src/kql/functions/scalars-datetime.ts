// Date and time functions. Values are milliseconds since the Unix epoch (UTC).
import type { KqlType } from '../types.js';
import { expecting, simple, DATETIME, NUMERIC, TIMESPAN } from './define.js';
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

function startOfDay(v: number): number {
  return Math.floor(v / DAY) * DAY;
}

function addMonths(v: number, months: number): number {
  const d = new Date(v);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

const PERIOD_MS: Record<string, number> = {
  day: DAY, hour: 3_600_000, minute: 60_000, second: 1000, millisecond: 1, microsecond: 0.001, nanosecond: 0.000001,
};

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
    case 'week': {
      // weeks start on Sunday; 1970-01-04 was a Sunday
      const week = (v: number) => Math.floor((v - 3 * DAY) / (7 * DAY));
      return week(a) - week(b);
    }
    default: {
      const unit = PERIOD_MS[p];
      if (unit === undefined) return null;
      return Math.floor(a / unit) - Math.floor(b / unit);
    }
  }
}

function datetimeAdd(period: string, amount: number, v: number): number | null {
  const p = period.toLowerCase();
  switch (p) {
    case 'year': {
      const d = new Date(v);
      d.setUTCFullYear(d.getUTCFullYear() + amount);
      return d.getTime();
    }
    case 'quarter':
    case 'month': {
      const d = new Date(v);
      d.setUTCMonth(d.getUTCMonth() + amount * (p === 'quarter' ? 3 : 1));
      return d.getTime();
    }
    case 'week':
      return v + amount * 7 * DAY;
    default: {
      const unit = PERIOD_MS[p];
      return unit === undefined ? null : v + amount * unit;
    }
  }
}

const FORMAT_TOKEN = /yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|f{1,7}|F{1,7}|tt/g;

function formatDatetimeWith(v: number, format: string): string {
  const d = new Date(v);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const fracTicks = String(Math.round((v - Math.floor(v / 1000) * 1000) * 10_000)).padStart(7, '0');
  return format.replace(FORMAT_TOKEN, (tok) => {
    switch (tok) {
      case 'yyyy': return pad(d.getUTCFullYear(), 4);
      case 'yy': return pad(d.getUTCFullYear() % 100);
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
  simple('startofday', 1, 2, expecting('datetime', DATETIME, NUMERIC), nullable((v: unknown, offset?: unknown) => startOfDay(v as number) + Number(offset ?? 0) * DAY)),
  simple('endofday', 1, 2, expecting('datetime', DATETIME, NUMERIC), nullable((v: unknown, offset?: unknown) => startOfDay(v as number) + (Number(offset ?? 0) + 1) * DAY - 0.0001)),
  simple('startofweek', 1, 2, expecting('datetime', DATETIME, NUMERIC), nullable((v: unknown, offset?: unknown) => {
    const day = startOfDay(v as number);
    const dow = new Date(day).getUTCDay();
    return day - dow * DAY + Number(offset ?? 0) * 7 * DAY;
  })),
  simple('startofmonth', 1, 2, expecting('datetime', DATETIME, NUMERIC), nullable((v: unknown, offset?: unknown) => addMonths(v as number, Number(offset ?? 0)))),
  simple('startofyear', 1, 2, expecting('datetime', DATETIME, NUMERIC), nullable((v: unknown, offset?: unknown) => Date.UTC(new Date(v as number).getUTCFullYear() + Number(offset ?? 0), 0, 1))),
  simple('dayofweek', 1, 1, expecting('timespan', DATETIME), nullable((v: unknown) => new Date(v as number).getUTCDay() * DAY)),
  simple('getyear', 1, 1, expecting('long', DATETIME), nullable((v: unknown) => new Date(v as number).getUTCFullYear())),
  simple('getmonth', 1, 1, expecting('long', DATETIME), nullable((v: unknown) => new Date(v as number).getUTCMonth() + 1)),
  simple('hourofday', 1, 1, expecting('long', DATETIME), nullable((v: unknown) => new Date(v as number).getUTCHours())),
  simple('format_datetime', 2, 2, expecting('string', DATETIME, ['string']), (v, f) => (v === null || v === undefined ? '' : formatDatetimeWith(v as number, String(f)))),
  simple('datetime_diff', 3, 3, expecting('long', ['string'], DATETIME, DATETIME), nullable((p: unknown, a: unknown, b: unknown) => datetimeDiff(String(p), a as number, b as number))),
  simple('datetime_add', 3, 3, expecting('datetime', ['string'], NUMERIC, DATETIME), nullable((p: unknown, n: unknown, v: unknown) => datetimeAdd(String(p), Number(n), v as number))),
  simple('unixtime_seconds_todatetime', 1, 1, expecting('datetime', NUMERIC), nullable((s: unknown) => Number(s) * 1000)),
  simple('unixtime_milliseconds_todatetime', 1, 1, expecting('datetime', NUMERIC), nullable((s: unknown) => Number(s))),
];
