/**
 * Advanced hunting limits through Microsoft Graph (learn.microsoft.com/defender-xdr/api-advanced-hunting
 * and the runHuntingQuery reference): data from the last 30 days only, at most 100,000 rows per result,
 * a single request runs at most about 3 minutes (the legacy API documents 200 s), and per-tenant quotas
 * (45 calls per minute, 1,500 per hour, CPU budget per hour and day) answered with 429.
 */
export const defenderMaxRows = 100_000;
export const defenderMaxLookbackMs = 30 * 86_400_000;
export const defenderPermission = 'ThreatHunting.Read.All';
