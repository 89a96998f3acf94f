/**
 * Which exclusions apply to a rule: an exclusion that names `rules` (rule ids or detection groups) applies only
 * to those; one that names none applies to every enabled rule. So "AnyDesk is our IT support tool" can be said
 * for the AnyDesk rules alone, and a TeamViewer session is still judged without it.
 */
import type { ExclusionEntry } from './schema.js';

export interface RuleScope {
  readonly id: string;
  readonly detectionGroup?: string;
}

export function exclusionsForRule(entries: readonly ExclusionEntry[], rule: RuleScope): ExclusionEntry[] {
  return entries.filter((entry) => entry.rules === undefined || entry.rules.includes(rule.id) || (rule.detectionGroup !== undefined && entry.rules.includes(rule.detectionGroup)));
}

/** `exclusion id: name` for each name an exclusion gives that is no enabled rule's id or group (a typo applies to nothing). */
export function unknownRuleNames(entries: readonly ExclusionEntry[], rules: readonly RuleScope[]): string[] {
  const known = new Set(rules.flatMap((rule) => [rule.id, ...(rule.detectionGroup === undefined ? [] : [rule.detectionGroup])]));
  return entries.flatMap((entry) => (entry.rules ?? []).filter((name) => !known.has(name)).map((name) => `${entry.id}: ${name}`));
}
