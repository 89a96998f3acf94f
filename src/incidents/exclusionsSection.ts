/** What the exclusions decided, so the analyst knows which legitimate uses were already ruled out. */
import type { EnrichedHit } from '../core/model.js';
import { code, formatCount } from './markdown.js';

export function exclusionLines(enriched: EnrichedHit, itemCap: number): string[] {
  const { verdict, context } = enriched;
  if (verdict.considered.length === 0) return ['- No exclusions are configured: every detection is raised.'];
  const activityCount = context?.activities.length ?? 0;
  const lines: string[] = [];
  const considered = verdict.considered.slice(0, itemCap).map((id) => code(id, 80));
  const more = verdict.considered.length - considered.length;
  lines.push(`- Considered: ${considered.join(', ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}.`);
  if (verdict.matches.length === 0) {
    lines.push('- None matched any activity of this device.');
  } else {
    for (const match of verdict.matches.slice(0, itemCap)) {
      lines.push(`- ${code(match.exclusionId, 80)} matched ${formatCount(match.activityIds.length)} of ${formatCount(activityCount)} activities.`);
    }
    if (verdict.matches.length > itemCap) lines.push(`- …and ${formatCount(verdict.matches.length - itemCap)} more matching exclusions.`);
  }
  lines.push(
    verdict.suppressed
      ? '- Every activity is explained by these exclusions, now that the context has arrived: the detection was raised while the context was missing, which never hides one.'
      : activityCount === 0
        ? '- Raised because no activity was found to explain: missing context never hides a detection.'
        : '- Raised because at least one activity is not explained by any exclusion.',
  );
  return lines;
}
