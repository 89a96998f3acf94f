/**
 * Which enabled rules an invocation runs (docs/rules.md, "Running many rules"). The timer fires on one
 * schedule (HUNT_SCHEDULE) for every rule; each rule runs only when its `queryFrequency` has passed since the
 * invocation that last completed it, and the pack's queries must fit the backend's call quotas with headroom.
 */

/** What the scheduler needs of a rule. */
export interface ScheduledRule {
  readonly id: string;
  readonly queryFrequencyMs: number;
  /** Queries a run of the rule sends, as planned: the hunt, and one context batch when it has a context query. */
  readonly queriesPerRun: number;
}

/** A rule's last completed run: when the invocation that ran it was scheduled (its start). */
export interface LastRun {
  readonly scheduledAt: Date;
  /** Only a run that completed counts: a failed or partial run left work, so the rule stays due. */
  readonly completed: boolean;
}

/**
 * Timer jitter: an invocation may fire a little early or late, and a rule is due when it is at most this much
 * short of its frequency (10% of it, at most a minute), so a 1-hour rule on a 5-minute timer runs once an hour.
 */
export function jitterToleranceMs(queryFrequencyMs: number): number {
  return Math.min(60_000, queryFrequencyMs / 10);
}

/** Never run, or last run left work, or its frequency has passed since the invocation that last completed it. */
export function isDue(rule: ScheduledRule, last: LastRun | undefined, now: Date): boolean {
  if (last === undefined || !last.completed) return true;
  return now.getTime() - last.scheduledAt.getTime() >= rule.queryFrequencyMs - jitterToleranceMs(rule.queryFrequencyMs);
}

/** The due rules, most overdue first (never run first), so a pack that cannot all run now never starves a rule. */
export function dueRules<R extends ScheduledRule>(rules: readonly R[], lastRuns: ReadonlyMap<string, LastRun>, now: Date): R[] {
  const since = (rule: R) => lastRuns.get(rule.id)?.scheduledAt.getTime() ?? Number.NEGATIVE_INFINITY;
  return rules
    .map((rule, order) => ({ rule, order }))
    .filter(({ rule }) => isDue(rule, lastRuns.get(rule.id), now))
    .sort((a, b) => since(a.rule) - since(b.rule) || a.order - b.order)
    .map(({ rule }) => rule);
}

/** A quota as the scheduler sees it: so many calls per window. */
export interface QuotaShare {
  readonly calls: number;
  readonly perMs: number;
  readonly text: string;
}

/** The share of a quota the pack's schedule needs: its queries per quota window over the quota. */
export interface PackLoad {
  readonly quota: string;
  readonly callsPerWindow: number;
  readonly share: number;
}

/** Above this share of a quota the pack has no headroom (other callers, retries, more context batches). */
export const PACK_HEADROOM_SHARE = 0.8;

/**
 * Every enabled rule's planned queries at its frequency, against each quota. The call budget spreads one
 * invocation's burst over the short windows, so what must fit is the rate: calls per quota window.
 */
export function packLoad(rules: readonly ScheduledRule[], quotas: readonly QuotaShare[]): PackLoad[] {
  return quotas.map((quota) => {
    const callsPerWindow = rules.reduce((sum, rule) => sum + (rule.queriesPerRun * quota.perMs) / rule.queryFrequencyMs, 0);
    return { quota: quota.text, callsPerWindow, share: callsPerWindow / quota.calls };
  });
}

/** What every pack-over-quota warning says, so `hunter runs` can point at it among a report's warnings. */
const PACK_OVER_QUOTA = "do not fit the backend's quota with headroom";

export function isPackLoadWarning(warning: string): boolean {
  return warning.includes(PACK_OVER_QUOTA);
}

/** The warning for a pack over its headroom, naming each quota it overruns; undefined when it fits. */
export function packLoadWarning(loads: readonly PackLoad[], ruleCount: number): string | undefined {
  const over = loads.filter((load) => load.share > PACK_HEADROOM_SHARE);
  if (over.length === 0) return undefined;
  const parts = over.map((load) => `${Math.round(load.callsPerWindow).toLocaleString('en-US')} calls against ${load.quota} (${Math.round(load.share * 100)}%)`);
  return (
    `the ${ruleCount} enabled rules ${PACK_OVER_QUOTA} (over ${PACK_HEADROOM_SHARE * 100}%): ${parts.join('; ')}; ` +
    'lengthen the rules\' queryFrequency or enable fewer rules (rules that do not fit an invocation are deferred to the next)'
  );
}
