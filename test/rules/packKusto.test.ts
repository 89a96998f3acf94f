/**
 * Issue 15's "hunter lint rules/rmm is clean against Kusto.Language with the Defender schemas": every rule
 * under rules/ (the shipped rule and the RMM pack) has a query, a context query and a device query (each with
 * the rule's events bound) that Microsoft's own analyzer (@kusto/language-service-next, a dev dependency)
 * accepts with no diagnostic over Defender XDR's advanced-hunting schemas.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defenderCatalogue } from '../../src/kql/index.js';
import { loadRule } from '../../src/rules/load.js';
import { loadOfficialKusto, type OfficialKusto } from '../kql/corpus/official-kusto.js';

let official: OfficialKusto;
beforeAll(() => {
  official = loadOfficialKusto(defenderCatalogue);
});

const ruleFiles = readdirSync('rules', { recursive: true, encoding: 'utf8' })
  .filter((entry) => entry.endsWith('.yaml'))
  .map((entry) => path.join('rules', entry))
  .sort();

describe('the rules under Kusto.Language with the Defender schemas', () => {
  it('raise no diagnostic in any rule query, context query or device query', () => {
    expect(ruleFiles.length).toBeGreaterThanOrEqual(168);
    const problems = ruleFiles.flatMap((file) => {
      const rule = loadRule(file);
      const queries = { query: rule.query, contextQueryFile: rule.contextQuery, deviceQueryFile: rule.deviceQuery };
      return Object.entries(queries).flatMap(([field, text]) =>
        text === undefined ? [] : official.diagnostics(text).map((d) => `${file} ${field} ${d.line}:${d.col} ${d.code} ${d.message}`),
      );
    });
    expect(problems).toEqual([]);
  }, 300_000);
});
