import { describe, expect, it } from 'vitest';
import { describeDuration, parseIsoDuration } from '../../src/core/duration.js';

describe('ISO 8601 durations in rule files', () => {
  it('parses the forms Sentinel rules use', () => {
    expect(parseIsoDuration('PT1H')).toBe(3_600_000);
    expect(parseIsoDuration('P5D')).toBe(5 * 86_400_000);
    expect(parseIsoDuration('P1DT12H30M')).toBe(86_400_000 + 12.5 * 3_600_000);
    expect(parseIsoDuration('PT0.5S')).toBe(500);
  });

  it('refuses calendar units and malformed text', () => {
    for (const text of ['P1M', 'P1Y', 'P', 'PT', '5d', '1h', 'P1DT', '']) expect(parseIsoDuration(text), text).toBeUndefined();
  });
});

describe('durations for people', () => {
  it('picks the unit a reader expects', () => {
    expect(describeDuration(45 * 60_000)).toBe('45 min');
    expect(describeDuration(5.5 * 3_600_000)).toBe('5 h 30 min');
    expect(describeDuration(46_200 * 60_000)).toBe('32 d 2 h');
    expect(describeDuration(3 * 86_400_000)).toBe('3 d');
  });
});
