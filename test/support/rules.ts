/**
 * The rule tests run with: the shipped rule as the loader reads it, so tests exercise what the
 * hunter runs and pick up every field the rule file gains. Tests that depend on one setting say so
 * with an override (e.g. a window's ingestion delay).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRule } from '../../src/rules/load.js';
import type { HuntRule } from '../../src/rules/rule.js';

export const SHIPPED_RULE_PATH = fileURLToPath(new URL('../../rules/ammyy-file-signature.yaml', import.meta.url));

let shipped: HuntRule | undefined;

export function testRule(overrides: Partial<HuntRule> = {}): HuntRule {
  shipped ??= loadRule(SHIPPED_RULE_PATH);
  return { ...shipped, ...overrides };
}

/**
 * A changed copy of the shipped rule in a new temporary folder, beside a copy of the query files
 * (rules/queries), so a test of one bad field sees only that problem. Returns the copy's path.
 */
export function shippedRuleVariant(change: (text: string) => string, fileName = 'rule.yaml'): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'rule-'));
  cpSync(path.join(path.dirname(SHIPPED_RULE_PATH), 'queries'), path.join(folder, 'queries'), { recursive: true });
  const file = path.join(folder, fileName);
  writeFileSync(file, change(readFileSync(SHIPPED_RULE_PATH, 'utf8')));
  return file;
}
