/**
 * One record of the run records table (./runsTable.ts) per hunt run: from the run's report, or, for a run that failed
 * before it had one (the query or the state store threw, the rule could not be read), from what is known and the
 * error. Pure: the recorder (src/compose/runRecords.ts) decides where it goes.
 *
 * Texts that may carry telemetry (device names in failure messages) or a service's words are flattened to one line
 * without link, code or tag characters and bounded, since the health alert quotes them; every list is bounded too,
 * so a record stays far below the 64 KB the ingestion service keeps of a field.
 */
import type { BackendCallsReport, RunReport, ServiceCallReport } from '../core/report.js';
import { plain } from '../incidents/markdown.js';
import { parseUtcDate } from '../kql/literals.js';

export const ERROR_CHARS = 2_000;
const MESSAGE_CHARS = 500;
const LIST_ITEMS = 20;
const EXCLUSIONS_KEPT = 50;

// A type, not an interface, so a record is a Record<string, unknown> for the ingestion client and the table file.
export type RunRecord = {
  readonly TimeGenerated: string;
  readonly RunId: string;
  readonly RuleId: string;
  readonly RuleName: string;
  readonly EnabledRules: readonly string[];
  readonly Status: string;
  readonly Backend: string;
  readonly Sink: string;
  readonly StartedAt: string;
  readonly DurationMs: number;
  readonly QueryFrequencyMs: number | null;
  readonly QueryPeriodMs: number | null;
  readonly WindowStart: string | null;
  readonly WindowEnd: string | null;
  readonly FirstRun: boolean | null;
  readonly OutageMs: number | null;
  readonly UncoveredStart: string | null;
  readonly UncoveredEnd: string | null;
  readonly Rows: number;
  readonly Hits: number;
  readonly Created: number;
  readonly Updated: number;
  readonly Suppressed: number;
  readonly Unchanged: number;
  readonly FailedDevices: number;
  readonly ParkedDevices: number;
  readonly GivenUpDevices: number;
  readonly ParkedSince: string | null;
  readonly ContextIncomplete: number;
  readonly RejectedRows: number;
  readonly Deferred: number;
  readonly Exclusions: readonly { readonly ExclusionId: string; readonly Devices: number; readonly Activities: number }[];
  readonly PhaseMs: Readonly<Record<string, number>>;
  readonly BackendCalls: number;
  readonly BackendCallsByPurpose: Readonly<Record<string, number>>;
  readonly QuotaWaits: number;
  readonly QuotaWaitedMs: number;
  readonly ServiceCalls: number;
  readonly ServiceRetries: number;
  readonly ServiceThrottled: number;
  readonly ServiceFailed: number;
  readonly Watermark: string | null;
  readonly WatermarkLagMs: number | null;
  readonly Error: string;
  readonly Failures: readonly Readonly<Record<string, string>>[];
  readonly Parked: readonly Readonly<Record<string, string | number | boolean>>[];
  readonly Warnings: readonly string[];
};

/** What the record says about the rule and the deployment, beside the report. */
export interface RunRecordContext {
  /** The rule's queryFrequency and queryPeriod: the health rule's thresholds (undefined: the rule is not known). */
  readonly queryFrequencyMs: number | undefined;
  readonly queryPeriodMs: number | undefined;
  /** The rules this deployment runs, so the health rule stops expecting a rule that was removed. */
  readonly enabledRules: readonly string[];
}

/** A report's ISO time in ms, read by the one UTC time parser; NaN when it is not one. */
const utcMs = (text: string): number => parseUtcDate(text)?.getTime() ?? Number.NaN;

/** The context of a run whose rule could not be read. */
export const UNKNOWN_RULE: RunRecordContext = { queryFrequencyMs: undefined, queryPeriodMs: undefined, enabledRules: [] };

