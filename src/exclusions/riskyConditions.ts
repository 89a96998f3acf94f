import type { Condition, ExclusionEntry } from './schema.js';

/**
 * Conditions that are valid but weaken the hunter's guarantees, reported with every run so a
 * reviewer sees them: matching on absence lets missing data suppress, and `includes` on a field
 * other than group membership lets any other value through (an internal peer excusing a public one).
 */
export function riskyConditionWarnings(entry: ExclusionEntry): string[] {
  const warnings: string[] = [];
  visit(entry.when, (condition) => {
    if (!('field' in condition)) return;
    if (condition.exists === false) {
      warnings.push(`exclusion "${entry.id}" matches activities that lack ${condition.field} (exists: false): missing data can suppress through it`);
    }
    if (condition.includes !== undefined && condition.field !== 'user.group') {
      warnings.push(`exclusion "${entry.id}" uses includes on ${condition.field}: one matching value excuses all the others; prefer equals, in or cidr`);
    }
  });
  return warnings;
}

function visit(condition: Condition, onCondition: (condition: Condition) => void): void {
  onCondition(condition);
  if ('all' in condition) condition.all.forEach((part) => visit(part, onCondition));
  else if ('any' in condition) condition.any.forEach((part) => visit(part, onCondition));
  else if ('not' in condition) visit(condition.not, onCondition);
}
