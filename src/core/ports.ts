/**
 * Every interface the hunt pipeline depends on, in one place. Adapters implement them; the
 * composition root (src/compose/) builds them from settings. Data types are in ./model.ts.
 */
import type { DeviceContext, EnrichedHit, ExclusionVerdict, Hit, IncidentComment, IncidentDraft, IncidentStatus, QueryRequest, QueryResult, TimeWindow } from './model.js';
import type { DeviceState } from './state.js';
import type { RunReport } from './report.js';
import type { HuntRule } from '../rules/rule.js';
import type { QueryLimits } from './queryLimits.js';

/** Runs the rule's context query for the hit devices (batched) and maps rows to activities. */
export interface ContextEnricher {
  /** `progress` hears how many more devices each finished batch covered. */
  enrich(rule: HuntRule, hits: readonly Hit[], window: TimeWindow, progress?: (devices: number) => void): Promise<ReadonlyMap<string, DeviceContext>>;
}

/** The long phases of a run, in devices: enriching the hits, writing their incidents and state. */
export type HuntPhase = 'enrich' | 'write';

/**
 * How far a run has got, for whoever watches it: a progress line on a terminal, the Function's
 * log at intervals. Optional, and it never affects the run.
 */
export interface HuntProgress {
  /** A phase starts with `total` devices to go. */
  begin(phase: HuntPhase, total: number): void;
  /** `done` more devices of the phase are finished (succeeded or failed). */
  advance(phase: HuntPhase, done: number): void;
}

/** Decides, in TypeScript, whether legitimate use explains every activity of a hit. */
export interface ExclusionEvaluator {
  evaluate(hit: Hit, context: DeviceContext | undefined, now: Date): ExclusionVerdict;
  /** Warnings collected while loading (expired, disabled) and while evaluating a run (over-broad exclusions). */
  warningsForRun(verdicts: readonly ExclusionVerdict[], hitCount: number): readonly string[];
}

/** What the renderer knows about the incident's history when it writes it. */
export interface IncidentEpisode {
  readonly incidentId: string;
  readonly episodeStart: Date;
  /** The incident of the previous episode of the same device, if any (closed or expired). */
  readonly previousIncidentId: string | undefined;
}

/** Turns an enriched hit into what a SOC analyst reads: the incident and its comments. */
export interface IncidentRenderer {
  renderIncident(rule: HuntRule, enriched: EnrichedHit, episode: IncidentEpisode): IncidentDraft;
  /** A comment listing only the evidence that is new since the incident was last written. */
  renderUpdateComment(rule: HuntRule, enriched: EnrichedHit, episode: IncidentEpisode, newReportIds: readonly string[], commentId: string): IncidentComment;
}

/** A place that runs KQL: the local evaluator, Log Analytics or Defender XDR advanced hunting. */
export interface QueryBackend {
  readonly name: string;
  /** Longest look-back the service accepts, in milliseconds (Defender: 30 days). */
  readonly maxLookbackMs?: number;
  /** What one call may carry and return; batching callers size their batches by it. */
  readonly limits?: QueryLimits;
  /** Throws QueryResultTooLarge when the service says the result is too big to return whole. */
  run(request: QueryRequest): Promise<QueryResult>;
}

/** Where incidents go: Microsoft Sentinel, or local files for replays. */
export interface IncidentSink {
  readonly name: string;
  /** Current status as the SOC left it, or undefined if the incident does not exist. */
  getStatus(incidentId: string): Promise<IncidentStatus | undefined>;
  /**
   * Create or update; idempotent for the same draft. Returns the status the incident has after
   * the write (statusAfterUpsert for an existing one): `Closed` for a draft that did not ask to
   * reopen means the SOC closed the incident, so the pipeline starts a new episode (or reopens)
   * rather than count new activity into a closed incident.
   */
  upsert(draft: IncidentDraft): Promise<IncidentStatus>;
  /** Create or rewrite a comment; idempotent for the same comment id. */
  addComment(comment: IncidentComment): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, data?: Readonly<Record<string, unknown>>): void;
  warn(message: string, data?: Readonly<Record<string, unknown>>): void;
  error(message: string, data?: Readonly<Record<string, unknown>>): void;
}

/** A device's state as stored, with the version token conditional writes need. */
export interface StoredDevice {
  readonly state: DeviceState;
  readonly etag: string;
}

export interface StoredWatermark {
  /** End of the last window whose every hit succeeded. */
  readonly watermark: Date;
  readonly etag: string;
}

/** A rule's whole state, read with one partition query. */
export interface RuleState {
  readonly devices: ReadonlyMap<string, StoredDevice>;
  readonly watermark: StoredWatermark | undefined;
}

/** Write `state`; `expectedEtag` undefined means "create, the device must not exist yet". */
export interface DeviceWrite {
  readonly state: DeviceState;
  readonly expectedEtag: string | undefined;
}

export type DeviceWriteResult =
  | { readonly deviceId: string; readonly outcome: 'written'; readonly etag: string }
  /** Someone else wrote the device since it was read (409 on create, 412 on update): re-read and decide again. */
  | { readonly deviceId: string; readonly outcome: 'conflict' };

export interface StateStore {
  loadRule(ruleId: string): Promise<RuleState>;
  readDevice(ruleId: string, deviceId: string): Promise<StoredDevice | undefined>;
  /** Conditional writes, batched by the store (transactions of up to 100 entities and ~3.5 MiB). */
  writeDevices(ruleId: string, writes: readonly DeviceWrite[]): Promise<DeviceWriteResult[]>;
  /** Moves the watermark forward only: a slower concurrent run cannot move it back. */
  advanceWatermark(ruleId: string, watermark: Date, expectedEtag: string | undefined): Promise<void>;
  appendRunReport(report: RunReport): Promise<void>;
  /** Most recent first. */
  listRunReports(ruleId: string, limit: number): Promise<RunReport[]>;
  /** Deletes the rule's run reports that started before `startedBefore`; returns how many. */
  purgeRunReports(ruleId: string, startedBefore: Date): Promise<number>;
  /** Forgets the rule's devices, watermark and run reports (`hunter state reset`). */
  resetRule(ruleId: string): Promise<void>;
}
