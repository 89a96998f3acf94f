/**
 * What the hunter remembers between runs about each device of a detection group (pure data). The
 * store that keeps it is the StateStore port (./ports.ts); the Table Storage adapter is in
 * src/adapters/table/.
 */
import type { Hit } from './model.js';
import { emptyReportIdSet, type ReportIdSet } from './reportIdSet.js';
import type { EpisodeEvidence } from './episodeEvidence.js';
import type { DetectionReason } from './detection.js';

/** The device's current episode: the incident (or findings) its detections belong to. */
export interface EpisodeState {
  readonly episodeId: string;
  /** When the episode's first evidence was seen. */
  readonly episodeStart: Date;
  /** The episode this one follows (closed, expired or gone), if any. */
  readonly previousEpisodeId: string | undefined;
  /** The sequence of the episode's latest detection: 0 for its first, +1 per update. */
  readonly sequence: number;
  /** When the hunter wrote the episode's first detection. */
  readonly openedAt: Date;
  /** When the hunter last wrote a detection of the episode: the grouping look-back counts from here (EpisodeLimits). */
  readonly lastUpdate: Date;
  /** Everything the episode has gathered so far, bounded. */
  readonly evidence: EpisodeEvidence;
  /**
   * Set while the device's context is incomplete (the context query failed or returned nothing):
   * the detection was raised without it, and every run asks again until it arrives (the episode is
   * then updated with it) or `CONTEXT_ATTEMPTS` runs have asked (`givenUp`: still not complete).
   */
  readonly contextPending?: ContextPending | undefined;
}

export interface ContextPending {
  readonly since: Date;
  readonly attempts: number;
  readonly reason: string;
  readonly givenUp: boolean;
}

/**
 * A device whose detection cannot be written right now for a reason that retrying the same write
 * does not fix (a 4xx from the sink other than 408/409/412/429, or a state entity the store refuses):
 * parked, so that one bad device does not hold the rule's watermark, and retried with backoff.
 * - `sink`: the episode's evidence is in state (`EpisodeState.evidence`), and the detection with
 *   the episode's `sequence` has not reached the sink: a retry rebuilds it from state.
 * - `state`: the store refused the device's entity; the device keeps its last stored state, and a
 *   retry writes its hit again.
 * After `PARK_ATTEMPTS` attempts the device is given up (`givenUp`): retried again only when it
 * brings new evidence, and listed in every run report until then.
 */
export interface ParkedState {
  readonly step: 'sink' | 'state';
  readonly since: Date;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly message: string;
  readonly givenUp: boolean;
  /** Why the parked detection was planned, so its retry says the same. */
  readonly reason?: DetectionReason;
}

/**
 * What the exclusions explained on this device (docs/exclusions.md, docs/state-and-windows.md).
 * Kept apart from the reported report ids on purpose: ids seen only while suppressed are not
 * "already reported", so a later hit that no exclusion covers still raises, and its detection
 * then carries them too.
 */
export interface SuppressionState {
  /** The run that last recorded a suppression (new report ids, wider activity or other exclusions). */
  readonly lastSuppressedAt: Date;
  /** Span of the suppressed hits' activity. */
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  /** The exclusions that matched at the last recorded suppression, sorted. */
  readonly exclusionIds: readonly string[];
  /** Report ids seen only while suppressed (never raised when recorded). */
  readonly reportIds: ReportIdSet;
  /** How many runs recorded a suppression (a run that found nothing to add writes and counts nothing). */
  readonly count: number;
}

export interface DeviceState {
  readonly deviceId: string;
  readonly deviceName: string;
  /** Undefined until the first evidence is raised (a device only ever suppressed or parked). */
  readonly firstSeen: Date | undefined;
  readonly lastSeen: Date | undefined;
  /** Report ids already raised for the device, over all its episodes: what dedupe compares a hit with. */
  readonly reported: ReportIdSet;
  /** Undefined for a device whose hits were all suppressed so far: no detection yet. */
  readonly episode: EpisodeState | undefined;
  /** Undefined until exclusions suppressed a hit of the device. */
  readonly suppression?: SuppressionState | undefined;
  /** Undefined unless the device's detection is parked (see ParkedState). */
  readonly parked?: ParkedState | undefined;
}

/**
 * The device's next state: `changes` over what `state` had (a device seen for the first time starts
 * with the hit's id and name and nothing else). No `suppression`/`parked` key while there is none.
 */
export function nextDeviceState(state: DeviceState | undefined, hit: Pick<Hit, 'deviceId' | 'deviceName'>, changes: Partial<Omit<DeviceState, 'deviceId'>>): DeviceState {
  const { suppression, parked, ...next }: DeviceState = {
    deviceId: hit.deviceId,
    deviceName: state?.deviceName ?? hit.deviceName,
    firstSeen: state?.firstSeen,
    lastSeen: state?.lastSeen,
    reported: state?.reported ?? emptyReportIdSet,
    episode: state?.episode,
    suppression: state?.suppression,
    parked: state?.parked,
    ...changes,
  };
  return { ...next, ...(suppression ? { suppression } : {}), ...(parked ? { parked } : {}) };
}
