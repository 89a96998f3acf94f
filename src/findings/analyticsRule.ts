/**
 * The Sentinel analytics rule that turns findings into alerts, as far as the code decides it: its schedule and
 * the pacing the findings sink applies so that every finding gets its own alert. infra/modules/findings.bicep
 * reads these through infra/generated/findingsRule.json (`npm run gen:infra`), with the MITRE mapping, severity
 * and grouping look-back from the rule YAML, so there is no second hand-written copy to drift.
 *
 * Facts (learn.microsoft.com/azure/sentinel):
 * - scheduled-rules-overview, "Query scheduling": interval and look-back each from 5 minutes to 14 days;
 *   "Event grouping": with an alert per result, at most 150 alerts per run, and with more results the first 149
 *   get their own alert and the 150th summarises all of them; "Alert grouping": time frame 5 minutes to 7 days,
 *   at most 150 alerts per incident.
 * - sentinel-service-limits: 150 alerts per rule run (30 for NRT rules).
 */
import { formatIsoDuration } from '../core/duration.js';
import type { HuntRule } from '../rules/rule.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The rule runs as often as Sentinel allows: more runs, more alerts per hour. */
export const RULE_FREQUENCY_MS = 5 * MINUTE;
/** The longest look-back Sentinel allows: a copy of a finding written up to 14 days later is still recognised. */
export const RULE_PERIOD_MS = 14 * DAY;
/** Most alerts one run raises one by one (the 150th would summarise the rest). */
export const ALERTS_PER_RULE_RUN = 149;
/**
 * Findings the sink makes due per rule interval. Half of what a run can raise: a run's five minutes can hold
 * one paced slot plus the stragglers of the slot before it (records ingested after their AlertAfter), and
 * the two together still fit in one run (2 x 70 = 140 <= 149).
 */
export const FINDINGS_PER_SLOT = 70;
/** Alerts Sentinel groups into one incident; the next opens a copy (scheduled-rules-overview, "Alert grouping"). */
export const ALERTS_PER_INCIDENT = 150;
/** Sentinel's bounds on the grouping time frame. */
export const GROUPING_LOOKBACK_BOUNDS_MS = { min: 5 * MINUTE, max: 7 * DAY } as const;

export interface EntityMapping {
  readonly entityType: 'Host' | 'FileHash' | 'File' | 'Process' | 'Account' | 'IP' | 'URL';
  readonly fieldMappings: readonly { readonly identifier: string; readonly columnName: string }[];
}

/**
 * The alert's entities, from the columns the rule's query returns (infra/modules/findingsRule.kql): at most 10
 * mappings of at most 3 identifiers each (sentinel-service-limits; map-data-fields-to-entities), identifiers as
 * sentinel/entities-reference lists them. The Host entity has no Defender device id identifier, so the device id
 * is the DefenderDeviceId custom detail. `hunter replay` shows the same entities.
 */
export const ENTITY_MAPPINGS: readonly EntityMapping[] = [
  { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'HostName' }, { identifier: 'DnsDomain', columnName: 'HostDnsDomain' }] },
  { entityType: 'FileHash', fieldMappings: [{ identifier: 'Algorithm', columnName: 'FileHashAlgorithm' }, { identifier: 'Value', columnName: 'FileSHA1' }] },
  { entityType: 'File', fieldMappings: [{ identifier: 'Name', columnName: 'FileName' }, { identifier: 'Directory', columnName: 'FileDirectory' }] },
  { entityType: 'Process', fieldMappings: [{ identifier: 'CommandLine', columnName: 'ProcessCommandLine' }, { identifier: 'CreationTimeUtc', columnName: 'ProcessCreationTime' }] },
  { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'AccountName' }, { identifier: 'NTDomain', columnName: 'AccountNTDomain' }, { identifier: 'Sid', columnName: 'AccountSid' }] },
  { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'AccountUpnName' }, { identifier: 'UPNSuffix', columnName: 'AccountUpnSuffix' }] },
  { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'RemoteIP' }] },
  { entityType: 'URL', fieldMappings: [{ identifier: 'Url', columnName: 'RemoteUrl' }] },
];

/** Custom details (key -> column): at most 20, 2 KB together (sentinel-service-limits); the record bounds the values. */
export const CUSTOM_DETAILS: Readonly<Record<string, string>> = {
  EpisodeId: 'EpisodeId',
  FindingId: 'FindingId',
  DefenderDeviceId: 'DeviceId',
  ReportIds: 'ReportIds',
  ReportIdCount: 'ReportIdCount',
  WhatIsNew: 'WhatIsNew',
  LastSeen: 'LastSeen',
};

/** The custom detail that groups an episode's alerts into one incident. */
export const GROUP_BY_CUSTOM_DETAIL = 'EpisodeId';

export interface AnalyticsRuleDefinition {
  readonly huntingRuleId: string;
  readonly displayName: string;
  readonly description: string;
  readonly severity: HuntRule['severity'];
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly queryFrequency: string;
  readonly queryPeriod: string;
  readonly groupingLookback: string;
  readonly reopenClosedIncident: boolean;
  readonly entityMappings: readonly EntityMapping[];
  readonly customDetails: Readonly<Record<string, string>>;
  readonly groupByCustomDetails: readonly string[];
}

/** What the deployed analytics rule takes from the hunting rule; throws when the YAML asks for what Sentinel refuses. */
export function analyticsRuleDefinition(rule: HuntRule): AnalyticsRuleDefinition {
  const lookback = rule.grouping.lookbackDurationMs;
  if (lookback < GROUPING_LOOKBACK_BOUNDS_MS.min || lookback > GROUPING_LOOKBACK_BOUNDS_MS.max) {
    throw new Error(`${rule.sourcePath}: incidentConfiguration.groupingConfiguration.lookbackDuration must be between 5 minutes and 7 days for the analytics rule (Sentinel's alert grouping time frame)`);
  }
  return {
    huntingRuleId: rule.id,
    displayName: `ammyy-hunter: ${rule.name}`,
    description: `Raises one alert per finding the ammyy-hunter Function writes to the findings table for its hunting rule ${rule.id}, with the device, file, process, account, IP and URL entities, and groups one device episode's alerts into one incident. The hunt itself runs in the Function; see the finding's TriageMarkdown for the full triage text.`,
    severity: rule.severity,
    tactics: rule.tactics,
    techniques: rule.relevantTechniques,
    queryFrequency: formatIsoDuration(RULE_FREQUENCY_MS),
    queryPeriod: formatIsoDuration(RULE_PERIOD_MS),
    groupingLookback: formatIsoDuration(lookback),
    reopenClosedIncident: rule.grouping.reopenClosedIncident,
    // The rule file names the entity types, most important first (alertEntities); each maps as below.
    entityMappings: rule.alertEntities.flatMap((type) => ENTITY_MAPPINGS.filter((mapping) => mapping.entityType === type)),
    customDetails: CUSTOM_DETAILS,
    groupByCustomDetails: [GROUP_BY_CUSTOM_DETAIL],
  };
}
