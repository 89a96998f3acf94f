import { errorMessage } from '../../core/errors.js';
import { trimTrailing } from '../../text/trimTrailing.js';

/** Status code of an Azure SDK error (RestError), or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/** Wraps an unexpected storage error with which table, where, and what the hunter was doing. */
export function storageError(table: { readonly tableName: string; readonly url: string }, what: string, error: unknown): Error {
  const status = statusOf(error);
  // No answer at all (refused, reset, unknown host): the store is down or unreachable, which is what to say.
  const unreachable = status === undefined && /ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up/.test(errorMessage(error));
  const advice = unreachable ? ' — the state store is unreachable: check that it runs and answers (Azurite, or the storage account and its network), then run again; the watermark moves only after a run whose writes all succeeded' : '';
  return new Error(`state table ${table.tableName} at ${storeAddress(table.url)}: ${what} failed${status ? ` (HTTP ${status})` : ''}: ${errorMessage(error)}${advice}`, { cause: error });
}

/** The account endpoint without query or credentials (host, and the account name for path-style emulator URLs). */
function storeAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${trimTrailing(parsed.pathname, '/')}`;
  } catch {
    return url;
  }
}