/** The record of a run that has a report (succeeded, partial, or failed with some devices). */
export function runRecordFromReport(report: RunReport, context: RunRecordContext): RunRecord {
  const parked = report.parked;
  const since = parked.map((device) => device.since).filter((value): value is string => value !== undefined).sort()[0];
  const finishedAt = utcMs(report.finishedAt);
  const watermarkAt = report.watermark === undefined ? undefined : utcMs(report.watermark);
  const calls = backendCallCounts(report.backendCalls);
  const service = serviceCallCounts(report.serviceCalls ?? []);
  return {
    TimeGenerated: report.finishedAt,
    RunId: report.runId,
    RuleId: report.ruleId,
    RuleName: report.ruleName,
    EnabledRules: context.enabledRules,
    Status: report.status,
    Backend: report.backend,
    Sink: report.sink,
    StartedAt: report.startedAt,
    DurationMs: Math.round(report.durationsMs.total ?? Math.max(0, finishedAt - utcMs(report.startedAt))),
    QueryFrequencyMs: context.queryFrequencyMs ?? null,
    QueryPeriodMs: context.queryPeriodMs ?? null,
    WindowStart: report.window.start,
    WindowEnd: report.window.end,
    FirstRun: report.window.firstRun,
    OutageMs: report.window.outageMs ?? null,
    UncoveredStart: report.window.uncovered?.start ?? null,
    UncoveredEnd: report.window.uncovered?.end ?? null,
    Rows: report.rows,
    Hits: report.hits,
    Created: report.created.length,
    Updated: report.updated.length,
    Suppressed: report.suppressed.length,
    Unchanged: report.unchanged,
    FailedDevices: report.failures.length,
    ParkedDevices: parked.length,
    GivenUpDevices: parked.filter((device) => device.givenUp).length,
    ParkedSince: parked.length > 0 ? (since ?? null) : null,
    ContextIncomplete: report.contextIncomplete.length,
    RejectedRows: report.rejectedRows.length,
    Deferred: report.deferred,
    Exclusions: exclusionCounts(report.suppressed),
    PhaseMs: Object.fromEntries(Object.entries(report.durationsMs).map(([phase, ms]) => [phase, Math.round(ms)])),
    ...calls,
    ...service,
    Watermark: report.watermark ?? null,
    WatermarkLagMs: watermarkAt === undefined ? null : Math.max(0, finishedAt - watermarkAt),
    Error: report.failures.length === 0 ? '' : failuresError(report),
    Failures: report.failures.slice(0, LIST_ITEMS).map((failure) => ({
      DeviceId: plain(failure.deviceId, MESSAGE_CHARS),
      DeviceName: plain(failure.deviceName, MESSAGE_CHARS),
      Step: failure.step,
      Message: plain(failure.message, MESSAGE_CHARS),
    })),
    Parked: parked.slice(0, LIST_ITEMS).map((device) => ({
      DeviceId: plain(device.deviceId, MESSAGE_CHARS),
      DeviceName: plain(device.deviceName, MESSAGE_CHARS),
      Step: device.step,
      Message: plain(device.message, MESSAGE_CHARS),
      Attempts: device.attempts,
      GivenUp: device.givenUp,
    })),
    Warnings: report.warnings.slice(0, LIST_ITEMS).map((warning) => plain(warning, MESSAGE_CHARS)),
  };
}

/** What is known of a run that failed before it had a report. */
export interface FailedRun {
  readonly runId: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly error: string;
  /** Undefined when the run failed before its rule could be read. */
  readonly rule: { readonly id: string; readonly name: string } | undefined;
  readonly backend: string;
  readonly sink: string;
}

