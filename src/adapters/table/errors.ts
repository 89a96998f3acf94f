import { errorMessage } from '../../core/errors.js';

/** Status code of an Azure SDK error (RestError), or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/** Wraps an unexpected storage error with what the hunter was doing. */
export function storageError(what: string, error: unknown): Error {
  const status = statusOf(error);
  return new Error(`state table: ${what} failed${status ? ` (HTTP ${status})` : ''}: ${errorMessage(error)}`, { cause: error });
}
