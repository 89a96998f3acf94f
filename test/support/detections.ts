/** Detections for sink tests: the realistic Ammyy device of incidentFixtures, rendered by the real renderer. */
import type { Detection } from '../../src/core/detection.js';
import { detectionRule } from '../../src/core/buildDetection.js';
import { detectionEvidence } from '../../src/core/episodeEvidence.js';
import { findingIdFor } from '../../src/core/ids.js';
import { createIncidentRenderer } from '../../src/incidents/index.js';
import { enrichedHit } from './incidentFixtures.js';
import { testRule } from './rules.js';

const ammyyRule = testRule();

const renderer = createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' });

export interface TestDetectionOptions {
  readonly episodeId?: string;
  readonly sequence?: number;
  readonly reopenIfClosed?: boolean;
  readonly description?: string;
  readonly firstSeen?: Date;
  readonly lastSeen?: Date;
  readonly updateComment?: string;
}

export function testDetection(options: TestDetectionOptions = {}): Detection {
  const enriched = enrichedHit();
  const episodeId = options.episodeId ?? 'episode-1';
  const sequence = options.sequence ?? 0;
  const episode = { episodeId, episodeStart: new Date('2026-11-20T10:00:00Z'), previousEpisodeId: undefined };
  const rendered = renderer.renderIncident(ammyyRule, enriched, episode);
  const updateComment = options.updateComment ?? (sequence > 0 ? renderer.renderUpdateComment(ammyyRule, enriched, episode, ['1004']) : undefined);
  const evidence = detectionEvidence(enriched.context);
  return {
    findingId: findingIdFor(episodeId, sequence),
    episodeId,
    sequence,
    previousEpisodeId: undefined,
    reason: sequence === 0 ? 'newDevice' : 'update',
    rule: detectionRule(ammyyRule),
    groupId: ammyyRule.id,
    device: { id: enriched.hit.deviceId, name: enriched.hit.deviceName },
    episodeStart: episode.episodeStart,
    firstSeen: options.firstSeen ?? enriched.hit.firstSeen,
    lastSeen: options.lastSeen ?? enriched.hit.lastSeen,
    reportIds: { items: enriched.hit.reportIds, omitted: 0 },
    windowEventCount: enriched.hit.eventCount,
    evidence,
    redFlags: renderer.redFlags(ammyyRule, enriched.context),
    contextComplete: true,
    added: { reportIds: sequence === 0 ? enriched.hit.reportIds : ['1004'], evidence },
    reopenIfClosed: options.reopenIfClosed ?? false,
    text: { ...rendered, ...(options.description !== undefined ? { description: options.description } : {}), updateComment },
  };
}
