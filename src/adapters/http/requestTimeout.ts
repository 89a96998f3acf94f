/**
 * A limit on each attempt of a request that has none. The SDK clients send with no time limit by default
 * (Table Storage, Logs Ingestion): a connection that stays open and never answers (a stalled proxy or
 * load balancer) held the run until the Function's own timeout killed it, and nothing said why. Past the
 * limit the attempt is abandoned as a timed-out connection (ETIMEDOUT), which the pipeline's retry
 * policy retries with its back-off like any other; the last failure names the host and the limit.
 */
import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';

export const requestTimeoutPolicyName = 'requestTimeout';

export function requestTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: requestTimeoutPolicyName,
    async sendRequest(request, next) {
      if (request.timeout > 0) return next(request);
      request.timeout = timeoutMs;
      try {
        return await next(request);
      } catch (error) {
        // The HTTP client aborts at the limit; an abort the caller asked for is the caller's.
        if ((error as Error).name !== 'AbortError' || request.abortSignal?.aborted) throw error;
        throw new RestError(`no answer from ${new URL(request.url).host} within ${timeoutMs / 1000} s`, { code: 'ETIMEDOUT', request });
      } finally {
        request.timeout = 0;
      }
    },
  };
}
