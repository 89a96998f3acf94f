/**
 * docs/rmm-pack.md's table is generated from the rules themselves (rules/rmm): each tool, its three rules,
 * what was repaired from upstream (the notes in each rule) and its test cases, run here. This test fails
 * while the page is stale; regenerate it with
 *   UPDATE_DOCS=1 npx vitest run test/rules/packDocs.test.ts
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRule } from '../../src/rules/load.js';
import { runRuleTests } from '../../src/rules/ruleTests.js';

const PAGE = 'docs/rmm-pack.md';
const PACK = 'rules/rmm';
const START = '<!-- pack:start — generated from rules/rmm by test/rules/packDocs.test.ts; regenerate with UPDATE_DOCS=1 npx vitest run test/rules/packDocs.test.ts -->';
const END = '<!-- pack:end -->';
const KINDS = [
  ['filesig', 'file signature'],
  ['createproc', 'process'],
  ['netconn', 'network'],
] as const;

/** Short names of the repairs a rule notes (the comment lines under its hunter fields). */
const REPAIRS: readonly (readonly [RegExp, string])[] = [
  [/groups by `AccountUpn`/, 'AccountUpn → InitiatingProcessAccountUpn'],
  [/trailing comma/, 'trailing comma'],
  [/`Sha1`/, 'Sha1 → SHA1 and a missing where'],
  [/has_all has_any/, 'has_all has_any → has_any'],
];

function repairsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const notes = text.slice(text.indexOf('# --- ammyy-hunter fields')).split('\n').filter((line) => line.startsWith('#   - '));
  return REPAIRS.filter(([pattern]) => notes.some((note) => pattern.test(note))).map(([, name]) => name);
}

async function renderPackTable(): Promise<string> {
  const tools = readdirSync(PACK).sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
  const rows: string[] = [];
  let rules = 0;
  let passed = 0;
  for (const tool of tools) {
    const files = readdirSync(path.join(PACK, tool)).filter((file) => file.endsWith('.yaml'));
    const cells: string[] = [];
    const repairs = new Set<string>();
    let cases = 0;
    let toolPassed = true;
    let group = '';
    let name = tool;
    for (const [kind, label] of KINDS) {
      const file = files.find((entry) => entry.endsWith(`_${kind}.yaml`));
      if (file === undefined) {
        cells.push('—');
        continue;
      }
      const rule = loadRule(path.join(PACK, tool, file));
      const report = await runRuleTests(rule);
      rules++;
      if (report.passed) passed++;
      toolPassed &&= report.passed;
      cases += report.outcomes.length;
      group = rule.detectionGroup ?? rule.id;
      name = rule.tool?.name ?? tool;
      for (const repair of repairsOf(path.join(PACK, tool, file))) repairs.add(`${repair} (${label})`);
      cells.push(`[${label}](../${PACK}/${tool}/${file})`);
    }
    rows.push(`| ${name} | \`${group}\` | ${cells.join(' | ')} | ${[...repairs].join('; ') || 'dataTypes indentation only'} | ${toolPassed ? 'pass' : '**FAIL**'} (${cases} cases) |`);
  }
  return [
    START,
    `${tools.length} tools, ${rules} rules, ${passed} passing both their cases (\`hunter test rules/rmm\`). Every rule's \`dataTypes\` indentation is repaired; the other repairs are listed.`,
    '',
    '| tool | detection group | file signature | process | network | repaired besides dataTypes | tests |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    END,
  ].join('\n');
}

describe('docs/rmm-pack.md', () => {
  it('holds the table of the pack generated from the rules', async () => {
    const page = readFileSync(PAGE, 'utf8');
    const table = await renderPackTable();
    expect(page.includes(START) && page.includes(END), `${PAGE} lacks the generated section's markers`).toBe(true);
    const current = page.slice(page.indexOf(START), page.indexOf(END) + END.length);
    if (process.env.UPDATE_DOCS === '1' && current !== table) writeFileSync(PAGE, page.replace(current, table));
    else expect(current).toBe(table);
  }, 120_000);
});
