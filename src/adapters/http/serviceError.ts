/**
 * Errors that carry the service's own words. Azure services answer failures with
 * `{ "error": { "code", "message" } }` (ARM: learn.microsoft.com/azure/azure-resource-manager/management/
 * common-api-details; Graph: learn.microsoft.com/graph/errors), which is what an operator needs to see.
 */
import type { PipelineResponse } from '@azure/core-rest-pipeline';

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

export function serviceErrorDetail(response: PipelineResponse): { readonly code: string | undefined; readonly message: string } {
  const body = response.bodyAsText ?? '';
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message : body;
    return { code, message: message.slice(0, 2000) };
  } catch {
    return { code: undefined, message: body.slice(0, 2000) || '(empty body)' };
  }
}

/** `what` says what we were doing; `hint` says what the operator can do about it. */
export function serviceError(what: string, response: PipelineResponse, hint?: string): ServiceError {
  const { code, message } = serviceErrorDetail(response);
  const requestId = response.headers.get('x-ms-request-id') ?? response.headers.get('request-id') ?? undefined;
  const text = `${what} failed with HTTP ${response.status}${code ? ` ${code}` : ''}: ${message}${hint ? ` — ${hint}` : ''}${requestId ? ` (request id ${requestId})` : ''}`;
  return new ServiceError(text, response.status, code, requestId);
}
