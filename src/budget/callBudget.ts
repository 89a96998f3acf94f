/**
 * A client-side budget of calls to one service, held to the service's documented quotas (for
 * Defender advanced hunting: 45 calls a minute and 1,500 an hour per tenant). Every call of a run,
 * and of every rule sharing the budget, takes a slot first; when a quota is used up the call waits
 * for the oldest call of that quota's window to age out, so a big run slows down instead of being
 * answered 429 and failing. Calls wait in the order they asked.
 * Time is the monotonic timer, never the hunt's clock: a replay's clock is stopped.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CallQuota {
  readonly calls: number;
  readonly perMs: number;
  /** Where the number comes from, for messages and the run report. */
  readonly source: string;
}

/** Elapsed time and waiting; tests pass a fake one. */
export interface BudgetTimer {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const monotonicTimer: BudgetTimer = { nowMs: () => performance.now(), sleep: (ms) => sleep(ms) };

export interface CallBudget {
  readonly quotas: readonly CallQuota[];
  /** Resolves when one more call fits every quota, and counts that call; returns how long it waited (ms). */
  take(): Promise<number>;
  /**
   * Calls that still fit now in every quota whose window is at least `horizonMs` (a run cannot wait those out);
   * shorter windows are waited out by take(). Infinity when no quota is that long.
   */
  room(horizonMs: number): number;
}

export function describeQuota(quota: CallQuota): string {
  const per = quota.perMs % 3_600_000 === 0 ? `${quota.perMs / 3_600_000 === 1 ? '' : `${quota.perMs / 3_600_000} `}hour` : quota.perMs % 60_000 === 0 ? `${quota.perMs / 60_000 === 1 ? '' : `${quota.perMs / 60_000} `}minute` : `${quota.perMs / 1000} s`;
  return `${quota.calls.toLocaleString('en-US')} calls per ${per} (${quota.source})`;
}

export function createCallBudget(quotas: readonly CallQuota[], timer: BudgetTimer = monotonicTimer): CallBudget {
  for (const quota of quotas) {
    if (!Number.isInteger(quota.calls) || quota.calls < 1 || !(quota.perMs > 0)) throw new RangeError(`invalid call quota: ${JSON.stringify(quota)}`);
  }
  const longest = Math.max(0, ...quotas.map((quota) => quota.perMs));
  /** Start times of the calls still inside the longest window, oldest first. */
  const started: number[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  /** How long until one more call fits every quota (0: now). */
  function waitNeeded(now: number): number {
    while (started.length > 0 && started[0]! <= now - longest) started.shift();
    let wait = 0;
    for (const quota of quotas) {
      // The calls inside this quota's window are the newest ones; the one that must age out is the quota-th newest.
      if (inWindow(quota, now) >= quota.calls) wait = Math.max(wait, started[started.length - quota.calls]! + quota.perMs - now);
    }
    return wait;
  }

  function inWindow(quota: CallQuota, now: number): number {
    let count = 0;
    for (let i = started.length - 1; i >= 0 && started[i]! > now - quota.perMs; i--) count++;
    return count;
  }

  async function acquire(): Promise<number> {
    const began = timer.nowMs();
    for (let wait = waitNeeded(began); wait > 0; wait = waitNeeded(timer.nowMs())) await timer.sleep(wait);
    started.push(timer.nowMs());
    return timer.nowMs() - began;
  }

  return {
    quotas,
    take() {
      const turn = queue.then(acquire);
      queue = turn.catch(() => undefined);
      return turn;
    },
    room(horizonMs) {
      const now = timer.nowMs();
      const long = quotas.filter((quota) => quota.perMs >= horizonMs);
      return Math.min(Number.POSITIVE_INFINITY, ...long.map((quota) => Math.max(0, quota.calls - inWindow(quota, now))));
    },
  };
}

/** No quota: every call goes at once (the local evaluator). */
export const UNLIMITED: CallBudget = { quotas: [], take: async () => 0, room: () => Number.POSITIVE_INFINITY };

/**
 * One budget per service for everything in the process that calls it: the Function keeps one for
 * its lifetime, so consecutive runs and every rule of a pack draw on the same quota.
 */
export class CallBudgets {
  private readonly budgets = new Map<string, CallBudget>();
  constructor(private readonly timer: BudgetTimer = monotonicTimer) {}

  for(service: string, quotas: readonly CallQuota[]): CallBudget {
    let budget = this.budgets.get(service);
    if (budget === undefined) {
      budget = quotas.length === 0 ? UNLIMITED : createCallBudget(quotas, this.timer);
      this.budgets.set(service, budget);
    }
    return budget;
  }
}
