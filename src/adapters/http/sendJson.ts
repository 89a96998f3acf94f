/** One JSON request through a service pipeline; the response is returned whatever its status. */
import { createHttpHeaders, createPipelineRequest, type HttpClient, type HttpMethods, type Pipeline, type PipelineResponse } from '@azure/core-rest-pipeline';
import { errorMessage } from '../../core/errors.js';
import { parseJsonExact } from '../../core/exactJson.js';

export interface JsonRequest {
  /** What we were doing, for the error when no response arrives at all. */
  readonly what: string;
  readonly method: HttpMethods;
  readonly url: string;
  readonly body?: unknown;
  /** Milliseconds before the client gives up on the request (0: no limit). */
  readonly timeoutMs?: number;
}

export async function sendJson(pipeline: Pipeline, httpClient: HttpClient, request: JsonRequest): Promise<PipelineResponse> {
  const pipelineRequest = createPipelineRequest({
    method: request.method,
    url: request.url,
    headers: createHttpHeaders({ accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }) }),
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    timeout: request.timeoutMs ?? 0,
  });
  try {
    return await pipeline.sendRequest(httpClient, pipelineRequest);
  } catch (error) {
    // Non-2xx answers come back as responses; only transport failures (after the retries) land here.
    throw new Error(`${request.what} got no answer from ${new URL(request.url).host}: ${errorMessage(error)}`, { cause: error });
  }
}

/** Integers beyond 2^53 in the body (Kusto longs such as ReportId) come back as their exact decimal text. */
export function parseJsonBody<T>(response: PipelineResponse, what: string): T {
  try {
    return parseJsonExact(response.bodyAsText ?? '') as T;
  } catch {
    throw new Error(`${what}: the service answered HTTP ${response.status} with a body that is not JSON: ${(response.bodyAsText ?? '').slice(0, 200)}`);
  }
}
