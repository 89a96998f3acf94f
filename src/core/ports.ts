/**
 * Every interface the hunt pipeline depends on, in one place. Adapters implement them; the
 * composition root (src/compose/) builds them from settings. Data types are in ./model.ts.
 */
import type { DeviceContext, EnrichedHit, ExclusionVerdict, Hit, IncidentStatus, QueryRequest, QueryResult, TimeWindow } from './model.js';
import type { Detection, DetectionWriteResult } from './detection.js';
import type { DeviceState } from './state.js';
import type { RunReport } from './report.js';
import type { HuntRule } from '../rules/rule.js';
import type { QueryLimits } from './queryLimits.js';

/** What the context query found for the devices asked about, and which devices it could not answer for. */
export interface ContextResult {
  readonly contexts: ReadonlyMap<string, DeviceContext>;
  /** Devices whose context query failed (a failed batch), with the reason: raised, never suppressed, asked again next run. */
  readonly failed: ReadonlyMap<string, string>;
}

/** Runs the rule's context query for the hit devices (batched) and maps rows to activities. */
export interface ContextEnricher {
  /** `progress` hears how many more devices each finished batch covered. */
  enrich(rule: HuntRule, hits: readonly Hit[], window: TimeWindow, progress?: (devices: number) => void): Promise<ContextResult>;
}

/** The long phases of a run, in devices: enriching the hits, writing their detections and state. */
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

/** What the renderer knows about the episode a detection belongs to. */
export interface IncidentEpisode {
  readonly episodeId: string;
  readonly episodeStart: Date;
  /** The device's previous episode, if any (closed, expired or gone). */
  readonly previousEpisodeId: string | undefined;
}

/** The texts of a detection: what a SOC analyst reads. */
export interface RenderedIncident {
  readonly title: string;
  /** Markdown, already within the sink's size limit. */
  readonly description: string;
  readonly labels: readonly string[];
}

/**
 * Turns what the hunter knows about an episode into what a SOC analyst reads. `enriched.context`
 * is the episode's evidence so far, `enriched.hit` its span and report ids.
 */
export interface IncidentRenderer {
  renderIncident(rule: HuntRule, enriched: EnrichedHit, episode: IncidentEpisode): RenderedIncident;
  /** Markdown listing only what is new since the episode's previous detection. */
  renderUpdateComment(rule: HuntRule, enriched: EnrichedHit, episode: IncidentEpisode, newReportIds: readonly string[]): string;
  /** The red flags the evidence shows, as plain sentences (for sinks that store them apart). */
  redFlags(rule: HuntRule, context: DeviceContext | undefined): readonly string[];
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

/**
 * Where detections go: Sentinel (incidents API, or findings for an analytics rule), or local files.
 * `write` answers one result per detection, in order, and does not throw for one bad detection: a
 * failure is that detection's result (`permanent` when retrying the same write cannot help). Writes
 * are idempotent by episode and finding id, so a retried detection rewrites what it wrote before.
 * A sink whose incidents the SOC can close answers `closed` for a detection of a closed episode
 * that did not ask to reopen it, and writes nothing; a sink without a status never does (the
 * episode then stays open until the rule's grouping look-back expires).
 */
export interface DetectionSink {
  readonly name: string;
  /** How the sink groups an episode's detections when that is not the hunter's own rule (default: see EpisodeLimits). */
  readonly episodeLimits?: EpisodeLimits;
  write(detections: readonly Detection[]): Promise<DetectionWriteResult[]>;
  /** The episode's incident status as the SOC left it (undefined: none), for sinks that keep one. */
  readStatus?(episodeId: string): Promise<IncidentStatus | undefined>;
}

/**
 * Where the sink ends an episode by itself. By default the hunter's rule applies: an episode stays
 * open while its last detection is within the rule's grouping look-back. A sink whose incidents are
 * grouped by an analytics rule (Sentinel's alert grouping) counts the look-back from the incident's
 * first alert and holds at most so many alerts per incident: the hunter then opens the next
 * episode where the sink would, so one episode is always one incident.
 */
export interface EpisodeLimits {
  readonly lookbackFrom: 'firstDetection' | 'lastDetection';
  /** Detections one episode may hold (sequence 0 included); the next one opens a new episode. */
  readonly maxDetections?: number;
}

/** Tells a long run when to stop and leave the rest to the next run (checkpoint). */
export interface RunBudget {
  /** True once the run should write what it has and stop starting new work. */
  exhausted(): boolean;
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

/** Write `state`; `expectedEtag` undefined means "create, the device must not exist yet". */
export interface DeviceWrite {
  readonly state: DeviceState;
  readonly expectedEtag: string | undefined;
}

export type DeviceWriteResult =
  | { readonly deviceId: string; readonly outcome: 'written'; readonly etag: string }
  /** Someone else wrote the device since it was read (409 on create, 412 on update): re-read and decide again. */
  | { readonly deviceId: string; readonly outcome: 'conflict' }
  /** The store refused this entity itself (400: too large, a value it does not accept), the rest of its batch is written. */
  | { readonly deviceId: string; readonly outcome: 'refused'; readonly message: string };

/**
 * The hunter's state. Devices are kept per detection group (one episode per group and device,
 * shared by the group's rules); the watermark and run reports per rule.
 */
export interface StateStore {
  /** Every device of the group, with one partition query. */
  loadDevices(groupId: string): Promise<ReadonlyMap<string, StoredDevice>>;
  readDevice(groupId: string, deviceId: string): Promise<StoredDevice | undefined>;
  /** Conditional writes, batched by the store (transactions of up to 100 entities and ~3.5 MiB). */
  writeDevices(groupId: string, writes: readonly DeviceWrite[]): Promise<DeviceWriteResult[]>;
  /**
   * The end of the last window of the rule in which every hit was done (the watermark), from the
   * rule's most recent run reports: undefined before the first run that completed.
   */
  loadWatermark(ruleId: string): Promise<Date | undefined>;
  /** Stores the run's report, which carries the watermark as it stands after the run. */
  appendRunReport(report: RunReport): Promise<void>;
  /** Most recent first. */
  listRunReports(ruleId: string, limit: number): Promise<RunReport[]>;
  /** Deletes the rule's run reports that started before `startedBefore` (when due); returns how many. */
  purgeRunReports(ruleId: string, startedBefore: Date): Promise<number>;
  /** Forgets the rule's run reports (hence its watermark) and the devices of its group (`hunter state reset`). */
  resetRule(ruleId: string, groupId: string): Promise<void>;
}
