import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { shippedRuleVariant } from '../support/rules.js';

describe('hunter test', () => {
  it('passes every rule in rules/ (the shipped rule and the RMM pack): both cases of each', async () => {
    const run = await runCli(['test', 'rules']);
    expect(run.stderr).toMatch(/^(\d+) rule file\(s\), (\d+) case\(s\), 0 rule\(s\) failed\n$/);
    const [, files, cases] = /^(\d+) rule file\(s\), (\d+) case\(s\)/.exec(run.stderr)!;
    expect(Number(files)).toBeGreaterThanOrEqual(168);
    expect(Number(cases)).toBe(2 * Number(files));
    expect(run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('PASS '))).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('fails a rule whose look-alike hits, naming the case; exit 1', async () => {
    const file = shippedRuleVariant((text) => text.replace('NotAmmyy Software Ltd', 'Ammyy Software Ltd'));
    const run = await runCli(['test', file]);
    expect(run.stdout).toContain(`FAIL ${path.relative(process.cwd(), file)} (2 case(s))\n  case "a signer whose name only contains the tool's (a look-alike)" (expect none): expected no hit, got "rule-test-device"\n`);
    expect(run.code).toBe(1);
  });

  it('reports a rule that does not load with its problems, and goes on with the others', async () => {
    const bad = shippedRuleVariant((text) => text.replace('severity: Medium', 'severity: Severe'));
    const run = await runCli(['test', bad, 'rules/ammyy-file-signature.yaml']);
    expect(run.stdout).toMatch(/FAIL .*: the rule does not load\n {2}.*rule\.yaml:\d+:\d+: rule-field: severity: /);
    expect(run.stdout).toContain('PASS rules/ammyy-file-signature.yaml (2 case(s))');
    expect(run.code).toBe(1);
  });

  it('is a usage error without a path or with one that does not exist', async () => {
    expect((await runCli(['test'])).code).toBe(2);
    expect((await runCli(['test', 'rules/nope'])).code).toBe(2);
  });
});
