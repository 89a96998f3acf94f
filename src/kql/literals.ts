// Conversions of literal text to the engine's internal values (datetime and timespan as
// milliseconds). Shared by the parser (typed literals), the scalar functions (todatetime,
// totimespan) and the data loader.
import { timespanUnitMs } from './lexer.js';

const ISO_LIKE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

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
  let frac = 0;
  if (n > 20) {
    if (s[19] !== '.' || n - 21 > 9 || n - 21 < 1) return undefined;
    const f = digits(s, 20, n - 21);
    if (f < 0) return undefined;
    frac = (f / 10 ** (n - 21)) * 1000;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec) + frac;
}

/** Parses a Kusto datetime literal body or a data value; undefined when it is not a date. */
export function parseDatetime(text: string): number | undefined {
  const fast = parseCanonicalUtc(text);
  if (fast !== undefined) return fast;
  const s = text.trim();
  const m = ISO_LIKE.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, sec, frac, zone] = m;
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0));
    if (Number.isNaN(ms)) return undefined;
    if (frac) ms += Number((frac + '000').slice(0, 3)) + Number('0.' + (frac.slice(3) || '0'));
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
    }
    // reject impossible calendar dates such as 2026-02-31
    const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
    return ms;
  }
  // RFC 822 / RFC 850 style dates ("Sat, 8 Nov 2014 15:05:02 GMT"): Date.parse handles them
  if (/[a-z]{3}/i.test(s) && /\d{4}/.test(s)) {
    const parsed = Date.parse(s);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
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

/** Kusto's text form of a timespan: [-][d.]hh:mm:ss[.fffffff] */
export function formatTimespan(ms: number): string {
  const negative = ms < 0;
  let rest = Math.abs(ms);
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const fracMs = rest - s * 1000;
  const ticks = Math.round(fracMs * 10_000);
  const pad = (v: number, w = 2) => String(v).padStart(w, '0');
  return (
    (negative ? '-' : '') + (days ? `${days}.` : '') + `${pad(h)}:${pad(m)}:${pad(s)}` + (ticks ? '.' + pad(ticks, 7) : '')
  );
}

export function formatDatetime(ms: number): string {
  return new Date(ms).toISOString();
}

const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function parseGuid(text: string): string | undefined {
  const s = text.trim();
  if (!GUID.test(s)) return undefined;
  const hex = s.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
