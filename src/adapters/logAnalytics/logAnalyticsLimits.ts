/**
 * Log Analytics query API limits (learn.microsoft.com/azure/azure-monitor/service-limits#log-analytics-workspaces,
 * "Query API"): at most 500,000 rows and ~100 MB per result, 10 minutes of server time at most
 * (`Prefer: wait=N`, default 3 minutes). A result at the row cap may have been cut short, so it is
 * treated as incomplete rather than as a complete answer.
 */
export const logAnalyticsMaxRows = 500_000;
export const logAnalyticsMaxServerTimeoutSeconds = 600;
