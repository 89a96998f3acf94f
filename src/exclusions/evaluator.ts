import type { DeviceContext, ExclusionMatch, ExclusionVerdict, Hit } from '../core/model.js';
import type { ExclusionEvaluator } from '../core/ports.js';
import { compileCondition, type CompiledCondition } from './conditions.js';
import { riskyConditionWarnings } from './riskyConditions.js';
import type { ExclusionEntry } from './schema.js';
import { parseUtcDate } from '../kql/literals.js';

export interface ExclusionEvaluatorOptions {
  /** Warn when one exclusion suppresses more than this share (0..1) of a run's hits. */
  readonly warnShare: number;
  /** When given, exclusions already expired at this time are reported even if no hit is evaluated. */
  readonly now?: Date;
}

interface CompiledExclusion {
  readonly entry: ExclusionEntry;
  readonly test: CompiledCondition;
  /** First instant at which the exclusion no longer applies; undefined when it never expires. */
  readonly expiresAt: Date | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `expires: 2026-03-31` still applies all of 31 March (UTC) and stops at midnight after it. */
export function expiryInstant(expires: string | undefined): Date | undefined {
  const day = expires === undefined ? undefined : parseUtcDate(expires);
  return day === undefined ? undefined : new Date(day.getTime() + DAY_MS);
}

export function isExpired(entry: Pick<ExclusionEntry, 'expires'>, now: Date): boolean {
  const expiresAt = expiryInstant(entry.expires);
  return expiresAt !== undefined && now.getTime() >= expiresAt.getTime();
}

export function createExclusionEvaluator(entries: readonly ExclusionEntry[], options: ExclusionEvaluatorOptions): ExclusionEvaluator {
  if (!(options.warnShare >= 0 && options.warnShare <= 1)) {
    throw new RangeError(`warnShare must be between 0 and 1, got ${options.warnShare}`);
  }
  const compiled: CompiledExclusion[] = entries.map((entry) => ({
    entry,
    test: compileCondition(entry.when),
    expiresAt: expiryInstant(entry.expires),
  }));
  const expiredSeen = new Set<string>();
  if (options.now) {
    for (const exclusion of compiled) if (isExpired(exclusion.entry, options.now)) expiredSeen.add(exclusion.entry.id);
  }

  function activeAt(now: Date): CompiledExclusion[] {
    return compiled.filter((exclusion) => {
      if (!exclusion.entry.enabled) return false;
      if (exclusion.expiresAt !== undefined && now.getTime() >= exclusion.expiresAt.getTime()) {
        expiredSeen.add(exclusion.entry.id);
        return false;
      }
      return true;
    });
  }

  return {
    evaluate(_hit: Hit, context: DeviceContext | undefined, now: Date): ExclusionVerdict {
      const active = activeAt(now);
      const activities = context?.activities ?? [];
      const matches: ExclusionMatch[] = [];
      const excludedActivityIds = new Set<string>();
      for (const exclusion of active) {
        const activityIds = activities.filter((activity) => exclusion.test(activity.fields) === 'true').map((activity) => activity.id);
        if (activityIds.length === 0) continue;
        matches.push({ exclusionId: exclusion.entry.id, activityIds });
        for (const id of activityIds) excludedActivityIds.add(id);
      }
      // A file that never ran in the window has nothing that could explain it as legitimate use.
      const suppressed = activities.length > 0 && activities.every((activity) => excludedActivityIds.has(activity.id));
      return { suppressed, matches, considered: active.map((exclusion) => exclusion.entry.id) };
    },

    warningsForRun(verdicts: readonly ExclusionVerdict[], hitCount: number): readonly string[] {
      const warnings: string[] = [];
      for (const { entry } of compiled) {
        if (!entry.enabled) warnings.push(`exclusion "${entry.id}" is disabled and was ignored`);
        else if (expiredSeen.has(entry.id)) warnings.push(`exclusion "${entry.id}" expired after ${entry.expires} and was ignored`);
        else warnings.push(...riskyConditionWarnings(entry));
      }
      if (hitCount === 0) return warnings;
      for (const { entry } of compiled) {
        const suppressedByIt = verdicts.filter(
          (verdict) => verdict.suppressed && verdict.matches.some((match) => match.exclusionId === entry.id),
        ).length;
        if (suppressedByIt === 0) continue;
        if (suppressedByIt === hitCount) {
          warnings.push(`exclusion "${entry.id}" suppressed every hit of the run (${suppressedByIt} of ${hitCount}); check it is not too broad`);
        } else if (suppressedByIt / hitCount > options.warnShare) {
          warnings.push(
            `exclusion "${entry.id}" suppressed ${suppressedByIt} of ${hitCount} hits (${percent(suppressedByIt / hitCount)}), ` +
              `more than the warning share of ${percent(options.warnShare)}; check it is not too broad`,
          );
        }
      }
      return warnings;
    },
  };
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/** The default when no exclusion file is configured: nothing is ever suppressed. */
export function createNoExclusionsEvaluator(): ExclusionEvaluator {
  return {
    evaluate: () => ({ suppressed: false, matches: [], considered: [] }),
    warningsForRun: () => [],
  };
}
