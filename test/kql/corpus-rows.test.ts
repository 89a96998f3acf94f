// For each corpus rule, rows generated from the rule's own literals: the positive row is a hit,
// the negative rows (outside the window, look-alike values) are not.
import { describe, expect, it } from 'vitest';
import { defaultCatalogue, evaluate, KqlError, type TableSchema } from '../../src/kql/index.js';
import { loadCorpus, type CorpusRule } from './corpus/corpus.js';
import { generateRows } from './corpus/generate-rows.js';
import { memoryTables, NOW } from './helpers.js';

// The netconn rules group by AccountUpn, which DeviceNetworkEvents lacks (a real upstream defect,
// see corpus-lint.test.ts). To still test their filter logic, they run against a schema that adds it.
const networkWithAccountUpn: TableSchema = {
  name: 'DeviceNetworkEvents',
  columns: [...defaultCatalogue.schemaOf('DeviceNetworkEvents')!.columns, { name: 'AccountUpn', type: 'string' }],
};

/** ZohoAssist's has_any list ends with a trailing comma (a parse error); the test repairs it in memory only. */
function runnableQuery(rule: CorpusRule): string {
  return rule.file.startsWith('ZohoAssist/') && rule.file.endsWith('_netconn.yaml')
    ? rule.query.replace(/,(\s*)\)\s*\n(\s*and InitiatingProcess)/, '$1)\n$2')
    : rule.query;
}

async function hits(query: string, row: Record<string, unknown>, table: string) {
  const tables = memoryTables({ [table]: [row] }, [networkWithAccountUpn]);
  return (await evaluate(query, { tables, now: NOW })).rows;
}

describe('corpus rules on generated rows', () => {
  const rules = loadCorpus();

  it('the ZohoAssist rule does not parse as published', async () => {
    const zoho = rules.find((r) => r.file === 'ZohoAssist/rmm_ZohoAssist_netconn.yaml')!;
    await expect(evaluate(zoho.query, { tables: memoryTables({}, [networkWithAccountUpn]), now: NOW })).rejects.toBeInstanceOf(KqlError);
    expect(runnableQuery(zoho)).not.toBe(zoho.query);
  });

  it.each(rules.map((r) => [r.file, r] as const))('%s', async (_file, rule) => {
    const query = runnableQuery(rule);
    const rows = generateRows(query, NOW);
    const positive = await hits(query, rows.positive, rows.table);
    expect(positive, JSON.stringify(rows.positive)).toHaveLength(1);
    expect(positive[0]).toMatchObject({ DeviceId: 'dev-0001', DeviceName: 'pc1.contoso.com', Count: 1, Report: [101] });
    expect(await hits(query, rows.outsideWindow, rows.table)).toEqual([]);
    expect(await hits(query, rows.violated, rows.table), JSON.stringify(rows.violated)).toEqual([]);
  });
});
