/**
 * A run's time budget, on the monotonic timer (a clock jump cannot end a run early or late). The
 * Functions host stops a run at `functionTimeout` (host.json; Flex Consumption's default is 30
 * minutes) and a stopped run writes nothing more: the hunt stops starting new batches well before,
 * leaving time for the batch in flight and the run report.
 */
import { performance } from 'node:perf_hooks';
import type { RunBudget } from './ports.js';

/** Of host.json's 30-minute functionTimeout: 20 minutes of work, 10 for the last batch and the report. */
export const RUN_TIME_BUDGET_MS = 20 * 60_000;

export function timeBudget(limitMs: number = RUN_TIME_BUDGET_MS): RunBudget {
  const started = performance.now();
  return { exhausted: () => performance.now() - started >= limitMs };
}
