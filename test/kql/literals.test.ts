// Datetime and timespan text forms, as literals and as data values.
import { describe, expect, it } from 'vitest';
import { formatTimespan, parseDatetime, parseTimespan } from '../../src/kql/index.js';

describe('parseDatetime', () => {
  it.each([
    ['2026-11-21T10:00:00Z', Date.UTC(2026, 10, 21, 10)],
    ['2026-11-21T10:00:00.123Z', Date.UTC(2026, 10, 21, 10) + 123],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2026-11-21 10:00', Date.UTC(2026, 10, 21, 10)],
    ['2026-11-21', Date.UTC(2026, 10, 21)],
    ['2026-11-21T12:00:00+02:00', Date.UTC(2026, 10, 21, 10)],
  ])('%s', (text, ms) => {
    expect(parseDatetime(text)).toBe(ms);
  });
  it('keeps sub-millisecond digits of 7-digit fractions', () => {
    expect(Math.floor(parseDatetime('2026-11-21T10:00:00.1234567Z')!)).toBe(Date.UTC(2026, 10, 21, 10) + 123);
  });
  it.each(['2026-02-29T00:00:00Z', '2026-02-31T00:00:00Z', '2026-13-01T00:00:00Z', 'yesterday', '', '2026-11-21T10:00:00.Z'])('rejects %j', (text) => {
    expect(parseDatetime(text)).toBeUndefined();
  });
});

describe('timespans', () => {
  it.each([
    ['5d', 432_000_000],
    ['1.5h', 5_400_000],
    ['100ms', 100],
    ['00:30:00', 1_800_000],
    ['1.02:03:04.5', 93_784_500],
    ['-1d', -86_400_000],
  ])('parses %s', (text, ms) => {
    expect(parseTimespan(text)).toBe(ms);
  });
  it('formats as [-][d.]hh:mm:ss[.fffffff]', () => {
    expect(formatTimespan(93_784_500)).toBe('1.02:03:04.5000000');
    expect(formatTimespan(-3_600_000)).toBe('-01:00:00');
  });
});
