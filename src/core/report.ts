/**
 * What one hunt run did. `hunter replay --format json` prints it as is, the function logs
 * it, and the state store keeps it for `hunter runs`. Every time is an ISO-8601 UTC string
 * so the report is the same object in memory, in JSON and in storage.
 */

export interface IncidentRef {
  readonly incidentId: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly title: string;
  /** Why: `newDevice`, `update`, `reopen`, or a new episode (`closed`, `lookbackExpired`, `incidentMissing`). */
  readonly reason: string;
  readonly previousIncidentId?: string;
  /** Report ids this run added to the incident. */
  readonly newReportIds: number;
}

export interface SuppressedRef {
  readonly deviceId: string;
  readonly deviceName: string;
  /** The first matching exclusion (the CLI contract's single id). */
  readonly exclusionId: string;
  readonly exclusionIds: readonly string[];
  /** Whether the device's suppression record changed: written to state (a dry run: would be). False: nothing new to record. */
  readonly recorded?: boolean;
  /** The device's incident, left as it is: suppressed evidence neither updates nor comments it. */
  readonly incidentId?: string;
}

export interface HitFailure {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly step: 'decide' | 'incident' | 'state';
  readonly message: string;
}

export interface WindowReport {
  readonly start: string;
  readonly end: string;
  readonly firstRun: boolean;
  readonly cappedBy?: 'queryPeriod' | 'backendLookback';
  /** Set when the watermark was older than twice the query frequency. */
  readonly outageMs?: number;
  /** Never hunted: older than the backend can reach. */
  readonly uncovered?: { readonly start: string; readonly end: string };
}

export interface CallReport {
  readonly target: 'backend' | 'enricher' | 'sink' | 'state';
  readonly operation: string;
  readonly durationMs: number;
  readonly count?: number;
}

/** 'dryRun' is a dry run that succeeded; a dry run with failures is 'failed' like any other run. */
export type RunStatus = 'succeeded' | 'failed' | 'dryRun';

export interface RunReport {
  readonly runId: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly backend: string;
  readonly sink: string;
  readonly dryRun: boolean;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly window: WindowReport;
  /** Where the watermark stands after the run (unchanged on failure or dry run). */
  readonly watermark: string | undefined;
  readonly rows: number;
  readonly hits: number;
  readonly created: readonly IncidentRef[];
  readonly updated: readonly IncidentRef[];
  readonly suppressed: readonly SuppressedRef[];
  readonly unchanged: number;
  readonly failures: readonly HitFailure[];
  readonly warnings: readonly string[];
  readonly durationsMs: Readonly<Record<string, number>>;
  readonly calls: readonly CallReport[];
  /** HTTP calls the cloud adapters made (method, path, status, attempts), when any. */
  readonly serviceCalls?: readonly ServiceCallReport[];
  /** Queries sent to the backend, and the waits the client-side call budget imposed on them. */
  readonly backendCalls?: BackendCallsReport;
}

/** The run's queries by purpose (hunt, context) and how long they waited for the backend's quota. */
export interface BackendCallsReport {
  readonly calls: Readonly<Partial<Record<string, number>>>;
  /** Calls that had to wait for a quota slot, and the time they waited in all (ms). */
  readonly waits: number;
  readonly waitedMs: number;
  /** The quotas the calls were held to, as text (none for the local evaluator). */
  readonly quotas: readonly string[];
}

/** One logical HTTP call of a cloud adapter; `attempts` > 1 means the SDK pipeline retried it. */
export interface ServiceCallReport {
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly attempts: number;
  readonly durationMs: number;
  readonly startedAt: string;
}

/** Thrown when at least one hit failed: the watermark did not move, and the host should retry. */
export class HuntRunFailed extends Error {
  override readonly name = 'HuntRunFailed';
  constructor(readonly report: RunReport) {
    super(
      `hunt ${report.ruleId} failed for ${report.failures.length} of ${report.hits} hits; watermark not advanced: ` +
        report.failures
          .slice(0, 3)
          .map((f) => `${f.deviceId} (${f.step}): ${f.message}`)
          .join('; '),
    );
  }
}
