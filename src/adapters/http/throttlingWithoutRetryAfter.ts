/**
 * core-rest-pipeline's default retry policy retries a 429 only when the answer says when to come back
 * (Retry-After, retry-after-ms, x-ms-retry-after-ms: its throttling strategy), and otherwise only 408
 * and 5xx (its exponential strategy): a 429 without those headers went straight back to the caller and
 * failed the run. This strategy fills that one gap with the pipeline's own retry machinery
 * (`retryPolicy`, which counts attempts, sleeps and honours abort signals) and the same back-off
 * settings as the default policy (`retryOptions`); every other answer is left to the default policy.
 */
import { retryPolicy, type PipelinePolicy, type PipelineRetryOptions, type RetryStrategy } from '@azure/core-rest-pipeline';

const RETRY_AFTER_HEADERS = ['retry-after', 'retry-after-ms', 'x-ms-retry-after-ms'];
// The SDK's defaults (core-rest-pipeline constants): 3 retries, 1 s doubling up to 64 s.
const DEFAULT_RETRIES = 3;
const DEFAULT_DELAY_MS = 1000;
const DEFAULT_MAX_DELAY_MS = 64_000;

export const throttlingWithoutRetryAfterPolicyName = 'throttlingWithoutRetryAfter';

export function throttlingWithoutRetryAfterPolicy(options: PipelineRetryOptions = {}): PipelinePolicy {
  const firstDelayMs = options.retryDelayInMs ?? DEFAULT_DELAY_MS;
  const maxDelayMs = options.maxRetryDelayInMs ?? DEFAULT_MAX_DELAY_MS;
  const strategy: RetryStrategy = {
    name: 'throttlingWithoutRetryAfterStrategy',
    retry({ retryCount, response }) {
      if (response?.status !== 429 || RETRY_AFTER_HEADERS.some((header) => response.headers.get(header) !== undefined)) return { skipStrategy: true };
      // Exponential with jitter in the upper half, as the SDK's exponential strategy does, so many
      // throttled clients do not come back at the same instant.
      const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** retryCount);
      return { retryAfterInMs: delay / 2 + Math.random() * (delay / 2) };
    },
  };
  return { name: throttlingWithoutRetryAfterPolicyName, sendRequest: retryPolicy([strategy], { maxRetries: options.maxRetries ?? DEFAULT_RETRIES }).sendRequest };
}
