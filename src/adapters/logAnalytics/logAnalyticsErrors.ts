/**
 * The service's own explanation of a failed or partial Log Analytics query, flattened to one line.
 * Errors follow the Log Analytics error format: { code, message, details: [{ code, message, innererror }] }
 * (learn.microsoft.com/azure/azure-monitor/logs/api/errors).
 */
import { isRestError } from '@azure/core-rest-pipeline';
import { errorMessage } from '../../core/errors.js';

interface ErrorInfo {
  readonly code?: string;
  readonly message?: string;
  readonly details?: readonly ErrorInfo[];
  readonly innererror?: ErrorInfo;
  readonly innerError?: ErrorInfo;
}

function collectMessages(info: ErrorInfo | undefined, into: string[], depth = 0): void {
  if (!info || depth > 5) return;
  const text = [info.code, info.message].filter(Boolean).join(': ');
  if (text && !into.includes(text)) into.push(text);
  for (const detail of info.details ?? []) collectMessages(detail, into, depth + 1);
  collectMessages(info.innererror ?? info.innerError, into, depth + 1);
}

export function describePartialError(error: unknown): string {
  const messages: string[] = [];
  collectMessages(error as ErrorInfo, messages);
  return messages.join('; ') || 'no error detail returned';
}

const HINTS: Readonly<Record<number, string>> = {
  401: 'the identity has no valid token for Log Analytics; check AZURE_CLIENT_ID and LOG_ANALYTICS_ENDPOINT for your cloud',
  403: "the identity needs the 'Log Analytics Reader' role (or Microsoft.OperationalInsights/workspaces/query/read) on the workspace",
  404: 'no workspace with this id; LOG_ANALYTICS_WORKSPACE_ID is the workspace GUID, not its name',
  429: 'throttled by Log Analytics even after the retries (limits: 200 requests per 30 s per user, 5 concurrent queries)',
};

/** `rawError` is the `error` object as the service sent it, when it was captured. */
export function describeQueryFailure(error: unknown, rawError?: unknown): string {
  if (isRestError(error)) {
    const messages: string[] = [];
    collectMessages((rawError as ErrorInfo | undefined) ?? (error as { details?: { error?: ErrorInfo } }).details?.error, messages);
    if (messages.length === 0) messages.push(error.message);
    const status = error.statusCode;
    const hint = status !== undefined ? HINTS[status] : undefined;
    return `HTTP ${status ?? 'no response'}: ${messages.join('; ')}${hint ? ` — ${hint}` : ''}`;
  }
  return errorMessage(error);
}
