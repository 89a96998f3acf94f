/**
 * "What would these exclusions suppress on this data?": runs the hunt and the context query on a
 * backend, then the exclusions, and reports per hit and per exclusion. Used by
 * `hunter exclusions test` so a SOC engineer can try a change before deploying it.
 */
import { bindHuntWindow } from '../core/bindWindow.js';
import { hitsFromResult } from '../core/hitRows.js';
import type { DeviceContext, ExclusionVerdict, Hit, TimeWindow } from '../core/model.js';
import type { Logger, QueryBackend } from '../core/ports.js';
import { createContextEnricher } from '../context/index.js';
import type { HuntRule } from '../rules/rule.js';
import { createExclusionEvaluator, isExpired } from './evaluator.js';
import { exclusionsForRule } from './scope.js';
import type { ExclusionEntry } from './schema.js';

export interface ExclusionTrialInput {
  readonly rule: HuntRule;
  readonly backend: QueryBackend;
  readonly entries: readonly ExclusionEntry[];
  readonly window: TimeWindow;
  readonly now: Date;
  /** Most devices per context query; unset: as many as the backend's limits allow. */
  readonly maxBatchSize?: number | undefined;
  readonly warnShare: number;
  readonly logger?: Logger;
}

export interface TrialHit {
  readonly hit: Hit;
  readonly context: DeviceContext | undefined;
  readonly verdict: ExclusionVerdict;
}

export type ExclusionStatus = 'active' | 'disabled' | 'expired';

export interface TrialExclusion {
  readonly id: string;
  readonly status: ExclusionStatus;
  /** Activities (across all hits) the exclusion's condition holds for. */
  readonly matchedActivities: number;
  /** Hits it helped suppress (together with other exclusions or alone). */
  readonly suppressedDevices: readonly string[];
  /** Hits it would suppress if it were the only exclusion. */
  readonly suppressesAlone: readonly string[];
}

export interface ExclusionTrialReport {
  readonly window: TimeWindow;
  readonly hits: readonly TrialHit[];
  readonly exclusions: readonly TrialExclusion[];
  readonly warnings: readonly string[];
}

export async function runExclusionTrial(input: ExclusionTrialInput): Promise<ExclusionTrialReport> {
  const { rule, backend, window, now } = input;
  const entries = exclusionsForRule(input.entries, rule);
  const result = await backend.run({ query: bindHuntWindow(rule, window), window, purpose: 'hunt' });
  const { hits } = hitsFromResult(result, rule.sourcePath, rule.reportIdScope);
  const enricher = createContextEnricher(backend, { maxBatchSize: input.maxBatchSize, ...(input.logger ? { logger: input.logger } : {}) });
  const { contexts } = await enricher.enrich(rule, hits, window);
  const evaluator = createExclusionEvaluator(entries, { warnShare: input.warnShare, now });
  const trialHits = hits.map((hit) => {
    const context = contexts.get(hit.deviceId);
    return { hit, context, verdict: evaluator.evaluate(hit, context, now) };
  });

  const exclusions = entries.map((entry): TrialExclusion => {
    const status: ExclusionStatus = !entry.enabled ? 'disabled' : isExpired(entry, now) ? 'expired' : 'active';
    // Judged as if enabled, so a disabled or expired entry still shows what it would do.
    const alone = createExclusionEvaluator([{ ...entry, enabled: true, expires: undefined }], { warnShare: 1 });
    const verdictsAlone = trialHits.map(({ hit, context }) => alone.evaluate(hit, context, now));
    return {
      id: entry.id,
      status,
      matchedActivities: verdictsAlone.reduce((sum, verdict) => sum + (verdict.matches[0]?.activityIds.length ?? 0), 0),
      suppressedDevices: trialHits
        .filter(({ verdict }) => verdict.suppressed && verdict.matches.some((match) => match.exclusionId === entry.id))
        .map(({ hit }) => hit.deviceName),
      suppressesAlone: trialHits.filter((_, index) => verdictsAlone[index]?.suppressed).map(({ hit }) => hit.deviceName),
    };
  });

  const warnings = evaluator.warningsForRun(trialHits.map(({ verdict }) => verdict), hits.length);
  return { window, hits: trialHits, exclusions, warnings };
}
