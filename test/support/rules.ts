/**
 * The rule tests run with: the shipped rule as the loader reads it, so tests exercise what the
 * hunter runs and pick up every field the rule file gains. Tests that depend on one setting say so
 * with an override (e.g. a window's ingestion delay).
 */
import { fileURLToPath } from 'node:url';
import { loadRule } from '../../src/rules/load.js';
import type { HuntRule } from '../../src/rules/rule.js';

export const SHIPPED_RULE_PATH = fileURLToPath(new URL('../../rules/ammyy-file-signature.yaml', import.meta.url));

let shipped: HuntRule | undefined;

export function testRule(overrides: Partial<HuntRule> = {}): HuntRule {
  shipped ??= loadRule(SHIPPED_RULE_PATH);
  return { ...shipped, ...overrides };
}
