import { describe, expect, it } from 'vitest';
import { BACKEND_LOOKBACK_MARGIN_MS, planWindow } from '../../src/core/window.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const config = { overlapMs: HOUR, ingestionDelayMs: 10 * 60_000 };
const now = new Date('2026-11-27T12:00:00Z');
const base = { now, queryPeriodMs: 5 * DAY, queryFrequencyMs: HOUR, config, backendMaxLookbackMs: undefined };

describe('planWindow', () => {
  it('reads what the rule itself reads on the first run: from now - query period to now - ingestion delay', () => {
    const plan = planWindow({ ...base, watermark: undefined });
    expect(plan.window.end.toISOString()).toBe('2026-11-27T11:50:00.000Z');
    expect(plan.window.start.toISOString()).toBe('2026-11-22T12:00:00.000Z');
    expect(plan.firstRun).toBe(true);
    expect(plan.cappedBy).toBe('queryPeriod');
    expect(plan.outageMs).toBeUndefined();
  });

  it('reads the whole query period on a regular run too, so events arriving days late are found', () => {
    const plan = planWindow({ ...base, watermark: new Date('2026-11-27T10:50:00Z') });
    expect(plan.window.start.toISOString()).toBe('2026-11-22T12:00:00.000Z');
    expect(plan.window.end.toISOString()).toBe('2026-11-27T11:50:00.000Z');
    expect(plan.firstRun).toBe(false);
    expect(plan.cappedBy).toBeUndefined();
    expect(plan.outageMs).toBeUndefined();
  });

  it('needs nothing extra for an outage shorter than the query period', () => {
    const plan = planWindow({ ...base, watermark: new Date(now.getTime() - 3 * DAY) });
    expect(plan.window.start.toISOString()).toBe('2026-11-22T12:00:00.000Z');
    expect(plan.outageMs).toBe(3 * DAY);
  });

  it('covers a whole 12-day outage when the backend can look back that far, and says so', () => {
    const watermark = new Date(now.getTime() - 12 * DAY);
    const plan = planWindow({ ...base, watermark });
    expect(plan.window.start.getTime()).toBe(watermark.getTime() - HOUR);
    expect(plan.outageMs).toBe(12 * DAY);
    expect(plan.uncovered).toBeUndefined();
  });

  it('stops at the backend look-back limit after a longer outage and reports the part never hunted', () => {
    const watermark = new Date(now.getTime() - 40 * DAY);
    const plan = planWindow({ ...base, watermark, backendMaxLookbackMs: 30 * DAY });
    // Inside the limit by a margin, so the backend (checking a little later by its own clock) accepts it.
    expect(plan.window.start.getTime()).toBe(now.getTime() - 30 * DAY + BACKEND_LOOKBACK_MARGIN_MS);
    expect(plan.window.start.getTime()).toBeGreaterThan(now.getTime() + 5 * 60_000 - 30 * DAY);
    expect(plan.cappedBy).toBe('backendLookback');
    expect(plan.uncovered).toEqual({ start: watermark, end: new Date(now.getTime() - 30 * DAY + BACKEND_LOOKBACK_MARGIN_MS) });
  });

  it('still reads the query period when the clock is behind the watermark: skew never blinds the hunter', () => {
    const plan = planWindow({ ...base, watermark: new Date(now.getTime() + DAY) });
    expect(plan.empty).toBe(false);
    expect(plan.window.start.toISOString()).toBe('2026-11-22T12:00:00.000Z');
  });

  it('is empty only when the ingestion delay is longer than the query period', () => {
    const plan = planWindow({ ...base, queryPeriodMs: 5 * 60_000, watermark: undefined });
    expect(plan.empty).toBe(true);
  });
});
