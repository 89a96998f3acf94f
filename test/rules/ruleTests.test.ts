/**
 * The test cases beside a rule run through the real evaluator (src/rules/ruleTests.ts): a hit case
 * must raise its device and find evidence with the rule's context query, a look-alike must raise
 * nothing, and a rule lacking either kind fails.
 */
import { describe, expect, it } from 'vitest';
import { runRuleTests } from '../../src/rules/ruleTests.js';
import { loadRule } from '../../src/rules/load.js';
import { SHIPPED_RULE_PATH, shippedRuleVariant, testRule } from '../support/rules.js';
import type { RuleTestCase } from '../../src/rules/schema.js';

const hit = (rows: RuleTestCase['rows']): RuleTestCase => ({ name: 'signed by the tool', expect: 'hit', rows });
const none = (rows: RuleTestCase['rows']): RuleTestCase => ({ name: 'a look-alike', expect: 'none', rows });

describe('rule tests', () => {
  it('pass for the shipped rule: its file hits with evidence, its look-alike does not', async () => {
    const report = await runRuleTests(loadRule(SHIPPED_RULE_PATH));
    expect(report.problems).toEqual([]);
    expect(report.outcomes.map((outcome) => [outcome.expect, outcome.passed])).toEqual([['hit', true], ['none', true]]);
    expect(report.outcomes[0]!.detail).toMatch(/^hit "rule-test-device", \d+ evidence row/);
  });

  it('fail a rule without both kinds of case, and say which kind is missing', async () => {
    const onlyHit = await runRuleTests(testRule({ tests: [hit([{ Signer: 'Ammyy LLC' }])] }));
    expect(onlyHit.passed).toBe(false);
    expect(onlyHit.problems).toEqual(['no test case with expect: none (a look-alike the rule must not raise)']);
    const untested = await runRuleTests(testRule({ tests: [] }));
    expect(untested.problems).toHaveLength(2);
  });

  it('fail a case that does not come out as expected, saying what happened', async () => {
    const report = await runRuleTests(testRule({ tests: [hit([{ Signer: 'Contoso Ltd' }]), none([{ Signer: 'Ammyy LLC', DeviceId: 'pc-7' }])] }));
    expect(report.outcomes.map((outcome) => outcome.detail)).toEqual(['expected a hit on "rule-test-device", got no hit', 'expected no hit, got "pc-7"']);
  });

  it('refuse a row naming a column its table lacks (a typo would test nothing) or a value of the wrong type', async () => {
    const report = await runRuleTests(testRule({ tests: [hit([{ Signr: 'Ammyy LLC' }]), none([{ Timestamp: 'yesterday' }])] }));
    expect(report.outcomes[0]!.detail).toBe('row 1: DeviceFileCertificateInfo has no column Signr');
    expect(report.outcomes[1]!.detail).toMatch(/^row 1, column Timestamp: 'yesterday' is not a valid datetime/);
  });

  it('read rows of several tables, and rows outside the hunt window do not hit', async () => {
    const report = await runRuleTests(
      testRule({
        tests: [
          { name: 'two tables', expect: 'hit', tables: { DeviceFileCertificateInfo: [{ Signer: 'Ammyy LLC' }], DeviceProcessEvents: [{ FileName: 'AA_v3.exe' }] } },
          none([{ Signer: 'Ammyy LLC', Timestamp: '2025-01-01T00:00:00Z' }]),
        ],
      }),
    );
    expect(report.outcomes.map((outcome) => outcome.passed)).toEqual([true, true]);
  });

  it('are checked when the rule loads: a case gives rows or tables, not both', () => {
    const both = shippedRuleVariant((text) => text.replace('    rows:\n      - { Signer: Ammyy LLC, IsSigned: true }', '    rows:\n      - { Signer: Ammyy LLC }\n    tables:\n      DeviceProcessEvents:\n        - { FileName: a.exe }'));
    expect(() => loadRule(both)).toThrow(/tests\.0: give either rows \(of the rule's table\) or tables/);
  });
});
