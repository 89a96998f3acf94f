/**
 * What one hit (or one parked device's retry) becomes, pure: the detection to write and the device's
 * state once it is written. The dedupe policy (./dedupe.ts) decides create or update; the episode's
 * evidence so far (./episodeEvidence.ts) is what the detection shows.
 */
import type { DeviceContext, EnrichedHit, ExclusionVerdict, Hit, SuppressedBefore } from './model.js';
import type { HuntRule } from '../rules/rule.js';
import type { EpisodeLimits, StoredDevice } from './ports.js';
import type { DetectionReason } from './detection.js';
import { nextDeviceState, type ContextPending, type DeviceState, type EpisodeState, type ParkedState } from './state.js';
import { assessEvidence, decideEpisode, mergeHit, startEpisode } from './dedupe.js';
import { mergeEpisodeEvidence, type EvidenceAdded } from './episodeEvidence.js';
import { foldSuppressedEvidence } from './suppression.js';

/** Runs that ask again for a device's missing context before it is given up (still recorded as incomplete). */
export const CONTEXT_ATTEMPTS = 6;

export interface WorkItem {
  /** This run's hit of the device; for a parked device retried without one, its span from state and no report ids. */
  readonly hit: Hit;
  /** False for a parked device retried from state: the window holds nothing of it. */
  readonly inWindow: boolean;
  /** This window's context of the device (undefined: none). */
  readonly context: DeviceContext | undefined;
  /** Why the context is missing, when the rule has a context query and it did not answer for the device. */
  readonly contextMissing: string | undefined;
  readonly verdict: ExclusionVerdict;
  readonly stored: StoredDevice | undefined;
  /** How many times this run planned the device (conflicts, closed episodes). */
  readonly attempt: number;
  /** The sink wrote nothing for this episode: the SOC closed it (or it is gone). Plan an episode that follows it. */
  readonly notOpen?: { readonly episode: EpisodeState; readonly missing: boolean };
}

export type Plan =
  | { readonly kind: 'unchanged' }
  /** The context is still missing and nothing else is new: only the device's attempt count is written. */
  | { readonly kind: 'contextStillMissing'; readonly next: DeviceState }
  | DetectionPlan;

export interface DetectionPlan {
  readonly kind: 'detection';
  readonly reason: DetectionReason;
  /** The episode as it is once the detection is written (its sequence is the detection's). */
  readonly episode: EpisodeState;
  /** The device once the detection is written. */
  readonly next: DeviceState;
  readonly newReportIds: readonly string[];
  readonly added: EvidenceAdded;
  /** What the renderer reads: the episode's span, report ids and evidence so far. */
  readonly enriched: EnrichedHit;
  /** The device's parked record this detection retries, if any. */
  readonly retries: ParkedState | undefined;
}

export interface PlanContext {
  readonly rule: HuntRule;
  readonly groupId: string;
  readonly now: Date;
  /** The rule has a context query: a device without context is incomplete, not merely quiet. */
  readonly expectsContext: boolean;
  readonly episodeLimits: EpisodeLimits | undefined;
}

function contextPendingAfter(previous: ContextPending | undefined, missing: string | undefined, now: Date): ContextPending | undefined {
  if (missing === undefined) return undefined;
  const attempts = (previous?.attempts ?? 0) + 1;
  return { since: previous?.since ?? now, attempts, reason: missing, givenUp: attempts >= CONTEXT_ATTEMPTS };
}

/** The episode's span as its detection shows it: from its start to the latest activity known. */
function episodeHit(hit: Hit, episode: EpisodeState, state: DeviceState | undefined): Hit {
  const lastSeen = Math.max(state?.lastSeen?.getTime() ?? -Infinity, hit.lastSeen.getTime());
  return { ...hit, firstSeen: episode.episodeStart, lastSeen: new Date(lastSeen), reportIds: episode.evidence.reportIds };
}

