/**
 * The dedupe policy, pure. One episode per detection group and device at a time:
 *
 * | device state                                     | decision                                       |
 * |--------------------------------------------------|------------------------------------------------|
 * | none (or only suppressed so far)                 | the first episode (`newDevice`)                |
 * | known, no new evidence                           | `unchanged`: nothing written, nothing raised   |
 * | new evidence, last detection within the look-back| `update` of the episode (sequence + 1)         |
 * | ... the sink answers that the SOC closed it      | a new episode (`closed`); a sink that keeps a status reopens it instead when the rule asks (reopenClosedIncident) |
 * | ... the sink answers that it no longer exists    | a new episode (`incidentMissing`)              |
 * | new evidence, look-back since the last detection expired | a new episode (`lookbackExpired`)     |
 *
 * The sink is not asked first: an update is written as one, and a sink that finds the incident
 * closed answers so without writing (one read per update, the one its write needs anyway).
 */
import type { Hit } from './model.js';
import type { GroupingConfiguration } from '../rules/rule.js';
import type { EpisodeLimits } from './ports.js';
import { nextDeviceState, type DeviceState, type EpisodeState } from './state.js';
import { addReportIds, emptyReportIdSet, unseenReportIds } from './reportIdSet.js';
import { episodeIdFor } from './ids.js';
import { emptyEpisodeEvidence } from './episodeEvidence.js';

export type EvidenceAssessment =
  | { readonly kind: 'newDevice' }
  | { readonly kind: 'noNewEvidence' }
  | { readonly kind: 'newEvidence'; readonly newReportIds: readonly string[] };

/** Compares a hit with what is already known about its device: no I/O, no clock. */
export function assessEvidence(state: DeviceState | undefined, hit: Hit): EvidenceAssessment {
  // A device only ever suppressed (or parked before its first write) has no episode: it raises its first one.
  if (state === undefined || state.episode === undefined) return { kind: 'newDevice' };
  const newReportIds = unseenReportIds(state.reported, hit.reportIds);
  const laterActivity = state.lastSeen === undefined || hit.lastSeen.getTime() > state.lastSeen.getTime();
  const earlierActivity = state.firstSeen === undefined || hit.firstSeen.getTime() < state.firstSeen.getTime();
  if (newReportIds.length === 0 && !laterActivity && !earlierActivity) return { kind: 'noNewEvidence' };
  return { kind: 'newEvidence', newReportIds };
}

/** What the sink answered for the episode's last write attempt, when it did not write it. */
export type SinkAnswer = 'closed' | 'missing' | undefined;

export type EpisodeDecision =
  | { readonly kind: 'update' }
  | { readonly kind: 'newEpisode'; readonly reason: 'closed' | 'lookbackExpired' | 'incidentMissing' | 'episodeFull' };

/** For a known device with new evidence; `limits` are the sink's own grouping, when it has one. */
export function decideEpisode(episode: EpisodeState, sinkAnswer: SinkAnswer, now: Date, grouping: GroupingConfiguration, limits?: EpisodeLimits): EpisodeDecision {
  const anchor = limits?.lookbackFrom === 'firstDetection' ? episode.openedAt : episode.lastUpdate;
  if (now.getTime() - anchor.getTime() > grouping.lookbackDurationMs) return { kind: 'newEpisode', reason: 'lookbackExpired' };
  if (limits?.maxDetections !== undefined && episode.sequence + 1 >= limits.maxDetections) return { kind: 'newEpisode', reason: 'episodeFull' };
  if (sinkAnswer === 'missing') return { kind: 'newEpisode', reason: 'incidentMissing' };
  if (sinkAnswer === 'closed') return { kind: 'newEpisode', reason: 'closed' };
  return { kind: 'update' };
}

/**
 * A new episode of the device (sequence 0, no evidence yet), following the device's current
 * episode if it has one; it starts where the new activity starts, after what the device showed before.
 */
export function startEpisode(groupId: string, state: DeviceState | undefined, hit: Hit, now: Date): EpisodeState {
  const previous = state?.episode;
  const start = previous === undefined ? hit.firstSeen : maxDate(state?.lastSeen, hit.firstSeen);
  return {
    episodeId: episodeIdFor(groupId, hit.deviceId, previous?.episodeId),
    episodeStart: start,
    previousEpisodeId: previous?.episodeId,
    sequence: 0,
    openedAt: now,
    lastUpdate: now,
    evidence: emptyEpisodeEvidence,
  };
}

function minDate(a: Date | undefined, b: Date): Date {
  return a !== undefined && a.getTime() < b.getTime() ? a : b;
}

function maxDate(a: Date | undefined, b: Date): Date {
  return a !== undefined && a.getTime() > b.getTime() ? a : b;
}

/**
 * The device after a detection for `hit` was written (or parked with its evidence). Idempotent:
 * report ids are a set, first/last seen are min/max, so merging the same hit twice (overlapping
 * windows) changes nothing.
 */
export function mergeHit(state: DeviceState | undefined, hit: Hit, episode: EpisodeState): DeviceState {
  // The suppression history stays for `hunter state show`; its ids are now reported too, so
  // folding them into later hits (src/core/suppression.ts) adds nothing.
  return nextDeviceState(state, hit, {
    // A device renamed since keeps the name of its latest activity.
    deviceName: state?.lastSeen !== undefined && state.lastSeen.getTime() > hit.lastSeen.getTime() ? state.deviceName : hit.deviceName,
    firstSeen: minDate(state?.firstSeen, hit.firstSeen),
    lastSeen: maxDate(state?.lastSeen, hit.lastSeen),
    reported: addReportIds(state?.reported ?? emptyReportIdSet, hit.reportIds),
    episode,
  });
}
