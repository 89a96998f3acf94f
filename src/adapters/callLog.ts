/**
 * Every call an adapter makes to a cloud service, for the run report: one entry per logical
 * call (retries counted in `attempts`), so an operator can see what was slow, throttled or failed.
 */
import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';

export interface CallRecord {
  /** Which adapter made the call: `log-analytics`, `defender`, `sentinel`. */
  readonly service: string;
  readonly method: string;
  /** URL path only: query strings may carry nothing secret today, but paths are what an operator needs. */
  readonly path: string;
  /** Final HTTP status, or undefined when no response arrived (network error). */
  readonly status: number | undefined;
  /** Sends including retries; greater than 1 means the pipeline retried (429, 5xx, network). */
  readonly attempts: number;
  readonly durationMs: number;
  /** ISO-8601 UTC, like every time in the run report. */
  readonly startedAt: string;
}

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