export function planItem(item: WorkItem, context: PlanContext): Plan {
  const { rule, groupId, now, expectsContext, episodeLimits } = context;
  const state = item.stored?.state;
  // A raised hit carries the report ids its device had while suppressed (src/core/suppression.ts).
  const { hit, suppressedBefore } = foldSuppressedEvidence(item.hit, state);
  const parked = state?.parked;
  const missing = expectsContext && item.inWindow ? (item.contextMissing ?? (item.context === undefined ? 'the context query returned nothing for the device' : undefined)) : undefined;
  const assessment = assessEvidence(state, hit);
  const pending = state?.episode?.contextPending;

  let episode: EpisodeState;
  let reason: DetectionReason;
  let newReportIds: readonly string[];
  if (item.notOpen !== undefined) {
    // The sink found the episode closed (or gone): the activity opens the episode that follows it.
    const after: DeviceState = nextDeviceState(state, hit, { episode: item.notOpen.episode });
    episode = startEpisode(groupId, after, hit, now);
    reason = item.notOpen.missing ? 'incidentMissing' : 'closed';
    newReportIds = hit.reportIds;
  } else if (assessment.kind === 'newDevice') {
    episode = startEpisode(groupId, state, hit, now);
    reason = 'newDevice';
    newReportIds = hit.reportIds;
  } else if (parked?.step === 'sink' && state?.episode !== undefined) {
    // The detection with the episode's sequence never reached the sink: send it again, with anything new.
    episode = state.episode;
    reason = parked.reason ?? 'update';
    newReportIds = assessment.kind === 'newEvidence' ? assessment.newReportIds : [];
  } else if (assessment.kind === 'noNewEvidence') {
    if (pending === undefined || pending.givenUp || state === undefined || state.episode === undefined) return { kind: 'unchanged' };
    if (missing !== undefined) {
      const episodeNow: EpisodeState = { ...state.episode, contextPending: contextPendingAfter(pending, missing, now) };
      return { kind: 'contextStillMissing', next: nextDeviceState(state, hit, { episode: episodeNow }) };
    }
    episode = { ...state.episode, sequence: state.episode.sequence + 1 };
    reason = 'contextArrived';
    newReportIds = [];
  } else {
    const decision = decideEpisode(state!.episode!, undefined, now, rule.grouping, episodeLimits);
    if (decision.kind === 'update') {
      episode = { ...state!.episode!, sequence: state!.episode!.sequence + 1 };
      reason = 'update';
    } else {
      episode = startEpisode(groupId, state, hit, now);
      reason = decision.reason;
    }
    newReportIds = decision.kind === 'update' ? assessment.newReportIds : hit.reportIds;
  }

  const isFirstEpisode = episode.previousEpisodeId === undefined;
  const episodeStart = isFirstEpisode && hit.firstSeen.getTime() < episode.episodeStart.getTime() ? hit.firstSeen : episode.episodeStart;
  const { evidence, added } = mergeEpisodeEvidence(episode.evidence, item.context, newReportIds);
  const written: EpisodeState = {
    ...episode,
    episodeStart,
    lastUpdate: now,
    evidence,
    contextPending: reason === 'contextArrived' ? undefined : contextPendingAfter(episode.contextPending, missing, now),
  };
  const { contextPending, ...withoutPending } = written;
  const episodeAfter: EpisodeState = contextPending === undefined ? withoutPending : written;
  const merged = mergeHit(state, hit, episodeAfter);
  const { parked: _retried, ...next } = merged;
  return {
    kind: 'detection',
    reason,
    episode: episodeAfter,
    next,
    newReportIds,
    added,
    enriched: enrichedForRenderer(hit, episodeAfter, state, item.verdict, suppressedBefore),
    retries: parked,
  };
}

function enrichedForRenderer(hit: Hit, episode: EpisodeState, state: DeviceState | undefined, verdict: ExclusionVerdict, suppressedBefore: SuppressedBefore | undefined): EnrichedHit {
  const context = episode.evidence.context;
  const hasEvidence = context.files.length > 0 || context.activities.length > 0 || context.omitted.files > 0 || context.omitted.activities > 0;
  return {
    hit: episodeHit(hit, episode, state),
    reportCount: episode.evidence.reportCount,
    context: hasEvidence ? context : undefined,
    verdict,
    ...(suppressedBefore ? { suppressedBefore } : {}),
  };
}
