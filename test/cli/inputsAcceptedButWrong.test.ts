/**
 * Issue 11, "inputs that are accepted but wrong": each of these used to be taken silently and then
 * did the wrong thing (never hunted, used the wall clock, never matched...). Each must now be a
 * clear error naming the file, field or setting, through the command a user would run.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

/** `hunter run` validates every setting before any call and exits 2 naming each bad one. */
async function settingsProblems(settings: Record<string, string>): Promise<string> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'hunter-input-'));
  const run = await runCli(['run'], { cwd, env: { QUERY_BACKEND: 'defender', INCIDENT_SINK: 'file', AzureWebJobsStorage: 'UseDevelopmentStorage=true', ...settings } });
  expect(run.code).toBe(1);
  return run.stderr;
}

describe('settings that were accepted but could never work', () => {
  // learn.microsoft.com/azure/azure-functions/functions-bindings-timer, "NCRONTAB expressions".
  it.each([
    ['99 99 99 * * *', 'field 1 (second) "99": 99 is outside 0-59'],
    ['0 60 * * * *', 'field 2 (minute) "60": 60 is outside 0-59'],
    ['0 0 24 * * *', 'field 3 (hour) "24": 24 is outside 0-23'],
    ['0 0 0 0 * *', 'field 4 (day) "0": 0 is outside 1-31'],
    ['0 0 0 * 13 *', 'field 5 (month) "13": 13 is outside 1-12'],
    ['0 0 0 * * 7', 'field 6 (day-of-week) "7": 7 is outside 0-6 (0 is Sunday)'],
    ['0 30 9-5 * * *', 'field 3 (hour) "9-5": the range runs backwards'],
    ['0 */0 * * * *', 'field 2 (minute) "*/0": the step must be 1 to 59'],
    ['0 0 0 * Foo *', 'field 5 (month) "Foo": "Foo" is not a number, or a name such as feb or february'],
    ['0 0 0 * * L', 'field 6 (day-of-week) "L": "L" is not a number'],
    ['0 0 * * *', 'six fields'],
  ])('HUNT_SCHEDULE=%s', async (schedule, message) => {
    const stderr = await settingsProblems({ HUNT_SCHEDULE: schedule });
    expect(stderr).toContain('HUNT_SCHEDULE: ');
    expect(stderr).toContain(message);
  });

  it.each(['0 */5 * * * *', '0 0 9-17 * * *', '0 30 9 * Jan Mon', '0 0 0 1,15 * *', '5-10/2 0 0 * Sep-Dec sunday', '0 0 */2 * * 1-5'])(
    'HUNT_SCHEDULE=%s (from the timer trigger documentation) is accepted',
    async (schedule) => {
      const cwd = mkdtempSync(path.join(os.tmpdir(), 'hunter-input-'));
      const run = await runCli(['run'], { cwd, env: { QUERY_BACKEND: 'defender', INCIDENT_SINK: 'file', HUNT_SCHEDULE: schedule } });
      expect(run.stderr).not.toContain('HUNT_SCHEDULE');
    },
  );

  it.each(['GRAPH_ENDPOINT', 'RESOURCE_MANAGER_ENDPOINT', 'LOG_ANALYTICS_ENDPOINT', 'AZURE_AUTHORITY_HOST', 'DEFENDER_PORTAL_URL', 'AZURE_PORTAL_URL'])(
    '%s over http:// is refused (tokens and links must not travel in clear text)',
    async (name) => {
      const stderr = await settingsProblems({ [name]: 'http://graph.example.com' });
      expect(stderr).toMatch(new RegExp(`${name}: must be an https:// URL`));
    },
  );

  // RULE_PATH lists rule files or folders; one that names no rule said "no such file or folder: ..." without the setting.
  it.each([
    ['rules/nope.yaml', /RULE_PATH: no such file or folder: .*nope\.yaml \(got "rules\/nope\.yaml"\)/],
    ['.', /RULE_PATH: no rule files \(\*\.yaml, \*\.yml\) under .* \(got "\."\)/],
    [',', /RULE_PATH: names no rule file or folder \(got ","\)/],
  ])('RULE_PATH=%s is a settings problem naming RULE_PATH', async (rulePath, message) => {
    expect(await settingsProblems({ RULE_PATH: rulePath })).toMatch(message);
  });

  it('a state table endpoint over http:// is refused', async () => {
    const stderr = await settingsProblems({ AzureWebJobsStorage: '', AzureWebJobsStorage__tableServiceUri: 'http://account.table.core.windows.net' });
    expect(stderr).toContain('AzureWebJobsStorage__tableServiceUri: must be an https:// URL');
  });

  it.each([
    ['SENTINEL_RESOURCE_GROUP', '..'],
    ['SENTINEL_RESOURCE_GROUP', 'rg/../other'],
    ['SENTINEL_RESOURCE_GROUP', 'ends-with-a-period.'],
    ['SENTINEL_WORKSPACE_NAME', '..'],
    ['SENTINEL_WORKSPACE_NAME', 'law?x=1'],
    ['SENTINEL_WORKSPACE_NAME', 'law sentinel'],
  ])('%s=%s, which would not name one ARM path segment, is refused', async (name, value) => {
    const stderr = await settingsProblems({ INCIDENT_SINK: 'sentinel-incidents', SENTINEL_SUBSCRIPTION_ID: '8d2f6c1e-4b7a-4c3d-9e5f-0a1b2c3d4e5f', SENTINEL_RESOURCE_GROUP: 'rg-soc', SENTINEL_WORKSPACE_NAME: 'law-sentinel', [name]: value });
    expect(stderr).toContain(`${name}: `);
    expect(stderr).toContain(JSON.stringify(value));
  });
});