/** The record of a run that threw before it had a report: what is known, and why it failed. */
export function runRecordFromFailure(run: FailedRun, context: RunRecordContext): RunRecord {
  return {
    TimeGenerated: run.finishedAt.toISOString(),
    RunId: run.runId,
    RuleId: run.rule?.id ?? '',
    RuleName: run.rule?.name ?? '',
    EnabledRules: context.enabledRules,
    Status: 'failed',
    Backend: run.backend,
    Sink: run.sink,
    StartedAt: run.startedAt.toISOString(),
    DurationMs: Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime()),
    QueryFrequencyMs: context.queryFrequencyMs ?? null,
    QueryPeriodMs: context.queryPeriodMs ?? null,
    WindowStart: null,
    WindowEnd: null,
    FirstRun: null,
    OutageMs: null,
    UncoveredStart: null,
    UncoveredEnd: null,
    Rows: 0,
    Hits: 0,
    Created: 0,
    Updated: 0,
    Suppressed: 0,
    Unchanged: 0,
    FailedDevices: 0,
    ParkedDevices: 0,
    GivenUpDevices: 0,
    ParkedSince: null,
    ContextIncomplete: 0,
    RejectedRows: 0,
    Deferred: 0,
    Exclusions: [],
    PhaseMs: {},
    BackendCalls: 0,
    BackendCallsByPurpose: {},
    QuotaWaits: 0,
    QuotaWaitedMs: 0,
    ServiceCalls: 0,
    ServiceRetries: 0,
    ServiceThrottled: 0,
    ServiceFailed: 0,
    Watermark: null,
    WatermarkLagMs: null,
    Error: plain(run.error, ERROR_CHARS),
    Failures: [],
    Parked: [],
    Warnings: [],
  };
}

function failuresError(report: RunReport): string {
  const shown = report.failures.slice(0, 3).map((failure) => `${failure.deviceName} (${failure.step}): ${failure.message}`);
  return plain(`${report.failures.length} of ${report.hits} device(s) failed; the watermark did not move: ${shown.join('; ')}`, ERROR_CHARS);
}

/** Devices per exclusion (each device under every exclusion that matched it), largest first, bounded. */
function exclusionCounts(suppressed: RunReport['suppressed']): RunRecord['Exclusions'] {
  const counts = new Map<string, { devices: number; activities: number }>();
  for (const device of suppressed) {
    for (const id of device.exclusionIds) {
      const count = counts.get(id) ?? { devices: 0, activities: 0 };
      count.devices += 1;
      count.activities += device.activities?.[id] ?? 0;
      counts.set(id, count);
    }
  }
  return [...counts]
    .map(([id, count]) => ({ ExclusionId: plain(id, MESSAGE_CHARS), Devices: count.devices, Activities: count.activities }))
    .sort((a, b) => b.Activities - a.Activities || b.Devices - a.Devices || a.ExclusionId.localeCompare(b.ExclusionId))
    .slice(0, EXCLUSIONS_KEPT);
}

function backendCallCounts(calls: BackendCallsReport | undefined): Pick<RunRecord, 'BackendCalls' | 'BackendCallsByPurpose' | 'QuotaWaits' | 'QuotaWaitedMs'> {
  const byPurpose = Object.fromEntries(Object.entries(calls?.calls ?? {}).map(([purpose, count]) => [purpose, count ?? 0]));
  return {
    BackendCalls: Object.values(byPurpose).reduce((sum, count) => sum + count, 0),
    BackendCallsByPurpose: byPurpose,
    QuotaWaits: calls?.waits ?? 0,
    QuotaWaitedMs: Math.round(calls?.waitedMs ?? 0),
  };
}

/**
 * Statuses that are part of the documented flows rather than failures: 404 (an incident or entity not there yet),
 * 409 and 412 (a concurrent write: re-read and decide again).
 */
const EXPECTED_STATUSES = new Set([404, 409, 412]);

function serviceCallCounts(calls: readonly ServiceCallReport[]): Pick<RunRecord, 'ServiceCalls' | 'ServiceRetries' | 'ServiceThrottled' | 'ServiceFailed'> {
  return {
    ServiceCalls: calls.length,
    ServiceRetries: calls.reduce((sum, call) => sum + Math.max(0, call.attempts - 1), 0),
    ServiceThrottled: calls.filter((call) => call.status === 429).length,
    ServiceFailed: calls.filter((call) => call.status === undefined || (call.status >= 400 && !EXPECTED_STATUSES.has(call.status))).length,
  };
}
