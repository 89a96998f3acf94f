// Datetime parsing must not depend on the host's time zone: Kusto datetimes are UTC and a value without a
// zone is UTC (https://learn.microsoft.com/kusto/query/scalar-data-types/datetime). This file runs with a
// non-UTC TZ (set before any Date use in this worker) and checks the epoch milliseconds.
process.env.TZ = 'America/New_York';

import { describe, expect, it } from 'vitest';
import { parseDatetime } from '../../src/kql/literals.js';
import { scalar } from './helpers.js';

describe('datetime parsing under a non-UTC host time zone', () => {
  it('the host zone really is not UTC here', () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).not.toBe(0);
  });

  it.each([
    ['2026-11-21 10:00:00', Date.UTC(2026, 10, 21, 10)],
    ['2026-11-21', Date.UTC(2026, 10, 21)],
    ['2026-11-21T10:00', Date.UTC(2026, 10, 21, 10)],
    ['Sat, 21 Nov 26 10:00:00', Date.UTC(2026, 10, 21, 10)],
    ['21 Nov 2026 10:00', Date.UTC(2026, 10, 21, 10)],
    ['Saturday, 21-Nov-26 10:00:00 GMT', Date.UTC(2026, 10, 21, 10)],
    ['2026-11-21 10:00:00 EST', Date.UTC(2026, 10, 21, 15)],
  ])('%j is %d ms since the epoch', async (text, ms) => {
    expect(parseDatetime(text)).toBe(ms);
    expect(((await scalar(`todatetime('${text}')`)) as Date).getTime()).toBe(ms);
  });
});
