import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLocalSettings } from '../../src/cli/commands/run.js';
import { runCli } from '../support/cli.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'hunter-run-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

function writeSettings(values: Record<string, string>): void {
  writeFileSync(path.join(dir, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: values }));
}

describe('hunter run settings', () => {
  it("reads local.settings.json's Values and validates them before any call", async () => {
    writeSettings({ QUERY_BACKEND: 'log-analytics', INCIDENT_SINK: 'file', AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    const run = await runCli(['run'], { cwd: dir, env: {} });
    expect(run.code).toBe(1); // bad input, named: not a usage error
    expect(run.stderr).toContain('LOG_ANALYTICS_WORKSPACE_ID: required when QUERY_BACKEND=log-analytics');
  });

  it('lets the environment win over the file, as the Functions host does', async () => {
    writeSettings({ QUERY_BACKEND: 'log-analytics', INCIDENT_SINK: 'file', AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    const run = await runCli(['run'], { cwd: dir, env: { QUERY_BACKEND: 'defender', INCIDENT_SINK: 'sentinel-incidents' } });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('LOG_ANALYTICS_WORKSPACE_ID');
    expect(run.stderr).toContain('SENTINEL_SUBSCRIPTION_ID: required when INCIDENT_SINK=sentinel-incidents');
  });

  it('fails clearly on a missing or malformed settings file that was asked for', () => {
    expect(() => readLocalSettings(path.join(dir, 'nope.json'), true)).toThrow(/settings file not found/);
    expect(readLocalSettings(path.join(dir, 'nope.json'), false)).toEqual({});
    writeFileSync(path.join(dir, 'bad.json'), '{ "Values": ');
    expect(() => readLocalSettings(path.join(dir, 'bad.json'), true)).toThrow(/not valid JSON/);
    writeFileSync(path.join(dir, 'num.json'), JSON.stringify({ Values: { CONTEXT_BATCH_SIZE: 25, EMPTY: null } }));
    expect(readLocalSettings(path.join(dir, 'num.json'), true)).toEqual({ CONTEXT_BATCH_SIZE: '25', EMPTY: undefined });
  });

  it('exits 2 for a --settings file that does not exist, 1 for one that is not valid JSON', async () => {
    expect((await runCli(['run', '--settings', 'nope.json'], { cwd: dir, env: {} })).code).toBe(2);
    writeFileSync(path.join(dir, 'bad.json'), '{ "Values": ');
    const bad = await runCli(['run', '--settings', 'bad.json'], { cwd: dir, env: {} });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json is not valid JSON/);
  });

  it('rejects an unknown format as a usage error', async () => {
    const run = await runCli(['run', '--format', 'xml'], { cwd: dir, env: {} });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--format must be summary or json');
  });
});
