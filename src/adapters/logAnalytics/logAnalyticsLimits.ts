/**
 * Log Analytics query API limits (learn.microsoft.com/azure/azure-monitor/service-limits#log-analytics-workspaces,
 * "Query API" and "User query throttling"): at most 500,000 rows and ~64 MB per result (Kusto's
 * E_QUERY_RESULT_SET_TOO_LARGE, as a partial result), 10 minutes of server time at most
 * (`Prefer: wait=N`, default 3 minutes), and per user 200 queries per 30 seconds and 5 running at
 * once (more queue, then 429). A result at the row cap may have been cut short, so it is treated as
 * incomplete rather than as a complete answer.
 */
import type { CallQuota } from '../../budget/callBudget.js';
import { MAX_QUERY_CHARS, type QueryLimits } from '../../core/queryLimits.js';

export const logAnalyticsMaxRows = 500_000;
export const logAnalyticsMaxServerTimeoutSeconds = 600;
export const logAnalyticsQueryLimits: QueryLimits = { maxQueryChars: MAX_QUERY_CHARS, maxRows: logAnalyticsMaxRows };

export const logAnalyticsQuotas: readonly CallQuota[] = [{ calls: 200, perMs: 30_000, source: 'Log Analytics query rate per user' }];

/** Kusto's code for a result over its row or size limit. */
export const logAnalyticsResultTooLarge = /E_QUERY_RESULT_SET_TOO_LARGE/;
