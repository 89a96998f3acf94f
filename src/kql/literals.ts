// Conversions of literal text to the engine's internal values (datetime and timespan as
// milliseconds). Shared by the parser (typed literals), the scalar functions (todatetime,
// totimespan) and the data loader.
import { timespanUnitMs } from './lexer.js';

// Datetime text formats, as listed by https://learn.microsoft.com/kusto/query/scalar-data-types/datetime
// ("Supported formats"). Kusto datetimes are UTC: a value without a zone is read as UTC, never in the
// host's time zone, and nothing falls back to Date.parse.
//   ISO 8601 and Sortable: 2014-05-25T08:20:03.123456Z, 2014-11-08 15:55:55, 2014-11-08 15:55, 2014-11-08,
//     2014-11-8 15:05:25 GMT (month and day may have one digit; the zone is Z or an offset, or after a
//     space GMT / UTC / UT or an RFC 822 North American zone).
const ISO_LIKE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:\s*(Z|[+-]\d{2}(?::?\d{2})?)|\s+(GMT|UTC|UT|[ECMP][SD]T))?)?$/i;
//   RFC 822: Sat, 8 Nov 14 15:05:02 GMT, 8 Nov 14 15:05 (weekday and zone optional);
//   RFC 850: Saturday, 08-Nov-14 15:05:02 GMT. A four-digit year is accepted too (RFC 1123).
const RFC_822_850 =
  /^(?:(mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday),\s*)?(\d{1,2})([ -])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\3(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(?:\s+(GMT|UTC|UT|Z|[ECMP][SD]T|[+-]\d{2}:?\d{2}))?$/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 822 North American zone names, hours from UTC. */
const ZONE_HOURS: Readonly<Record<string, number>> = { EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7 };

/** Offset of a zone designator in minutes east of UTC; undefined when it is not one. */
function zoneMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined) return 0;
  const z = zone.toUpperCase();
  if (z === 'Z' || z === 'GMT' || z === 'UTC' || z === 'UT') return 0;
  const named = ZONE_HOURS[z];
  if (named !== undefined) return named * 60;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
  if (!m) return undefined;
  const h = Number(m[2]);
  const min = Number(m[3] ?? 0);
  if (h > 23 || min > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min);
}

/** UTC whole milliseconds of a calendar date and time; undefined when a field is out of range (2026-02-31, 24:00). */
function utcMs(y: number, mo: number, d: number, h: number, mi: number, sec: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return undefined;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1]! || (mo === 2 && d === 29 && !leap)) return undefined;
  // Date.UTC maps years 0-99 to 1900-1999; set the full year explicitly
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, sec));
  date.setUTCFullYear(y);
  return date.getTime();
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Fast path for the canonical form data files use, `2026-11-21T10:00:00[.fffffff]Z`: no regular
 * expression, no intermediate Date. Returns undefined for anything else.
 */
function parseCanonicalUtc(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */ || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  if (d > DAYS_IN_MONTH[mo - 1]! || (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))) return undefined;
  const whole = Date.UTC(y, mo - 1, d, h, mi, sec);
  if (n === 20) return whole;
  if (s[19] !== '.' || n - 21 > 9 || n - 21 < 1 || digits(s, 20, n - 21) < 0) return undefined;
  return withFraction(whole, s.slice(20, n - 1));
}

/** Parses a Kusto datetime literal body or a data value (a documented format, UTC); undefined when it is not a date. */
export function parseDatetime(text: string): number | undefined {
  const fast = parseCanonicalUtc(text);
  if (fast !== undefined) return fast;
  const s = text.trim();
  const iso = ISO_LIKE.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, offset, name] = iso;
    const zone = zoneMinutes(offset ?? name);
    const ms = utcMs(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0));
    return ms === undefined || zone === undefined ? undefined : withFraction(ms - zone * 60_000, frac);
  }
  const rfc = RFC_822_850.exec(s);
  if (rfc) {
    const [, , d, , mon, yText, h, mi, sec, frac, zoneText] = rfc;
    let y = Number(yText);
    // two-digit years: 00-49 are 2000-2049, 50-99 are 1950-1999 (the .NET convention Kusto parses with)
    if (yText!.length === 2) y += y < 50 ? 2000 : 1900;
    const zone = zoneMinutes(zoneText);
    const ms = utcMs(y, MONTHS.indexOf(mon!.toLowerCase()) + 1, Number(d), Number(h), Number(mi), Number(sec ?? 0));
    return ms === undefined || zone === undefined ? undefined : withFraction(ms - zone * 60_000, frac);
  }
  return undefined;
}

