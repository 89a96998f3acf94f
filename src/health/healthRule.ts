/**
 * The health analytics rule, as far as the code decides it: schedule, alert details, custom details and grouping.
 * infra/modules/health.bicep reads these through infra/generated/healthRule.json (`npm run gen:infra`); the query is
 * infra/modules/healthRule.kql, which the Bicep loads as it is and the tests run offline.
 *
 * A Sentinel analytics rule, not an Azure Monitor scheduled query rule: its alerts land in the same queue as the
 * detections (the Defender portal's incidents), with the run's error in the alert, and group into incidents by rule
 * and problem. Facts (learn.microsoft.com/azure/sentinel): scheduled-rules-overview, "Query scheduling": interval and
 * look-back each 5 minutes to 14 days, rules run on a five-minute delay; "Alert grouping": time frame 5 minutes to
 * 7 days, at most 150 alerts per incident; surface-custom-details-in-alerts: at most 20 custom details.
 */
import { formatIsoDuration } from '../core/duration.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How often the health rule looks: an outage is raised at most an hour after it passes two intervals. */
export const HEALTH_RULE_FREQUENCY_MS = HOUR;
/**
 * The longest look-back Sentinel allows (and the query's own `lookback`): a rule that ran within it is still known
 * when no record arrives at all, so a stopped Function still raises "no successful hunt", for 14 days.
 */
export const HEALTH_RULE_PERIOD_MS = 14 * DAY;
/** One incident per rule and problem collects its hourly alerts for up to a week (Sentinel's longest time frame). */
export const HEALTH_GROUPING_LOOKBACK_MS = 7 * DAY;

/** The problems the query raises, as its Problem column names them (docs/operations.md has one section each). */
export const HEALTH_PROBLEMS = ['NoSuccessfulRun', 'WatermarkBehind', 'DevicesParked', 'Throttled', 'SetupFailed'] as const;
export type HealthProblem = (typeof HEALTH_PROBLEMS)[number];

/** Custom details (key -> column of the query's result). */
export const HEALTH_CUSTOM_DETAILS: Readonly<Record<string, string>> = {
  HuntingRuleId: 'RuleId',
  HuntingRuleName: 'RuleName',
  Problem: 'Problem',
  LastStatus: 'LastStatus',
  LastRunAt: 'LastRunAt',
  LastSuccessAt: 'LastSuccessAt',
  LastError: 'LastError',
  WatermarkLagHours: 'WatermarkLagHours',
  ParkedDevices: 'ParkedDevices',
  QuotaWaitShare: 'QuotaWaitShare',
  ServiceThrottled: 'ServiceThrottled',
};

/** An incident per hunting rule and problem. */
export const HEALTH_GROUP_BY_CUSTOM_DETAILS = ['HuntingRuleId', 'Problem'] as const;

export interface HealthRuleDefinition {
  readonly displayName: string;
  readonly description: string;
  readonly queryFrequency: string;
  readonly queryPeriod: string;
  readonly groupingLookback: string;
  readonly customDetails: Readonly<Record<string, string>>;
  readonly groupByCustomDetails: readonly string[];
}

export function healthRuleDefinition(): HealthRuleDefinition {
  return {
    displayName: 'ammyy-hunter: hunter health',
    description:
      "Raises an alert when the ammyy-hunter Function stops hunting: no successful run for longer than two of a rule's intervals (runs failing or no run recorded at all), a watermark further behind than the rule's query period, detections parked for longer than two intervals, or throttling. Reads the run records in AmmyyHunterRuns_CL; what each alert means and what to do: docs/operations.md.",
    queryFrequency: formatIsoDuration(HEALTH_RULE_FREQUENCY_MS),
    queryPeriod: formatIsoDuration(HEALTH_RULE_PERIOD_MS),
    groupingLookback: formatIsoDuration(HEALTH_GROUPING_LOOKBACK_MS),
    customDetails: HEALTH_CUSTOM_DETAILS,
    groupByCustomDetails: HEALTH_GROUP_BY_CUSTOM_DETAILS,
  };
}
