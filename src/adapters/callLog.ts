/**
 * Every call an adapter makes to a cloud service, for the run report: one entry per logical
 * call (retries counted in `attempts`), so an operator can see what was slow, throttled or failed.
 */
import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';
import type { ServiceCallReport } from '../core/report.js';

/** One logical call: the run report's ServiceCallReport (service, method, path, status, attempts, timing). */
export type CallRecord = ServiceCallReport;

export class CallLog {
  private readonly records: CallRecord[] = [];

  record(entry: CallRecord): void {
    this.records.push(entry);
  }

  entries(): readonly CallRecord[] {
    return [...this.records];
  }

  /** Attempts beyond the first, summed: how much retrying the run needed. */
  retries(): number {
    return this.records.reduce((sum, entry) => sum + entry.attempts - 1, 0);
  }
}

/**
 * Two policies around the SDK's retry policy: the outer one times the logical call and writes the
 * record; the inner one (after the Retry phase, so inside the retry loop) counts the sends.
 */
export function callLogPolicies(log: CallLog, service: string): { readonly outer: PipelinePolicy; readonly perAttempt: PipelinePolicy } {
  const attempts = new WeakMap<PipelineRequest, number>();
  return {
    outer: {
      name: `callLog:${service}`,
      async sendRequest(request, next) {
        const startedAt = new Date();
        attempts.set(request, 0);
        let status: number | undefined;
        try {
          const response = await next(request);
          status = response.status;
          return response;
        } catch (error) {
          status = (error as { statusCode?: number }).statusCode;
          throw error;
        } finally {
          log.record({
            service,
            method: request.method,
            path: new URL(request.url).pathname,
            status,
            attempts: attempts.get(request) ?? 1,
            durationMs: Date.now() - startedAt.getTime(),
            startedAt: startedAt.toISOString(),
          });
        }
      },
    },
    perAttempt: {
      name: `callLogAttempts:${service}`,
      async sendRequest(request, next) {
        attempts.set(request, (attempts.get(request) ?? 0) + 1);
        return next(request);
      },
    },
  };
}
