/**
 * The run records table: one record per hunt run, successful or not, written after the run through the Logs Ingestion
 * API (its own DCR, infra/modules/health.bicep) or, locally, to `<out>/tables/AmmyyHunterRuns_CL.jsonl`. The health
 * analytics rule and the workbook read it (docs/operations.md). Said once here; the Bicep table and DCR stream, the
 * local KQL catalogue and the record type derive from it.
 *
 * Every count is of devices unless it says otherwise; every duration is whole milliseconds (a custom table has no
 * timespan type: `DurationMs * 1ms` is one in KQL).
 */
import type { TableSchema } from '../kql/types.js';
import { customTableSchema, localCustomTableSchema, type CustomTable, type CustomTableColumn } from '../workspace/customTable.js';

export const RUNS_TABLE_NAME = 'AmmyyHunterRuns_CL';
export const RUNS_STREAM_DEFAULT = 'Custom-AmmyyHunterRuns';
/** Long enough for the workbook's trends and to know, after a long outage, which rules used to run. */
export const RUNS_RETENTION_DAYS = 90;

export const RUNS_COLUMNS: readonly CustomTableColumn[] = [
  { name: 'TimeGenerated', type: 'datetime', description: 'When the run ended and its record was written.' },
  { name: 'RunId', type: 'string', description: 'Id of the run (the run report in Table Storage has the same id). A record uploaded twice carries the same id.' },
  { name: 'RuleId', type: 'string', description: 'Id of the hunting rule; empty when the run failed before its rule could be read (Error says why).' },
  { name: 'RuleName', type: 'string', description: 'Name of the hunting rule.' },
  { name: 'EnabledRules', type: 'dynamic', description: "Ids of the rules this deployment runs (RULE_PATH) as of this run: a rule missing from the newest record's list was removed on purpose, and the health rule no longer expects it to run." },
  { name: 'Status', type: 'string', description: 'succeeded; partial (stopped at its time budget, the next run continues); failed (Error says why; the watermark stayed).' },
  { name: 'Backend', type: 'string', description: 'Where the hunt ran: local, log-analytics or defender.' },
  { name: 'Sink', type: 'string', description: 'Where detections went: sentinel-alerts, sentinel-incidents or file.' },
  { name: 'StartedAt', type: 'datetime', description: 'When the run started (the instant it treated as now).' },
  { name: 'DurationMs', type: 'long', description: 'How long the run took.' },
  { name: 'QueryFrequencyMs', type: 'long', description: "The rule's queryFrequency: how often it is meant to run. The health rule alerts after two of these without a successful run." },
  { name: 'QueryPeriodMs', type: 'long', description: "The rule's queryPeriod: how far back one run reads. The health rule alerts when the watermark lags by more." },
  { name: 'WindowStart', type: 'datetime', description: 'Start of the window the run hunted.' },
  { name: 'WindowEnd', type: 'datetime', description: 'End of the window the run hunted.' },
  { name: 'FirstRun', type: 'bool', description: 'True for the first run of the rule (no watermark yet).' },
  { name: 'OutageMs', type: 'long', description: 'Set when the last completed window ended more than two intervals before this run: how long ago.' },
  { name: 'UncoveredStart', type: 'datetime', description: 'Start of events never hunted because they are older than the backend can reach (set only then).' },
  { name: 'UncoveredEnd', type: 'datetime', description: 'End of events never hunted (set only then).' },
  { name: 'Rows', type: 'long', description: 'Rows the hunt query returned.' },
  { name: 'Hits', type: 'long', description: 'Devices the hunt matched.' },
  { name: 'Created', type: 'long', description: 'Detections that opened an episode.' },
  { name: 'Updated', type: 'long', description: 'Detections that updated an open episode.' },
  { name: 'Suppressed', type: 'long', description: 'Devices whose activity the exclusions explained.' },
  { name: 'Unchanged', type: 'long', description: 'Devices with nothing new since they were last reported.' },
  { name: 'FailedDevices', type: 'long', description: 'Devices that failed for a reason a retry may fix (the watermark stayed).' },
  { name: 'ParkedDevices', type: 'long', description: 'Devices whose detection is parked: it could not be written and waits apart, retried later.' },
  { name: 'GivenUpDevices', type: 'long', description: 'Parked devices given up after repeated attempts (raised again only with new evidence).' },
  { name: 'ParkedSince', type: 'datetime', description: 'When the longest-parked device was first parked (set when ParkedDevices > 0).' },
  { name: 'ContextIncomplete', type: 'long', description: 'Devices raised without their context: asked again next run.' },
  { name: 'RejectedRows', type: 'long', description: 'Hunt result rows skipped as malformed.' },
  { name: 'Deferred', type: 'long', description: 'Devices left for the next run because the run reached its time budget.' },
  { name: 'Exclusions', type: 'dynamic', description: 'Per exclusion that suppressed something: [{ ExclusionId, Devices, Activities }] (Activities: the context activities it explained), largest first, at most 50.' },
  { name: 'PhaseMs', type: 'dynamic', description: 'Milliseconds per phase: { loadState, query, enrich, detectionsAndState, suppressions, ..., total }.' },
  { name: 'BackendCalls', type: 'long', description: 'Queries sent to the backend (hunt, context, group lookups).' },
  { name: 'BackendCallsByPurpose', type: 'dynamic', description: 'Queries per purpose: { hunt, context, ... }.' },
  { name: 'QuotaWaits', type: 'long', description: "Queries that waited for a slot of the backend's call quota." },
  { name: 'QuotaWaitedMs', type: 'long', description: "Time those queries waited for the backend's quota, in all." },
  { name: 'ServiceCalls', type: 'long', description: 'HTTP calls the cloud adapters made (backend, sink, Graph, ARM).' },
  { name: 'ServiceRetries', type: 'long', description: 'Extra attempts the SDK pipelines made (429, 408, 5xx and connection errors are retried).' },
  { name: 'ServiceThrottled', type: 'long', description: 'Calls the service still answered 429 (too many requests) after the retries.' },
  { name: 'ServiceFailed', type: 'long', description: 'Calls that ended with no response or an error status, throttled ones included (404, 409 and 412 belong to normal flows: not counted).' },
  { name: 'Watermark', type: 'datetime', description: 'End of the last window in which every hit was done, after the run (unset before the first complete run).' },
  { name: 'WatermarkLagMs', type: 'long', description: 'How far the watermark is behind the end of the run.' },
  { name: 'Error', type: 'string', description: 'Why the run failed (at most 2,000 characters); empty otherwise.' },
  { name: 'Failures', type: 'dynamic', description: 'Devices that failed: [{ DeviceId, DeviceName, Step, Message }], at most 20.' },
  { name: 'Parked', type: 'dynamic', description: 'Parked devices: [{ DeviceId, DeviceName, Step, Message, Attempts, GivenUp }], at most 20.' },
  { name: 'Warnings', type: 'dynamic', description: 'What the run warned about (outage, uncovered events, over-broad exclusions, parking), at most 20.' },
];

export const RUNS_TABLE: CustomTable = {
  name: RUNS_TABLE_NAME,
  description: 'ammyy-hunter run records: one per hunt run, successful or not (docs/operations.md).',
  retentionInDays: RUNS_RETENTION_DAYS,
  streamName: RUNS_STREAM_DEFAULT,
  columns: RUNS_COLUMNS,
};

/** The table as its columns declare it (Kusto.Language checks the health rule and the workbook against this). */
export const runsTableSchema: TableSchema = customTableSchema(RUNS_TABLE);
/** The table as the local table files hold it (with `_TimeReceived`). */
export const localRunsTableSchema: TableSchema = localCustomTableSchema(RUNS_TABLE);