/**
 * The one way the hunter turns text into a Date (an architecture test keeps it so): the documented Kusto
 * formats, UTC unless the text names its zone. `new Date(text)` and `Date.parse` would read a zone-less
 * time in the host's time zone.
 */
export function parseUtcDate(text: string): Date | undefined {
  const ms = parseDatetime(text);
  return ms === undefined ? undefined : new Date(ms);
}

const CLOCK = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;
const UNIT = /^(-)?(\d+(?:\.\d+)?)\s*([a-z]+)$/i;

/** Parses a timespan: `5d`, `1.5h`, `100ms`, `1.02:03:04.5`, `00:30:00`, a bare number of days. */
export function parseTimespan(text: string): number | undefined {
  const s = text.trim();
  const clock = CLOCK.exec(s);
  if (clock) {
    const [, neg, days, h, m, sec, frac] = clock;
    const ms =
      Number(days ?? 0) * 86_400_000 + Number(h) * 3_600_000 + Number(m) * 60_000 + Number(sec ?? 0) * 1000 +
      (frac ? Number('0.' + frac) * 1000 : 0);
    return neg ? -ms : ms;
  }
  const unit = UNIT.exec(s);
  if (unit) {
    const per = timespanUnitMs(unit[3]!.toLowerCase());
    if (per === undefined) return undefined;
    const ms = Number(unit[2]) * per;
    return unit[1] ? -ms : ms;
  }
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s) * 86_400_000;
  return undefined;
}

// ---------- ticks ----------
// Kusto's clock has 100-ns ticks; the engine holds datetimes and timespans as milliseconds in a
// double, which near today's dates (1.7e12 ms) resolves about 0.24 µs, not one tick. The last tick
// before an instant (endofday, endofmonth, ...) is therefore held as the largest double below it, and
// read back as "one tick before" by the formatters, so it prints as .9999999 and compares below the
// instant.

const F64 = new Float64Array(1);
const I64 = new BigInt64Array(F64.buffer);

/** The largest double below `ms` (for ms > 0): Kusto's "last tick before", as close as the engine holds it. */
export function lastTickBefore(ms: number): number {
  F64[0] = ms;
  I64[0] = I64[0]! + (ms > 0 ? -1n : 1n);
  return ms === 0 ? -0.0001 : F64[0]!;
}

function nextDouble(ms: number): number {
  F64[0] = ms;
  I64[0] = I64[0]! + (ms >= 0 ? 1n : -1n);
  return F64[0]!;
}

/**
 * A second's fraction (its digits as written, up to 7 kept: 100-ns ticks) added to a whole-millisecond
 * instant: the one way a fraction enters a datetime.
 */
export function withFraction(wholeMs: number, digits: string | undefined): number {
  if (!digits) return wholeMs;
  const ticks = Number((digits + '000000').slice(0, 7));
  const ms = wholeMs + Math.floor(ticks / 10_000);
  const sub = ticks % 10_000;
  if (sub === 0) return ms;
  const v = ms + sub / 10_000;
  // a fraction just below the next millisecond may round up to it: keep it below, as the last tick
  return v >= ms + 1 ? lastTickBefore(ms + 1) : v;
}

/**
 * Ticks (0..9999) of the sub-millisecond part of `ms`, to the nearest (a double near today's dates
 * holds about 2.4 ticks per step, so the 7th fractional digit may be off by one); the last double of
 * a millisecond is its last tick.
 */
export function subMillisecondTicks(ms: number): number {
  const whole = Math.floor(ms);
  if (ms === whole) return 0;
  if (nextDouble(ms) >= whole + 1) return 9999;
  return Math.min(9999, Math.round((ms - whole) * 10_000));
}

/** Ticks (0..9_999_999) within the second of `ms` (counted from the second's start, also before 1970). */
export function ticksInSecond(ms: number): number {
  const whole = Math.floor(ms);
  return (((whole % 1000) + 1000) % 1000) * 10_000 + subMillisecondTicks(ms);
}

/** Kusto's text form of a timespan: [-][d.]hh:mm:ss[.fffffff] */
export function formatTimespan(ms: number): string {
  const negative = ms < 0;
  const abs = Math.abs(ms);
  let rest = Math.floor(abs / 1000);
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const ticks = ticksInSecond(abs);
  const pad = (v: number, w = 2) => String(v).padStart(w, '0');
  return (negative ? '-' : '') + (days ? `${days}.` : '') + `${pad(h)}:${pad(m)}:${pad(s)}` + (ticks ? '.' + pad(ticks, 7) : '');
}

const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function parseGuid(text: string): string | undefined {
  const s = text.trim();
  if (!GUID.test(s)) return undefined;
  const hex = s.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
