/**
 * A query backend whose every call takes a slot of the shared call budget first, and that counts
 * its own calls and waits for the run report. One per hunter (so per run and per rule); the budget
 * behind it is shared by everything that calls the same service.
 */
import type { QueryPurpose, QueryRequest, QueryResult } from '../core/model.js';
import type { QueryBackend } from '../core/ports.js';
import type { BackendCallsReport } from '../core/report.js';
import { describeQuota, type CallBudget } from './callBudget.js';

export interface BudgetedBackend extends QueryBackend {
  /** What this backend's calls cost so far: calls per purpose and the time spent waiting for the quota. */
  usage(): BackendCallsReport;
}

export function withCallBudget(backend: QueryBackend, budget: CallBudget): BudgetedBackend {
  const calls: Partial<Record<QueryPurpose, number>> = {};
  let waits = 0;
  let waitedMs = 0;
  return {
    name: backend.name,
    ...(backend.maxLookbackMs !== undefined && { maxLookbackMs: backend.maxLookbackMs }),
    ...(backend.limits !== undefined && { limits: backend.limits }),
    async run(request: QueryRequest): Promise<QueryResult> {
      const waited = await budget.take();
      if (waited > 0) {
        waits++;
        waitedMs += waited;
      }
      calls[request.purpose] = (calls[request.purpose] ?? 0) + 1;
      return backend.run(request);
    },
    usage: () => ({ calls: { ...calls }, waits, waitedMs: Math.round(waitedMs), quotas: budget.quotas.map(describeQuota) }),
  };
}
