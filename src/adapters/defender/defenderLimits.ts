/**
 * Advanced hunting limits through Microsoft Graph (learn.microsoft.com/defender-xdr/api-advanced-hunting,
 * learn.microsoft.com/defender-endpoint/api/run-advanced-query-api and the runHuntingQuery reference):
 * data from the last 30 days only, at most 100,000 rows and 124 MB per result (more is answered 400
 * "Query execution has exceeded the allowed result size"), a single request runs at most about
 * 3 minutes (the legacy API documents 200 s), and per-tenant quotas of 45 calls per minute and 1,500
 * per hour (plus a CPU budget per hour and day), answered with 429.
 */
import type { CallQuota } from '../../budget/callBudget.js';
import { MAX_QUERY_CHARS, type QueryLimits } from '../../core/queryLimits.js';

export const defenderMaxRows = 100_000;
export const defenderMaxLookbackMs = 30 * 86_400_000;
export const defenderPermission = 'ThreatHunting.Read.All';
export const defenderQueryLimits: QueryLimits = { maxQueryChars: MAX_QUERY_CHARS, maxRows: defenderMaxRows };

const source = 'advanced hunting API quota per tenant';
export const defenderQuotas: readonly CallQuota[] = [
  { calls: 45, perMs: 60_000, source },
  { calls: 1_500, perMs: 3_600_000, source },
];

/** The 400 message advanced hunting answers a result over 124 MB with. */
export const defenderResultTooLarge = /exceeded the allowed result size/i;

/**
 * The longest a single request may run on the service before it answers with its own timeout error:
 * about 3 minutes through Graph, 200 s documented for the legacy API. The client waits longer
 * (`defenderClientTimeoutMs`), so the operator reads the service's error, not the client's abort.
 */
export const defenderServiceTimeoutSeconds = 200;
const CLIENT_TIMEOUT_MARGIN_SECONDS = 60;

/** QUERY_TIMEOUT_SECONDS, but never less than the service's own limit plus a margin for the answer to arrive. */
export function defenderClientTimeoutMs(queryTimeoutSeconds: number): number {
  return (Math.max(queryTimeoutSeconds, defenderServiceTimeoutSeconds) + CLIENT_TIMEOUT_MARGIN_SECONDS) * 1000;
}
