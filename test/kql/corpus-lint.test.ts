// Every rule of the RMM corpus is linted. Valid rules lint clean; the real upstream defects are
// reported at their YAML line and column (expected list reviewed by hand in the fixture, and against
// Kusto.Language in differential.test.ts):
// - every per-tool *_netconn rule and rmm__all_netconn group by AccountUpn, which DeviceNetworkEvents
//   does not have (it has InitiatingProcessAccountUpn);
// - ZohoAssist and MSP360_CloudBerry netconn end a has_any list with a trailing comma, which Kusto does
//   not parse (and also group by AccountUpn);
// - DWService createproc and netconn read `Sha1` (the column is SHA1), and createproc's filter line
//   lacks its `where` (`| Sha1 in (...)`); netconn also groups by AccountUpn;
// - Level createproc writes two list operators in a row (`has_all has_any (`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/kql/index.js';
import { loadCorpus } from './corpus/corpus.js';

interface ExpectedDefect {
  line: number;
  col: number;
  code: string;
  message: string;
}

const expected = JSON.parse(
  readFileSync(new URL('../fixtures/kql/corpus-expected-defects.json', import.meta.url), 'utf8'),
) as Record<string, ExpectedDefect[]>;

describe('corpus lint', () => {
  const rules = loadCorpus();

  it('reads every rule of the corpus', () => {
    expect(rules).toHaveLength(168);
    for (const f of Object.keys(expected)) expect(rules.map((r) => r.file)).toContain(f);
  });

  it.each(rules.map((r) => [r.file, r] as const))('%s', (file, rule) => {
    const found = lint(rule.query).map((d) => ({
      line: d.line + rule.firstLine - 1,
      col: d.col + rule.indent,
      code: d.code,
      message: d.message,
    }));
    expect(found).toEqual(expected[file] ?? []);
  });

  it('the defects are the documented ones', () => {
    const files = Object.keys(expected);
    const accountUpn = files.filter((f) => expected[f]!.some((d) => d.code === 'KQL102' && d.message.includes("'AccountUpn'")));
    expect(accountUpn.every((f) => f.endsWith('_netconn.yaml'))).toBe(true);
    // the parser steps over the trailing comma, so the AccountUpn defect behind it is reported too
    expect(expected['ZohoAssist/rmm_ZohoAssist_netconn.yaml']).toEqual([
      expect.objectContaining({ code: 'KQL003', line: 36, col: 27 }),
      expect.objectContaining({ code: 'KQL102', line: 42, col: 7 }),
    ]);
    expect(expected['MSP360_CloudBerry/rmm_MSP360_CloudBerry_netconn.yaml']).toEqual([
      expect.objectContaining({ code: 'KQL003' }),
      expect.objectContaining({ code: 'KQL102', message: expect.stringContaining("'AccountUpn'") }),
    ]);
    expect(expected['Level/rmm_Level_createproc.yaml']).toEqual([expect.objectContaining({ code: 'KQL004', message: expect.stringContaining("'has_any'") })]);
    // an unknown column in the let, then a syntax error four lines later: both (issue 13)
    expect(expected['DWService/rmm_DWService_createproc.yaml']).toEqual([
      expect.objectContaining({ code: 'KQL102', line: 21, message: expect.stringContaining("'Sha1'") }),
      expect.objectContaining({ code: 'KQL006', line: 25 }),
    ]);
    // two unknown columns: both
    expect(expected['DWService/rmm_DWService_netconn.yaml']).toEqual([
      expect.objectContaining({ code: 'KQL102', line: 21, message: expect.stringContaining("'Sha1'") }),
      expect.objectContaining({ code: 'KQL102', line: 29, message: expect.stringContaining("'AccountUpn'") }),
    ]);
    expect(files.filter((f) => !f.endsWith('_netconn.yaml')).sort()).toEqual(['DWService/rmm_DWService_createproc.yaml', 'Level/rmm_Level_createproc.yaml']);
    // 62 defective rules, 106 clean (the corpus' own count)
    expect(files).toHaveLength(62);
  });
});
