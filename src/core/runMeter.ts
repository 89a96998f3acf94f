/**
 * Durations per step and per-call counts for the run report. Durations are measurements
 * only (never used for decisions), so they come from the monotonic timer, not the clock.
 */
import { performance } from 'node:perf_hooks';
import type { CallReport } from './report.js';

export class RunMeter {
  private readonly durations: Record<string, number> = {};
  private readonly totals = new Map<string, { target: CallReport['target']; operation: string; calls: number; count: number; ms: number }>();
  readonly calls: CallReport[] = [];

  /** Adds the time `work` takes to `step`. */
  async timed<T>(step: string, work: () => Promise<T>): Promise<T> {
    const began = performance.now();
    try {
      return await work();
    } finally {
      this.durations[step] = (this.durations[step] ?? 0) + (performance.now() - began);
    }
  }

  /** Records one call of its own (a query, a load). */
  async call<T>(target: CallReport['target'], operation: string, work: () => Promise<T>, countOf: (result: T) => number): Promise<T> {
    const began = performance.now();
    const result = await work();
    this.calls.push({ target, operation, durationMs: round(performance.now() - began), count: countOf(result) });
    return result;
  }

  /** Adds to a per-operation total (sink calls, state writes), reported once at the end. */
  async tally<T>(target: CallReport['target'], operation: string, count: number, work: () => Promise<T>): Promise<T> {
    const began = performance.now();
    try {
      return await work();
    } finally {
      const key = `${target}:${operation}`;
      const total = this.totals.get(key) ?? { target, operation, calls: 0, count: 0, ms: 0 };
      total.calls++;
      total.count += count;
      total.ms += performance.now() - began;
      this.totals.set(key, total);
    }
  }

  durationsMs(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.durations).map(([step, ms]) => [step, round(ms)]));
  }

  allCalls(): CallReport[] {
    return [
      ...this.calls,
      ...[...this.totals.values()].map((t) => ({ target: t.target, operation: `${t.operation} x${t.calls}`, durationMs: round(t.ms), count: t.count })),
    ];
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
