/**
 * The dedupe policy, pure. One incident per rule, device and episode:
 *
 * | device state                                   | decision                                    |
 * |------------------------------------------------|---------------------------------------------|
 * | none                                           | `create` (new device)                       |
 * | incident reserved but not confirmed written    | `create` again with the reserved id (if the SOC closed it meanwhile: as closed below) |
 * | known, no new evidence                         | `unchanged`: nothing written, nothing raised|
 * | new evidence, open, last update within lookback| `update` + comment with only the new evidence|
 * | new evidence, closed, within lookback          | `reopen` if `reopenClosedIncident`, else `newEpisode` |
 * | new evidence, lookback expired, or incident gone | `newEpisode`: new incident referring to the previous |
 */
import type { Hit, IncidentStatus } from './model.js';
import type { GroupingConfiguration } from '../rules/rule.js';
import { nextDeviceState, type DeviceState, type EpisodeState } from './state.js';
import { emptyEvidence, mergeEvidence, unseenReportIds } from './evidence.js';
import { incidentIdFor } from './incidentId.js';

export type EvidenceAssessment =
  | { readonly kind: 'newDevice' }
  | { readonly kind: 'reservedIncident'; readonly newReportIds: readonly string[] }
  | { readonly kind: 'noNewEvidence' }
  | { readonly kind: 'newEvidence'; readonly newReportIds: readonly string[] };

/** Compares a hit with what is already known about its device: no I/O, no clock. */
export function assessEvidence(state: DeviceState | undefined, hit: Hit): EvidenceAssessment {
  // A device only ever suppressed has no incident: a hit that is not suppressed raises its first one.
  if (state === undefined || state.episode === undefined) return { kind: 'newDevice' };
  const newReportIds = unseenReportIds(state.evidence, hit.reportIds);
  if (!state.episode.incidentWritten) return { kind: 'reservedIncident', newReportIds };
  const laterActivity = state.lastSeen === undefined || hit.lastSeen.getTime() > state.lastSeen.getTime();
  const earlierActivity = state.firstSeen === undefined || hit.firstSeen.getTime() < state.firstSeen.getTime();
  if (newReportIds.length === 0 && !laterActivity && !earlierActivity) return { kind: 'noNewEvidence' };
  return { kind: 'newEvidence', newReportIds };
}

export type EpisodeDecision =
  | { readonly kind: 'update' }
  | { readonly kind: 'reopen' }
  | { readonly kind: 'newEpisode'; readonly reason: 'closed' | 'lookbackExpired' | 'incidentMissing' };

/**
 * For a known device with new evidence. `currentStatus` is the incident's status as the SOC
 * left it (undefined when the incident no longer exists).
 */
export function decideEpisode(
  episode: EpisodeState,
  currentStatus: IncidentStatus | undefined,
  now: Date,
  grouping: GroupingConfiguration,
): EpisodeDecision {
  if (now.getTime() - episode.lastUpdate.getTime() > grouping.lookbackDurationMs) return { kind: 'newEpisode', reason: 'lookbackExpired' };
  if (currentStatus === undefined) return { kind: 'newEpisode', reason: 'incidentMissing' };
  if (currentStatus === 'Closed') return grouping.reopenClosedIncident ? { kind: 'reopen' } : { kind: 'newEpisode', reason: 'closed' };
  return { kind: 'update' };
}

/** The reserved episode of a device seen for the first time. */
export function firstEpisode(ruleId: string, hit: Hit, now: Date): EpisodeState {
  return {
    incidentId: incidentIdFor(ruleId, hit.deviceId, hit.firstSeen),
    episodeStart: hit.firstSeen,
    previousIncidentId: undefined,
    incidentWritten: false,
    incidentStatus: 'New',
    lastUpdate: now,
  };
}

/**
 * The reserved episode that follows `previous`. It starts where the new activity starts,
 * and strictly after the previous episode so its incident id differs.
 */
export function nextEpisode(ruleId: string, state: DeviceState, hit: Hit, now: Date): EpisodeState {
  const previous = state.episode;
  if (previous === undefined) throw new Error(`device ${state.deviceId} has no episode to follow`);
  let start = Math.max(hit.firstSeen.getTime(), state.lastSeen?.getTime() ?? hit.firstSeen.getTime());
  if (start <= previous.episodeStart.getTime()) start = previous.episodeStart.getTime() + 1;
  const episodeStart = new Date(start);
  return {
    incidentId: incidentIdFor(ruleId, hit.deviceId, episodeStart),
    episodeStart,
    previousIncidentId: previous.incidentId,
    incidentWritten: false,
    incidentStatus: 'New',
    lastUpdate: now,
  };
}

/** A state that only reserves `episode`, keeping whatever evidence was known. */
export function reserveEpisode(state: DeviceState | undefined, hit: Hit, episode: EpisodeState): DeviceState {
  return nextDeviceState(state, hit, { episode });
}

function minDate(a: Date | undefined, b: Date): Date {
  return a !== undefined && a.getTime() < b.getTime() ? a : b;
}

function maxDate(a: Date | undefined, b: Date): Date {
  return a !== undefined && a.getTime() > b.getTime() ? a : b;
}

/**
 * The device after the incident for `hit` was written. Idempotent: report ids are a set,
 * first/last seen are min/max, so merging the same hit twice (overlapping windows) changes nothing.
 */
export function mergeHit(state: DeviceState | undefined, hit: Hit, episode: EpisodeState): DeviceState {
  // The suppression history stays for `hunter state show`; its ids are now reported too, so
  // folding them into later hits (src/core/suppression.ts) adds nothing.
  return nextDeviceState(state, hit, {
    // A device renamed since keeps the name of its latest activity.
    deviceName: state?.lastSeen !== undefined && state.lastSeen.getTime() > hit.lastSeen.getTime() ? state.deviceName : hit.deviceName,
    firstSeen: minDate(state?.firstSeen, hit.firstSeen),
    lastSeen: maxDate(state?.lastSeen, hit.lastSeen),
    evidence: mergeEvidence(state?.evidence ?? emptyEvidence, hit.reportIds),
    episode,
  });
}
