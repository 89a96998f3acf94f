/**
 * The pipeline our REST adapters (Graph, ARM) send through: the SDK's default policies (retry on
 * 408/5xx with exponential back-off, 429/503 honouring Retry-After, TLS, proxy, user agent), back-off
 * for a 429 without Retry-After, a bearer token for the service's scope, and the call log around the retries.
 */
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  type HttpClient,
  type Pipeline,
  type PipelineOptions,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import { callLogPolicies, type CallLog } from '../callLog.js';
import { requestTimeoutPolicy } from './requestTimeout.js';
import { throttlingWithoutRetryAfterPolicy } from './throttlingWithoutRetryAfter.js';
import { trimTrailing } from '../../text/trimTrailing.js';

export interface ServicePipelineOptions {
  readonly credential: TokenCredential;
  /** e.g. `https://graph.microsoft.com/.default`. */
  readonly scope: string;
  readonly service: string;
  readonly callLog?: CallLog;
  /** Retry, TLS, proxy and agent options passed to the SDK pipeline. */
  readonly pipelineOptions?: PipelineOptions;
}

export function createServicePipeline(options: ServicePipelineOptions): { readonly pipeline: Pipeline; readonly httpClient: HttpClient } {
  const pipeline = createPipelineFromOptions({ ...options.pipelineOptions, userAgentOptions: { userAgentPrefix: 'ammyy-hunter' } });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope }), { phase: 'Sign' });
  addThrottlingRetry(pipeline, options.pipelineOptions);
  addCallLog(pipeline, options.service, options.callLog);
  return { pipeline, httpClient: createDefaultHttpClient() };
}

/** Adds back-off for a 429 without Retry-After to any SDK pipeline (also the LogsQueryClient's own). */
export function addThrottlingRetry(pipeline: Pipeline, pipelineOptions: PipelineOptions | undefined): void {
  pipeline.addPolicy(throttlingWithoutRetryAfterPolicy(pipelineOptions?.retryOptions), { phase: 'Retry' });
}

/** How long one attempt of a Table Storage or Logs Ingestion request may wait for its answer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/** Limits each attempt of a request that has no limit of its own (requestTimeout.ts), in any SDK pipeline. */
export function addRequestTimeout(pipeline: Pipeline, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): void {
  pipeline.addPolicy(requestTimeoutPolicy(timeoutMs), { afterPhase: 'Retry' });
}

/** Adds the call-log policies to any SDK pipeline (also the LogsQueryClient's own). */
export function addCallLog(pipeline: Pipeline, service: string, callLog: CallLog | undefined): void {
  if (callLog === undefined) return;
  const policies = callLogPolicies(callLog, service);
  pipeline.addPolicy(policies.outer, { phase: 'Serialize' });
  pipeline.addPolicy(policies.perAttempt, { afterPhase: 'Retry' });
}

/** Joins a configurable endpoint (with or without trailing slash) and an absolute path. */
export function serviceUrl(endpoint: string, path: string): string {
  return `${trimTrailing(endpoint, '/')}${path}`;
}
