import type { Settings } from '../config/settings.js';
import type { Logger } from '../core/ports.js';
import type { ExclusionEvaluator } from '../core/ports.js';
import { createExclusionEvaluator, createNoExclusionsEvaluator, loadExclusionsFile } from '../exclusions/index.js';

/** No exclusion file configured means nothing is excluded: suppression is always opt-in. */
export async function buildExclusions(
  settings: Settings,
  runtime: { readonly now: Date; readonly fromRoot: (file: string) => string; readonly logger: Logger },
): Promise<ExclusionEvaluator> {
  if (settings.EXCLUSIONS_PATH === undefined) return createNoExclusionsEvaluator();
  const file = await loadExclusionsFile(runtime.fromRoot(settings.EXCLUSIONS_PATH));
  return createExclusionEvaluator(file.exclusions, { warnShare: settings.EXCLUSION_WARN_SHARE, now: runtime.now });
}
