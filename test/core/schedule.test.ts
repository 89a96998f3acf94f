/**
 * Which rules an invocation runs (docs/rules.md, "Running many rules"): each rule at its own queryFrequency,
 * with a tolerance for timer jitter, and the pack's planned queries against the backend's quotas.
 */
import { describe, expect, it } from 'vitest';
import { dueRules, isDue, packLoad, packLoadWarning, type LastRun } from '../../src/core/schedule.js';
import { defenderQuotas } from '../../src/adapters/defender/index.js';
import { describeQuota } from '../../src/budget/callBudget.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const now = new Date('2026-11-20T12:00:00Z');
const ago = (ms: number, completed = true): LastRun => ({ scheduledAt: new Date(now.getTime() - ms), completed });
const rule = (id: string, queryFrequencyMs = HOUR, queriesPerRun = 2) => ({ id, queryFrequencyMs, queriesPerRun });
const defender = defenderQuotas.map((quota) => ({ calls: quota.calls, perMs: quota.perMs, text: describeQuota(quota) }));

describe('when a rule is due', () => {
  it('never run: due; completed an hour ago (or a little less, timer jitter): due; 55 minutes ago: not due', () => {
    expect(isDue(rule('a'), undefined, now)).toBe(true);
    expect(isDue(rule('a'), ago(HOUR), now)).toBe(true);
    expect(isDue(rule('a'), ago(HOUR - 30_000), now)).toBe(true);
    expect(isDue(rule('a'), ago(55 * MINUTE), now)).toBe(false);
    // The tolerance is 10% of a short frequency: a 5-minute rule is not due after 4 minutes.
    expect(isDue(rule('a', 5 * MINUTE), ago(4 * MINUTE), now)).toBe(false);
  });

  it('a run that failed or stopped at its time budget left work: due again at once', () => {
    expect(isDue(rule('a'), ago(MINUTE, false), now)).toBe(true);
  });

  it('the due rules run most overdue first (never run first), the rest in RULE_PATH order', () => {
    const rules = [rule('fresh'), rule('old'), rule('never'), rule('older')];
    const last = new Map([
      ['fresh', ago(MINUTE)],
      ['old', ago(2 * HOUR)],
      ['older', ago(3 * HOUR)],
    ]);
    expect(dueRules(rules, last, now).map((r) => r.id)).toEqual(['never', 'older', 'old']);
  });
});

describe('the pack against the backend quota', () => {
  it('167 rules of 2 queries hourly: 334 calls an hour, 22% of Defender\'s 1,500: fits, no warning', () => {
    const rules = Array.from({ length: 167 }, (_, i) => rule(`r${i}`));
    const loads = packLoad(rules, defender);
    expect(loads.map((load) => Math.round(load.callsPerWindow * 10) / 10)).toEqual([5.6, 334]);
    expect(packLoadWarning(loads, rules.length)).toBeUndefined();
  });

  it('the same pack every 5 minutes: 4,008 calls an hour, over the quota: the warning names each quota overrun', () => {
    const rules = Array.from({ length: 167 }, (_, i) => rule(`r${i}`, 5 * MINUTE));
    const warning = packLoadWarning(packLoad(rules, defender), rules.length);
    expect(warning).toMatch(/167 enabled rules do not fit/);
    expect(warning).toMatch(/67 calls against 45 calls per minute .* \(148%\)/);
    expect(warning).toMatch(/4,008 calls against 1,500 calls per hour .* \(267%\)/);
  });

  it('no quota (the local evaluator): nothing to overrun', () => {
    expect(packLoadWarning(packLoad([rule('a', MINUTE, 100)], []), 1)).toBeUndefined();
  });
});
