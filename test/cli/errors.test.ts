import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { shippedRuleVariant } from '../support/rules.js';

const sample = 'test/fixtures/ammyy-basic';

function ruleWithTypo(): { file: string; line: number; col: number } {
  const file = shippedRuleVariant((text) => text.replace("| where Signer has 'Ammyy'", "| where Signr has 'Ammyy'"), 'typo.yaml');
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((candidate) => candidate.includes('Signr')) + 1;
  return { file, line, col: lines[line - 1]!.indexOf('Signr') + 1 };
}

describe('the CLI on bad input', () => {
  it('reports a KQL typo in a rule at its line:col in the YAML file, for query and replay alike', async () => {
    const typo = ruleWithTypo();
    const where = `${typo.file}:${typo.line}:${typo.col}: KQL102`;
    const query = await runCli(['query', '--data', sample, '--rule', typo.file]);
    expect(query.code).toBe(1);
    expect(query.stderr).toContain(where);
    const work = mkdtempSync(path.join(os.tmpdir(), 'cli-errors-'));
    const replay = await runCli(['replay', '--data', sample, '--rule', typo.file, '--state', path.join(work, 'state'), '--out', path.join(work, 'out')]);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain(where);
  });

  it('treats a missing data folder as a usage error naming it', async () => {
    const run = await runCli(['query', '--data', 'no/such/folder', '--kql', 'print 1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--data: no such folder: .*no\/such\/folder/);
  });

  it('refuses a --now whose time has no zone, so the host time zone never decides', async () => {
    const run = await runCli(['query', '--data', sample, '--now', '2026-11-20 12:00', '--kql', 'print 1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--now: expected an ISO-8601 instant with its zone/);
    const dateOnly = await runCli(['query', '--data', sample, '--now', '2026-11-20', '--format', 'json', '--kql', 'print t = now()']);
    expect(JSON.parse(dateOnly.stdout)).toEqual([{ t: '2026-11-20T00:00:00.000Z' }]);
  });

  it('does not invent empty state for a mistyped --state folder', async () => {
    const run = await runCli(['state', 'list', '--state', path.join(os.tmpdir(), 'no-such-hunter-state')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--state: no local state at/);
  });

  it('keeps one exit-code contract: a file named on the command line that does not exist is a usage error (2), everywhere', async () => {
    const missing = 'no/such/rule.yaml';
    const runs = await Promise.all([
      runCli(['query', '--data', sample, '--rule', missing]),
      runCli(['replay', '--data', sample, '--rule', missing]),
      runCli(['replay', '--data', sample, '--exclusions', 'no/such/exclusions.yaml']),
      runCli(['exclusions', 'test', '--data', sample, '--rule', missing]),
      runCli(['state', 'list', '--rule', missing]),
      runCli(['runs', '--rule', missing]),
      runCli(['lint', missing]),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    for (const run of runs.slice(0, 6)) expect(run.stderr).toMatch(/--(rule|exclusions): no such file( or folder)?: .*no\/such\//);
  });
});
