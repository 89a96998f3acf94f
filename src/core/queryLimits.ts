/**
 * What one query may carry and return on a backend, from the service's documented limits
 * (src/adapters/defender/defenderLimits.ts, src/adapters/logAnalytics/logAnalyticsLimits.ts).
 * Callers that bind many values into one query (the context enricher) size their batches by them.
 */
export interface QueryLimits {
  /** Longest query text sent in one call, in characters. */
  readonly maxQueryChars: number;
  /** Most rows in one result; a result that reaches it may have been cut short. */
  readonly maxRows: number;
}

/**
 * How long a query text the hunter sends, on every backend. Neither advanced hunting nor the Log
 * Analytics query API documents a limit on the query text; Microsoft Graph limits request bodies to
 * 4 MB (learn.microsoft.com/graph/use-the-api). We stay at a sixteenth of that on both services, so a
 * query that fits one fits the other: about 5,900 Defender device ids (40 hex characters) per query.
 */
export const MAX_QUERY_CHARS = 256 * 1024;

/** For a backend that declares no limits of its own (the local evaluator): the text bound, no row limit. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxQueryChars: MAX_QUERY_CHARS, maxRows: Number.POSITIVE_INFINITY };

/**
 * The service answered that the result was too big (rows or bytes): nothing of it may be used.
 * A caller that batched the query can ask again for fewer items.
 */
export class QueryResultTooLarge extends Error {
  override readonly name = 'QueryResultTooLarge';
}
