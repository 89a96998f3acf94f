/**
 * What an update writes when the incident already exists. PUT replaces the whole resource, so
 * everything the SOC set must be sent back, or it would be erased. The split of ownership:
 * - the hunter owns the content: title, description, its own labels, the activity times
 *   (first = earliest ever seen, last = latest ever seen, so an update never shrinks the span);
 * - the SOC owns the handling: owner, severity once the incident exists (they may have raised or
 *   lowered it), classification, the labels they added, and the status — except that a detection
 *   of a rule with reopenClosedIncident reopens a `Closed` incident (status Active); the closing
 *   classification is then dropped, as the portal does on reopen.
 * A write never moves an Active or Closed incident back to New.
 */
import { statusAfterWrite, type IncidentStatus, type Severity } from '../../core/model.js';
import type { Detection } from '../../core/detection.js';
import type { SentinelIncident, SentinelIncidentProperties, SentinelLabel } from './sentinelApi.js';
import { parseUtcDate } from '../../kql/literals.js';

/** The incident a detection asks for. */
export interface IncidentDraft {
  readonly incidentId: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly labels: readonly string[];
  readonly firstActivity: Date;
  readonly lastActivity: Date;
  readonly reopenIfClosed: boolean;
}

/** The episode is the incident: its id is the incident's name. */
export function incidentDraft(detection: Detection): IncidentDraft {
  return {
    incidentId: detection.episodeId,
    title: detection.text.title,
    description: detection.text.description,
    severity: detection.rule.severity,
    labels: detection.text.labels,
    firstActivity: detection.firstSeen,
    lastActivity: detection.lastSeen,
    reopenIfClosed: detection.reopenIfClosed,
  };
}

export function draftLabels(draft: IncidentDraft): SentinelLabel[] {
  return draft.labels.map((labelName) => ({ labelName, labelType: 'User' }));
}

export function newIncidentProperties(draft: IncidentDraft): SentinelIncidentProperties {
  return {
    title: draft.title,
    description: draft.description,
    severity: draft.severity,
    status: 'New' satisfies IncidentStatus,
    labels: draftLabels(draft),
    firstActivityTimeUtc: draft.firstActivity.toISOString(),
    lastActivityTimeUtc: draft.lastActivity.toISOString(),
  };
}

function earliest(existing: string | undefined, ours: Date): string {
  const existingTime = existing === undefined ? undefined : parseUtcDate(existing)?.getTime();
  return existingTime === undefined || ours.getTime() < existingTime ? ours.toISOString() : existing!;
}

function latest(existing: string | undefined, ours: Date): string {
  const existingTime = existing === undefined ? undefined : parseUtcDate(existing)?.getTime();
  return existingTime === undefined || ours.getTime() > existingTime ? ours.toISOString() : existing!;
}

export function mergedIncidentProperties(existing: SentinelIncident, draft: IncidentDraft): SentinelIncidentProperties {
  const current = existing.properties;
  const status = statusAfterWrite(current.status, draft.reopenIfClosed);
  const reopen = current.status === 'Closed' && status === 'Active';
  // Labels the service assigned itself are recomputed by it; sending them back as ours would change their type.
  const socLabels = (current.labels ?? []).filter((label) => label.labelType !== 'AutoAssigned');
  const ours = draftLabels(draft);
  const labels = [...socLabels, ...ours.filter((label) => !socLabels.some((kept) => kept.labelName.toLowerCase() === label.labelName.toLowerCase()))];
  const keepClassification = !reopen && current.status === 'Closed';
  return {
    title: draft.title,
    description: draft.description,
    severity: current.severity,
    status,
    ...(keepClassification && current.classification !== undefined ? { classification: current.classification } : {}),
    ...(keepClassification && current.classificationReason !== undefined ? { classificationReason: current.classificationReason } : {}),
    ...(keepClassification && current.classificationComment !== undefined ? { classificationComment: current.classificationComment } : {}),
    ...(current.owner !== undefined ? { owner: current.owner } : {}),
    labels,
    firstActivityTimeUtc: earliest(current.firstActivityTimeUtc, draft.firstActivity),
    lastActivityTimeUtc: latest(current.lastActivityTimeUtc, draft.lastActivity),
  };
}
