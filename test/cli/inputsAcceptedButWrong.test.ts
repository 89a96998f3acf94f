/**
 * Issue 11, "inputs that are accepted but wrong": each of these used to be taken silently and then
 * did the wrong thing (never hunted, used the wall clock, never matched...). Each must now be a
 * clear error naming the file, field or setting, through the command a user would run.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const seedRule = 'rules/ammyy-file-signature.yaml';

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hunter-input-')), name);
  writeFileSync(file, text);
  return file;
}

/** The 1-based line of the first line of `file` that contains `needle`. */
function lineOf(file: string, needle: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('rule durations that would never hunt', () => {
  const seed = readFileSync(seedRule, 'utf8');

  it.each([
    ['queryPeriod: P5D', 'queryPeriod: PT0S', 'queryPeriod: must be longer than zero'],
    ['queryFrequency: PT1H', 'queryFrequency: PT0M', 'queryFrequency: must be longer than zero'],
    ['lookbackDuration: P7D', 'lookbackDuration: P0D', 'incidentConfiguration.groupingConfiguration.lookbackDuration: must be longer than zero'],
  ])('%s -> %s is refused at its line', async (from, to, message) => {
    const file = tempFile('rule.yaml', seed.replace(from, to));
    const run = await runCli(['lint', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${file}:${lineOf(file, to)}:`);
    expect(run.stdout).toContain(message);
  });

  it('refuses an ingestion delay as long as the query period (the window would be empty)', async () => {
    const file = tempFile('rule.yaml', seed.replace('ingestionDelay: PT15M', 'ingestionDelay: P5D'));
    const run = await runCli(['lint', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${file}:${lineOf(file, 'ingestionDelay: P5D')}:`);
    expect(run.stdout).toMatch(/windowConfiguration\.ingestionDelay: must be shorter than queryPeriod \(5 d\)/);
  });

  it('a replay with such a rule stops before it runs, instead of reporting success', async () => {
    const file = tempFile('rule.yaml', seed.replace('queryPeriod: P5D', 'queryPeriod: PT10M'));
    const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-input-'));
    const run = await runCli(['replay', '--data', 'test/fixtures/ammyy-basic', '--rule', file, '--state', path.join(work, 'state'), '--out', path.join(work, 'out')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/windowConfiguration\.ingestionDelay: must be shorter than queryPeriod/);
  });
});
