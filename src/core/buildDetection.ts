/** A planned detection (./episodePlan.ts) as the sinks receive it: data plus the rendered texts. */
import type { HuntRule } from '../rules/rule.js';
import type { IncidentEpisode, IncidentRenderer } from './ports.js';
import type { Detection, DetectionRule } from './detection.js';
import type { DetectionPlan } from './episodePlan.js';
import { detectionEvidence } from './episodeEvidence.js';
import { findingIdFor } from './ids.js';

export function detectionRule(rule: HuntRule): DetectionRule {
  return { id: rule.id, name: rule.name, severity: rule.severity, tactics: rule.tactics, techniques: rule.relevantTechniques };
}

export function buildDetection(plan: DetectionPlan, rule: HuntRule, groupId: string, renderer: IncidentRenderer, windowEventCount: number): Detection {
  const { episode, enriched, added } = plan;
  const info: IncidentEpisode = { episodeId: episode.episodeId, episodeStart: episode.episodeStart, previousEpisodeId: episode.previousEpisodeId };
  const rendered = renderer.renderIncident(rule, enriched, info);
  const addedContext = { files: added.files, activities: added.activities };
  const updateComment = episode.sequence === 0 ? undefined : renderer.renderUpdateComment(rule, { ...enriched, context: addedContext }, info, plan.newReportIds);
  const evidence = episode.evidence;
  return {
    findingId: findingIdFor(episode.episodeId, episode.sequence),
    episodeId: episode.episodeId,
    sequence: episode.sequence,
    previousEpisodeId: episode.previousEpisodeId,
    reason: plan.reason,
    rule: detectionRule(rule),
    groupId,
    device: { id: plan.next.deviceId, name: plan.next.deviceName },
    episodeStart: episode.episodeStart,
    firstSeen: enriched.hit.firstSeen,
    lastSeen: enriched.hit.lastSeen,
    reportIds: { items: evidence.reportIds, omitted: evidence.reportCount - evidence.reportIds.length },
    windowEventCount,
    evidence: detectionEvidence(evidence.context),
    redFlags: renderer.redFlags(rule, enriched.context),
    contextComplete: episode.contextPending === undefined,
    added: { reportIds: plan.newReportIds, evidence: detectionEvidence(addedContext) },
    reopenIfClosed: rule.grouping.reopenClosedIncident,
    text: { ...rendered, updateComment },
  };
}
