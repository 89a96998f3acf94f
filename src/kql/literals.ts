// Conversions of literal text to the engine's internal values (datetime and timespan as
// milliseconds). Shared by the parser (typed literals), the scalar functions (todatetime,
// totimespan) and the data loader.
import { timespanUnitMs } from './lexer.js';

const ISO_LIKE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses a Kusto datetime literal body or a data value; undefined when it is not a date. */
export function parseDatetime(text: string): number | undefined {
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
