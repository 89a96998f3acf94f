/**
 * The small interfaces the hunt pipeline depends on. Adapters implement them;
 * the composition roots (src/compose/) build them from settings.
 */
import type { DeviceContext, EnrichedHit, ExclusionVerdict, Hit, IncidentComment, IncidentDraft, TimeWindow } from './model.js';
import type { HuntRule } from '../rules/rule.js';

/** Runs the rule's context query for the hit devices (batched) and maps rows to activities. */
export interface ContextEnricher {
  enrich(rule: HuntRule, hits: readonly Hit[], window: TimeWindow): Promise<ReadonlyMap<string, DeviceContext>>;
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
