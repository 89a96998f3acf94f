/**
 * The client-side call budget holds every call to the documented quotas (Defender advanced
 * hunting: 45 calls a minute, 1,500 an hour per tenant; learn.microsoft.com/defender-xdr/api-advanced-hunting),
 * so a big run waits for a slot instead of being answered 429. Time is a fake timer here: the
 * budget only ever reads it and sleeps on it.
 */
import { describe, expect, it } from 'vitest';
import { CallBudgets, createCallBudget, describeQuota, type BudgetTimer } from '../../src/budget/callBudget.js';
import { withCallBudget } from '../../src/budget/budgetedBackend.js';
import { defenderQuotas } from '../../src/adapters/defender/index.js';
import { logAnalyticsQuotas } from '../../src/adapters/logAnalytics/index.js';
import type { QueryRequest } from '../../src/core/model.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function fakeTimer(): BudgetTimer & { now: number; sleeps: number[] } {
  const timer = {
    now: 0,
    sleeps: [] as number[],
    nowMs: () => timer.now,
    async sleep(ms: number) {
      timer.sleeps.push(ms);
      timer.now += ms;
    },
  };
  return timer;
}

/** Takes `calls` slots one after another; returns when each call started. */
async function startTimes(budget: { take(): Promise<number> }, timer: { now: number }, calls: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    await budget.take();
    times.push(timer.now);
  }
  return times;
}

describe('call budget', () => {
  it('room: the calls left in the quotas a run cannot wait out (the hour), ignoring the minute it can', async () => {
    const timer = fakeTimer();
    const budget = createCallBudget(defenderQuotas, timer);
    expect(budget.room(20 * MINUTE)).toBe(1_500);
    await startTimes(budget, timer, 1_497);
    expect(timer.now).toBeLessThan(HOUR);
    expect(budget.room(20 * MINUTE)).toBe(3);
    // Once the hour has passed since the first calls, their slots are free again.
    timer.now += HOUR;
    expect(budget.room(20 * MINUTE)).toBeGreaterThan(1_400);
    // Log Analytics' only quota is per 30 s: a 20-minute run waits it out, so it never limits the room.
    expect(createCallBudget(logAnalyticsQuotas, timer).room(20 * MINUTE)).toBe(Number.POSITIVE_INFINITY);
  });

  it('lets 45 calls go at once, then holds the 46th until the first is a minute old', async () => {
    const timer = fakeTimer();
    const budget = createCallBudget(defenderQuotas, timer);
    const times = await startTimes(budget, timer, 91);
    expect(times.slice(0, 45).every((t) => t === 0)).toBe(true);
    expect(times[45]).toBe(MINUTE);
    expect(times[89]).toBe(MINUTE);
    expect(times[90]).toBe(2 * MINUTE);
  });

  it('never lets more than 1,500 calls into an hour, nor 45 into any minute', async () => {
    const timer = fakeTimer();
    const budget = createCallBudget(defenderQuotas, timer);
    const times = await startTimes(budget, timer, 1_600);
    for (let i = 45; i < times.length; i++) expect(times[i]! - times[i - 45]!).toBeGreaterThanOrEqual(MINUTE);
    for (let i = 1_500; i < times.length; i++) expect(times[i]! - times[i - 1_500]!).toBeGreaterThanOrEqual(HOUR);
    // 1,500 calls at 45 a minute take 33 minutes; the 1,501st waits for the hour.
    expect(times[1_499]).toBe(33 * MINUTE);
    expect(times[1_500]).toBe(HOUR);
  });

  it('serves concurrent callers in the order they asked', async () => {
    const timer = fakeTimer();
    const budget = createCallBudget([{ calls: 2, perMs: 1_000, source: 'test' }], timer);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 5 }, (_, i) => budget.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(timer.now).toBe(2_000);
  });

  it('says what it holds calls to', () => {
    expect(defenderQuotas.map(describeQuota)).toEqual([
      '45 calls per minute (advanced hunting API quota per tenant)',
      '1,500 calls per hour (advanced hunting API quota per tenant)',
    ]);
    expect(logAnalyticsQuotas.map(describeQuota)).toEqual(['200 calls per 30 s (Log Analytics query rate per user)']);
  });

  it('rejects a quota that is not a positive whole number of calls over a positive time', () => {
    expect(() => createCallBudget([{ calls: 0, perMs: 1_000, source: 'test' }])).toThrow(RangeError);
    expect(() => createCallBudget([{ calls: 1, perMs: 0, source: 'test' }])).toThrow(RangeError);
  });
});

describe('budgeted backend', () => {
  const request = (purpose: QueryRequest['purpose']): QueryRequest => ({ query: 'T', window: { start: new Date(0), end: new Date(1) }, purpose });

  it('counts its calls by purpose and the waits the quota imposed, for the run report', async () => {
    const timer = fakeTimer();
    const budgets = new CallBudgets(timer);
    const inner = { name: 'defender', maxLookbackMs: 5, run: async () => ({ columns: [], rows: [] }) };
    const first = withCallBudget(inner, budgets.for('defender', defenderQuotas));
    for (let i = 0; i < 44; i++) await first.run(request('context'));
    await first.run(request('hunt'));
    // Another rule of the same process shares the quota: its first call waits for the minute.
    const second = withCallBudget(inner, budgets.for('defender', defenderQuotas));
    await second.run(request('hunt'));
    expect(first.usage()).toEqual({ calls: { context: 44, hunt: 1 }, waits: 0, waitedMs: 0, quotas: defenderQuotas.map(describeQuota) });
    expect(second.usage()).toMatchObject({ calls: { hunt: 1 }, waits: 1, waitedMs: MINUTE });
    expect(second.maxLookbackMs).toBe(5);
  });

  it('has no quota for a backend without one', async () => {
    const budget = new CallBudgets(fakeTimer()).for('local', []);
    expect(budget.quotas).toEqual([]);
    expect(await budget.take()).toBe(0);
  });
});
