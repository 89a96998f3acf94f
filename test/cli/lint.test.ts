import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { shippedRuleVariant } from '../support/rules.js';

const corpus = path.resolve('test/fixtures/rmm-rules');

/** The text at file:line:col, to prove a reported position points at the offending token. */
function textAt(file: string, line: number, col: number, length: number): string {
  return (readFileSync(file, 'utf8').split(/\r?\n/)[line - 1] ?? '').slice(col - 1, col - 1 + length);
}

function parseProblem(line: string): { file: string; line: number; col: number; code: string; message: string } {
  const match = /^(.*):(\d+):(\d+): (\S+): (.*)$/.exec(line);
  if (!match) throw new Error(`not a file:line:col problem: ${line}`);
  return { file: match[1]!, line: Number(match[2]), col: Number(match[3]), code: match[4]!, message: match[5]! };
}

describe('hunter lint', () => {
  it('passes the shipped rule', async () => {
    const run = await runCli(['lint', 'rules']);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(0);
  });

  it('reports the upstream Ammyy rules\' real defects at their place in the YAML file', async () => {
    const run = await runCli(['lint', path.join(corpus, 'Ammyy')]);
    expect(run.code).toBe(1);
    const problems = run.stdout.trim().split('\n').map(parseProblem);
    // Every upstream file indents `dataTypes` at the list's column: invalid YAML.
    expect(problems.filter((problem) => problem.code === 'yaml-bad-indent').map((problem) => path.basename(problem.file)).sort()).toEqual([
      'rmm_Ammyy_createproc.yaml',
      'rmm_Ammyy_filesig.yaml',
      'rmm_Ammyy_netconn.yaml',
    ]);
    for (const problem of problems.filter((p) => p.code === 'yaml-bad-indent')) expect(textAt(problem.file, problem.line, problem.col, 10)).toBe('dataTypes:');
    // The network rule groups by AccountUpn, which DeviceNetworkEvents does not have.
    const column = problems.filter((problem) => problem.code !== 'yaml-bad-indent');
    expect(column).toHaveLength(1);
    expect(path.basename(column[0]!.file)).toBe('rmm_Ammyy_netconn.yaml');
    expect(column[0]!.message).toMatch(/AccountUpn/);
    expect(textAt(column[0]!.file, column[0]!.line, column[0]!.col, 'AccountUpn'.length)).toBe('AccountUpn');
  });

  it('maps a KQL error inside the query block to the YAML file\'s line and column', async () => {
    const file = shippedRuleVariant((text) => text.replace("| where Signer has 'Ammyy'", "| where Signerr has 'Ammyy'"), 'broken.yaml');
    const run = await runCli(['lint', file]);
    expect(run.code).toBe(1);
    const [problem, ...others] = run.stdout.trim().split('\n').map(parseProblem);
    expect(others).toEqual([]);
    expect(problem!.message).toMatch(/Signerr/);
    expect(textAt(file, problem!.line, problem!.col, 7)).toBe('Signerr');
  });

  it('lints the query files a rule names, at their own line and column', async () => {
    const file = shippedRuleVariant((text) => text);
    const contextFile = path.join(path.dirname(file), 'queries', 'binaries.context.kql');
    writeFileSync(contextFile, readFileSync(contextFile, 'utf8').replace('| where InitiatingProcessSHA1 in (ToolSha1s)', '| where InitiatingProcessSHA in (ToolSha1s)'));
    const run = await runCli(['lint', file]);
    expect(run.code).toBe(1);
    const problems = run.stdout.trim().split('\n').map(parseProblem);
    expect(problems).toEqual([expect.objectContaining({ file: contextFile, message: expect.stringMatching(/InitiatingProcessSHA\b/) })]);
    expect(textAt(contextFile, problems[0]!.line, problems[0]!.col, 'InitiatingProcessSHA '.length)).toBe('InitiatingProcessSHA ');
  });

  it('warns, without failing, when a rule compares a dcount with a threshold (an estimate in Kusto: https://learn.microsoft.com/kusto/query/dcount-aggregation-function)', async () => {
    // (the rule's query itself must end in its summarize: the threshold is in a subquery)
    const file = shippedRuleVariant((text) =>
      text.replace(
        "  | where Signer has 'Ammyy'\n",
        "  | where Signer has 'Ammyy'\n  | where DeviceId in ((DeviceFileCertificateInfo | summarize Files = dcount(SHA1) by DeviceId | where Files >= 2 | project DeviceId))\n",
      ),
    );
    const run = await runCli(['lint', file]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const warning = /^(.*):(\d+):(\d+): warning KQL301: (.*)$/.exec(lines[0]!);
    expect(warning, lines[0]).not.toBeNull();
    expect(warning![4]).toMatch(/estimate in Kusto/);
    expect(textAt(file, Number(warning![2]), Number(warning![3]), 'Files >= 2'.length)).toBe('Files >= 2');
  });

  it('exits 2 without paths or with a missing path', async () => {
    expect((await runCli(['lint'])).code).toBe(2);
    expect((await runCli(['lint', 'no/such/rules'])).code).toBe(2);
  });
});