describe('replay times that do not exist', () => {
  it.each(['2026-02-30', '2026-02-29T10:00:00Z', '2026-04-31T10:00:00+01:00', '2026-11-20T24:00:00Z', '2026-11-20T12:60:00Z'])('--now %s is a usage error', async (now) => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-input-'));
    const run = await runCli(['replay', '--data', 'test/fixtures/ammyy-basic', '--now', now, '--state', path.join(work, 'state'), '--out', path.join(work, 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--now: ${JSON.stringify(now)} is not a real date and time`);
  });

  it.each([
    ['{"now": 1763640000000}', 'now: must be an ISO-8601 instant as a string, such as "2026-11-20T12:00:00Z" (got 1763640000000)'],
    ['{"now": null}', 'now: must be an ISO-8601 instant as a string'],
    ['{"now": "2026-02-30T00:00:00Z"}', 'now: "2026-02-30T00:00:00Z" is not a real date and time'],
    ['{"now": "2026-11-20T12:00:00Z",', 'is not valid JSON'],
  ])('replay.json %s is an error naming the file, not a run on the wall clock', async (manifest, message) => {
    const data = path.join(mkdtempSync(path.join(os.tmpdir(), 'hunter-input-')), 'data');
    cpSync('test/fixtures/ammyy-basic', data, { recursive: true });
    writeFileSync(path.join(data, 'replay.json'), manifest);
    const run = await runCli(['replay', '--data', data, '--state', path.join(data, '..', 'state'), '--out', path.join(data, '..', 'out')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path.join(data, 'replay.json')}: `);
    expect(run.stderr).toContain(message);
  });
});

describe('an IPv4-mapped IPv6 range in an exclusion', () => {
  // Values are compared as IPv4 when they are IPv4-mapped (dual-stack sockets report ::ffff:a.b.c.d),
  // so a mapped range could never match anything: it now means the IPv4 range it maps.
  it('suppresses what the IPv4 range suppresses', async () => {
    const exclusions = (ranges: string) => tempFile('exclusions.yaml', `exclusions:
  - id: internal
    description: internal transfers
    enabled: true
    when: {field: destination.ip, cidr: [${ranges}]}
`);
    const trial = async (ranges: string) => {
      const run = await runCli(['exclusions', 'test', '--data', 'test/fixtures/exclusions/internal-server-file-transfer', '--exclusions', exclusions(ranges), '--format', 'json']);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { hits: { deviceName: string; suppressed: boolean }[] }).hits.map((hit) => [hit.deviceName, hit.suppressed]).sort();
    };
    const ipv4 = await trial('10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7');
    expect(ipv4.some(([, suppressed]) => suppressed)).toBe(true);
    expect(await trial('"::ffff:10.0.0.0/104", "::ffff:172.16.0.0/108", "::ffff:192.168.0.0/112", fc00::/7')).toEqual(ipv4);
  });

  it('with a prefix shorter than /96 is refused at its line', async () => {
    const file = tempFile('exclusions.yaml', `exclusions:
  - id: internal
    description: internal transfers
    enabled: true
    when: {field: destination.ip, cidr: "::ffff:10.0.0.0/80"}
`);
    const run = await runCli(['exclusions', 'test', '--data', 'test/fixtures/exclusions/internal-server-file-transfer', '--exclusions', file]);
    expect(run.code).toBe(1);
    expect(run.stderr + run.stdout).toMatch(/exclusions\.yaml:5:\d+: .*cidr: ::ffff:10\.0\.0\.0\/80 is an IPv4-mapped range with a prefix shorter than \/96: write the IPv4 range \(e\.g\. 10\.0\.0\.0\/8\)/);
  });
});
