import type { Settings } from '../config/settings.js';
import type { Logger } from '../core/ports.js';
import type { ExclusionEvaluator } from '../core/ports.js';
import { createExclusionEvaluator, createNoExclusionsEvaluator, exclusionsForRule, loadExclusionsFile, unknownRuleNames, type RuleScope } from '../exclusions/index.js';

/**
 * Each enabled rule's exclusions (those that name it, or name no rule). No exclusion file configured means
 * nothing is excluded: suppression is always opt-in.
 */
export async function buildExclusions(
  settings: Settings,
  runtime: { readonly now: Date; readonly fromRoot: (file: string) => string; readonly logger: Logger },
  rules: readonly RuleScope[],
): Promise<(rule: RuleScope) => ExclusionEvaluator> {
  if (settings.EXCLUSIONS_PATH === undefined) return () => createNoExclusionsEvaluator();
  const file = await loadExclusionsFile(runtime.fromRoot(settings.EXCLUSIONS_PATH));
  const unknown = unknownRuleNames(file.exclusions, rules);
  if (unknown.length > 0) runtime.logger.warn(`exclusions name rules that are not enabled (they apply to nothing here): ${unknown.join(', ')}`);
  return (rule) => createExclusionEvaluator(exclusionsForRule(file.exclusions, rule), { warnShare: settings.EXCLUSION_WARN_SHARE, now: runtime.now });
}
