/**
 * What one hunt run did. `hunter replay --format json` prints it as is, the function logs
 * it, and the state store keeps it for `hunter runs`. Every time is an ISO-8601 UTC string
 * so the report is the same object in memory, in JSON and in storage.
 */

/** One detection the run wrote (created: the episode's first; updated: a later one). */
export interface DetectionRef {
  readonly episodeId: string;
  readonly findingId: string;
  readonly sequence: number;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly title: string;
  /** Why: `newDevice`, `update`, `contextArrived`, or a new episode (`closed`, `lookbackExpired`, `incidentMissing`); `resumed` when the sink already had the episode. */
  readonly reason: string;
  readonly previousEpisodeId?: string;
  /** Report ids this run added to the episode. */
  readonly newReportIds: number;
  /** False while the device's context is incomplete: the next run asks for it again. */
  readonly contextComplete: boolean;
  /** Where the SOC finds it, when the sink says. */
  readonly link?: string;
}

export interface SuppressedRef {
  readonly deviceId: string;
  readonly deviceName: string;
  /** The first matching exclusion (the CLI contract's single id). */
  readonly exclusionId: string;
  readonly exclusionIds: readonly string[];
  /** Whether the device's suppression record changed: written to state (a dry run: would be). False: nothing new to record. */
  readonly recorded?: boolean;
  /** The device's episode, left as it is: suppressed evidence neither updates nor comments it. */
  readonly episodeId?: string;
  /** How many of the device's context activities each exclusion explained (the run records count them per exclusion). */
  readonly activities?: Readonly<Record<string, number>>;
}

/** A hit that failed for a reason a retry may fix (the watermark stays, the next run retries it). */
export interface HitFailure {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly step: 'decide' | 'sink' | 'state';
  readonly message: string;
}

/** A device whose detection is parked (src/core/state.ts ParkedState): it does not hold the watermark. */
export interface ParkedRef {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly step: 'sink' | 'state';
  readonly message: string;
  readonly attempts: number;
  /** ISO time of the next automatic attempt; absent once given up. */
  readonly nextAttemptAt?: string;
  readonly givenUp: boolean;
  /** ISO time the device was first parked (the health rule alerts when devices stay parked). */
  readonly since?: string;
  /** `parked` by this run, `waiting` for its next attempt (skipped), or `givenUp` and skipped. */
  readonly state: 'parked' | 'waiting' | 'givenUp';
}

/** A hunt result row that could not be a hit (an empty DeviceId...): skipped, the rest raised. */
export interface RejectedRow {
  /** 1-based row number in the hunt's result. */
  readonly row: number;
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

/**
 * `partial`: the run stopped at its time budget; the watermark stays and the next run continues.
 * 'dryRun' is a dry run that succeeded; a dry run with failures is 'failed' like any other run.
 */
export type RunStatus = 'succeeded' | 'partial' | 'failed' | 'dryRun';

export interface RunReport {
  readonly runId: string;
  readonly ruleId: string;
  readonly ruleName: string;
  /** The detection group whose devices the run worked on (the rule id unless the rule names one). */
  readonly groupId: string;
  readonly backend: string;
  readonly sink: string;
  readonly dryRun: boolean;
  readonly status: RunStatus;
  readonly startedAt: string;
  /** The start of the Function invocation that ran the rule (rules of one invocation run one after the other): its next run is due from here. */
  readonly scheduledAt?: string;
  readonly finishedAt: string;
  readonly window: WindowReport;
  /** Where the watermark stands after the run (unchanged on failure or dry run). */
  readonly watermark: string | undefined;
  readonly rows: number;
  readonly hits: number;
  readonly created: readonly DetectionRef[];
  readonly updated: readonly DetectionRef[];
  readonly suppressed: readonly SuppressedRef[];
  readonly unchanged: number;
  readonly failures: readonly HitFailure[];
  /** Devices parked this run, or still parked (waiting for their next attempt, or given up). */
  readonly parked: readonly ParkedRef[];
  /** Hunt rows skipped as malformed. */
  readonly rejectedRows: readonly RejectedRow[];
  /** Devices raised (or still pending) without their context: asked again next run. */
  readonly contextIncomplete: readonly string[];
  /** Hits left for the next run because the run reached its time budget (status `partial`). */
  readonly deferred: number;
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
