// For each corpus rule, rows generated from the rule's own literals: the positive row is a hit,
// the negative rows (outside the window, look-alike values) are not. Every rule runs: the upstream
// defects (see corpus-lint.test.ts) are repaired in memory only, each repair named below, and the
// published text of each repaired rule must still be rejected.
import { describe, expect, it } from 'vitest';
import { defaultCatalogue, evaluate, KqlError, type Row, type TableSchema } from '../../src/kql/index.js';
import { loadCorpus, type CorpusRule } from './corpus/corpus.js';
import { generateRows } from './corpus/generate-rows.js';
import { memoryTables, NOW } from './helpers.js';

// The netconn rules group by AccountUpn, which DeviceNetworkEvents lacks (it has InitiatingProcessAccountUpn).
// To still test their filter logic, they run against a schema that adds it.
const SCHEMAS: TableSchema[] = [
  { name: 'DeviceNetworkEvents', columns: [...defaultCatalogue.schemaOf('DeviceNetworkEvents')!.columns, { name: 'AccountUpn', type: 'string' }] },
];

/** A comma before the closing parenthesis of a list (comments and blank lines in between). */
const TRAILING_COMMA: [RegExp, string] = [/,((?:\s|\/\/[^\n]*)*)\)/, '$1)'];

/** The published defects that stop a rule from running, and the smallest repair of each. */
const REPAIRS: Readonly<Record<string, readonly (readonly [RegExp | string, string])[]>> = {
  'ZohoAssist/rmm_ZohoAssist_netconn.yaml': [TRAILING_COMMA],
  'MSP360_CloudBerry/rmm_MSP360_CloudBerry_netconn.yaml': [TRAILING_COMMA],
  // the column is SHA1; the filter line lacks its `where`
  'DWService/rmm_DWService_createproc.yaml': [['distinct Sha1', 'distinct SHA1'], ['| Sha1 in', '| where SHA1 in']],
  'DWService/rmm_DWService_netconn.yaml': [['distinct Sha1', 'distinct SHA1']],
  // two list operators in a row; the rule's other path filters use has_any
  'Level/rmm_Level_createproc.yaml': [['has_all has_any', 'has_any']],
};

function runnableQuery(rule: CorpusRule): string {
  let query = rule.query;
  for (const [from, to] of REPAIRS[rule.file] ?? []) {
    const repaired = query.replace(from, to);
    if (repaired === query) throw new Error(`${rule.file}: the repair ${String(from)} no longer applies`);
    query = repaired;
  }
  return query;
}

async function hits(query: string, data: Record<string, Row[]>) {
  return (await evaluate(query, { tables: memoryTables(data, SCHEMAS), now: NOW })).rows;
}

describe('corpus rules on generated rows', () => {
  const rules = loadCorpus();

  it.each(Object.keys(REPAIRS))('%s does not run as published', async (file) => {
    const rule = rules.find((r) => r.file === file);
    expect(rule, file).toBeDefined();
    await expect(evaluate(rule!.query, { tables: memoryTables({}, SCHEMAS), now: NOW })).rejects.toBeInstanceOf(KqlError);
  });

  it.each(rules.map((r) => [r.file, r] as const))('%s', async (_file, rule) => {
    const query = runnableQuery(rule);
    const rows = generateRows(query, NOW);
    const positive = await hits(query, rows.positive);
    expect(positive, JSON.stringify(rows.positive)).toHaveLength(1);
    expect(positive[0]).toMatchObject({ DeviceId: 'dev-0001', DeviceName: 'pc1.contoso.com', Count: 1, Report: [101] });
    expect(await hits(query, rows.outsideWindow)).toEqual([]);
    expect(await hits(query, rows.violated), JSON.stringify(rows.violated)).toEqual([]);
  });
});
