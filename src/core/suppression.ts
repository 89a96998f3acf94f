/**
 * Suppressed hits in state, pure (docs/exclusions.md, docs/state-and-windows.md):
 *
 * - `recordSuppression`: the device after a hit that the exclusions explained, or undefined
 *   when the record would not change (same report ids, activity inside the known span, same
 *   exclusions): a device suppressed again with nothing new costs no write.
 * - `withSuppressedEvidence`: the hit as an incident should show it once a hit of the device
 *   is raised: the report ids seen only while suppressed are added (and the activity span
 *   widened), so the incident or update comment carries the full evidence.
 *
 * Suppressed report ids are never merged into the reported ids: otherwise a later hit
 * with the same ids would look like "no new evidence" and never raise.
 */
import type { Hit, SuppressedBefore } from './model.js';
import { nextDeviceState, type DeviceState, type SuppressionState } from './state.js';
import { addReportIds, emptyReportIdSet, unseenReportIds } from './reportIdSet.js';

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

export function suppressionExclusionIds(exclusionIds: readonly string[]): string[] {
  return [...new Set(exclusionIds)].sort();
}

/**
 * The device's state after `hit` was suppressed by `exclusionIds`, or undefined when there is
 * nothing to record. Only report ids not already reported go into the suppression record;
 * the reported ids, the episode and its detections are left as they are.
 */
export function recordSuppression(state: DeviceState | undefined, hit: Hit, exclusionIds: readonly string[], now: Date): DeviceState | undefined {
  const previous = state?.suppression;
  const ids = suppressionExclusionIds(exclusionIds);
  const unreported = unseenReportIds(state?.reported ?? emptyReportIdSet, hit.reportIds);
  const fresh = unseenReportIds(previous?.reportIds ?? emptyReportIdSet, unreported);
  const earlier = previous === undefined || hit.firstSeen.getTime() < previous.firstSeen.getTime();
  const later = previous === undefined || hit.lastSeen.getTime() > previous.lastSeen.getTime();
  if (previous !== undefined && fresh.length === 0 && !earlier && !later && sameIds(previous.exclusionIds, ids)) return undefined;
  const suppression: SuppressionState = {
    lastSuppressedAt: now,
    firstSeen: previous && !earlier ? previous.firstSeen : hit.firstSeen,
    lastSeen: previous && !later ? previous.lastSeen : hit.lastSeen,
    exclusionIds: ids,
    reportIds: addReportIds(previous?.reportIds ?? emptyReportIdSet, fresh),
    count: (previous?.count ?? 0) + 1,
  };
  return nextDeviceState(state, hit, { suppression });
}

/**
 * `hit` with the report ids seen while suppressed that are not reported yet (only those still
 * in the bounded recent list can be named), and their activity span. Unchanged when there are
 * none, so it is idempotent and free once they have been raised.
 */
export function withSuppressedEvidence(hit: Hit, state: DeviceState | undefined): Hit {
  return foldSuppressedEvidence(hit, state).hit;
}

/** `withSuppressedEvidence`, and what the incident should say about the earlier suppressions. */
export function foldSuppressedEvidence(hit: Hit, state: DeviceState | undefined): { readonly hit: Hit; readonly suppressedBefore: SuppressedBefore | undefined } {
  const suppression = state?.suppression;
  if (suppression === undefined) return { hit, suppressedBefore: undefined };
  // Not reported yet: whether this window returned them again or not, the incident names them as seen while suppressed.
  const pending = unseenReportIds(state?.reported ?? emptyReportIdSet, suppression.reportIds.recentReportIds);
  if (pending.length === 0) return { hit, suppressedBefore: undefined };
  const inHit = new Set(hit.reportIds);
  const missing = pending.filter((id) => !inHit.has(id));
  return {
    hit: {
      ...hit,
      firstSeen: new Date(Math.min(hit.firstSeen.getTime(), suppression.firstSeen.getTime())),
      lastSeen: new Date(Math.max(hit.lastSeen.getTime(), suppression.lastSeen.getTime())),
      reportIds: [...missing, ...hit.reportIds],
    },
    suppressedBefore: { exclusionIds: suppression.exclusionIds, reportIds: pending, lastSuppressedAt: suppression.lastSuppressedAt, count: suppression.count },
  };
}
