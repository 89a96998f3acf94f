/**
 * Issue 11, "unclear errors": each of these used to surface as a bare JavaScript message (or stop a
 * whole command); each must now name the file, line, field or setting and say what to do.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { lockedEmulatorPid } from '../support/processes.js';

function tempFolder(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'hunter-unclear-'));
}

/** Nine aliases of nine aliases, six levels deep: 9^6 nodes once expanded (a "billion laughs"). */
const aliasBomb = [
  'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
  ...['b', 'c', 'd', 'e', 'f'].map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcde'[index]}`).join(', ')}]`),
].join('\n');

describe('YAML alias bombs', () => {
  it('hunter lint DIR reports the file and line of the aliases and goes on with the other files', async () => {
    const folder = tempFolder();
    writeFileSync(path.join(folder, 'a-bomb.yaml'), `id: 7c20af02-4bce-4d6d-b609-3ddf5ca4fb59\n${aliasBomb}\n`);
    // the shipped rule and the query files it names; not the rule pack (rules/rmm)
    cpSync('rules', path.join(folder, 'b-good'), { recursive: true, filter: (source) => !source.startsWith(path.join('rules', 'rmm')) });
    writeFileSync(path.join(folder, 'c-broken.yaml'), 'id: [unclosed\n');
    const run = await runCli(['lint', folder]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^${path.join(folder, 'a-bomb.yaml').replaceAll('/', '\\/')}:3:\\d+: yaml-aliases: .*aliases expand to more than`, 'm'));
    expect(run.stdout).toMatch(/c-broken\.yaml:\d+:\d+: yaml-/);
    expect(run.stdout).not.toContain('b-good');
    expect(run.stderr).toContain('3 rule file(s)');
  });

  it('an exclusion file with an alias bomb is an error at its line', async () => {
    const file = path.join(tempFolder(), 'exclusions.yaml');
    writeFileSync(file, `exclusions: []\n${aliasBomb}\n`);
    const run = await runCli(['exclusions', 'test', '--data', 'test/fixtures/ammyy-basic', '--exclusions', file]);
    expect(run.code).toBe(1);
    expect(run.stderr + run.stdout).toMatch(new RegExp(`${file.replaceAll('/', '\\/')}:3:\\d+: .*aliases expand to more than`));
  });
});

describe('type errors in an exclusion file', () => {
  it('say what type was expected and what the file has, not "is required"', async () => {
    const file = path.join(tempFolder(), 'exclusions.yaml');
    writeFileSync(file, `exclusions:
  - id: scheduler
    description: maintenance tasks
    enabled: yes
    when: {field: process.parent.name, in: schtasks.exe}
`);
    const run = await runCli(['exclusions', 'test', '--data', 'test/fixtures/ammyy-basic', '--exclusions', file]);
    expect(run.code).toBe(1);
    const output = run.stderr + run.stdout;
    expect(output).toContain(`${file}:4:14: exclusions[0].enabled: expected boolean (true or false), got the string "yes"`);
    expect(output).toMatch(/exclusions\[0\]\.when\.in: expected array \(a list\), got the string "schtasks\.exe"/);
    expect(output).not.toContain('is required');
  });

  it('a field that is really missing is still "is required"', async () => {
    const file = path.join(tempFolder(), 'exclusions.yaml');
    writeFileSync(file, `exclusions:
  - id: scheduler
    enabled: true
    when: {field: process.parent.name, equals: schtasks.exe}
`);
    const run = await runCli(['exclusions', 'test', '--data', 'test/fixtures/ammyy-basic', '--exclusions', file]);
    expect(run.stderr + run.stdout).toMatch(/exclusions\[0\]\.description: is required/);
  });
});

describe('a malformed state table connection string', () => {
  // The shapes @azure/data-tables accepts (learn.microsoft.com/azure/storage/common/storage-configure-connection-string):
  // an account key string (DefaultEndpointsProtocol, AccountName, AccountKey, EndpointSuffix or TableEndpoint),
  // a SAS string (TableEndpoint, SharedAccessSignature), or UseDevelopmentStorage=true.
  it.each([
    ['garbage', 'part 1 ("garbage") is not key=value'],
    ['AccountName=x;AccountKey=c2VjcmV0', 'neither an account key connection string'],
    ['DefaultEndpointsProtocol=ftp;AccountName=x;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net', 'DefaultEndpointsProtocol must be https or http'],
    ['DefaultEndpointsProtocol=https;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net', 'AccountName is missing'],
    ['DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0', 'EndpointSuffix (e.g. core.windows.net) or TableEndpoint is missing'],
    ['TableEndpoint=notaurl;SharedAccessSignature=sv=2024&sig=abc', 'TableEndpoint is not an http(s) URL'],
    ['TableEndpoint=https://x.table.core.windows.net', 'neither an account key connection string'],
  ])('%s is a settings error naming AzureWebJobsStorage, not a JavaScript error', async (connectionString, message) => {
    const cwd = tempFolder();
    const run = await runCli(['run'], { cwd, env: { QUERY_BACKEND: 'local', LOCAL_DATA_DIR: 'x', INCIDENT_SINK: 'file', AzureWebJobsStorage: connectionString } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('AzureWebJobsStorage: ');
    expect(run.stderr).toContain(message);
    // The key is a secret: never echoed.
    expect(run.stderr).not.toContain('c2VjcmV0');
  });
});

describe('a storage emulator that dies during a replay', () => {
  it('is reported as the state store having stopped, with what to do, not as a refused connection', async () => {
    const work = tempFolder();
    const state = path.join(work, 'state');
    // Kill the replay's Azurite as soon as it is recorded in the state folder's lock, before the hunt uses it.
    let killed: number | undefined;
    const killer = setInterval(() => {
      const pid = lockedEmulatorPid(state);
      if (pid !== undefined && killed === undefined) {
        process.kill(pid, 'SIGKILL');
        killed = pid;
      }
    }, 5);
    try {
      const run = await runCli(['replay', '--data', 'test/fixtures/ammyy-basic', '--state', state, '--out', path.join(work, 'out')]);
      expect(killed).toBeDefined();
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`the local state store stopped during the run (Azurite, pid ${killed}, killed by SIGKILL)`);
      expect(run.stderr).toContain('run the same replay again');
    } finally {
      clearInterval(killer);
    }
    // The next replay on the same folder works and raises every device.
    const again = await runCli(['replay', '--data', 'test/fixtures/ammyy-basic', '--state', state, '--out', path.join(work, 'out'), '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
  });
});

describe('a storage emulator that dies after the run, before the replay closes it', () => {
  // Azurite saves every 5 seconds and when it closes: killed in between, its last acknowledged writes
  // can be missing from disk. The replay used to exit 0 all the same.
  it('is reported, and the replay does not exit 0', async () => {
    const work = tempFolder();
    const state = path.join(work, 'state');
    let killed: number | undefined;
    // The report is printed after the run and before the replay closes the emulator: kill it then.
    const onStdout = () => {
      if (killed !== undefined) return;
      killed = lockedEmulatorPid(state);
      if (killed !== undefined) process.kill(killed, 'SIGKILL');
    };
    const run = await runCli(['replay', '--data', 'test/fixtures/ammyy-basic', '--state', state, '--out', path.join(work, 'out')], { onStdout });
    expect(killed).toBeDefined();
    expect(run.stdout).toContain('created 3,');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the local state store stopped on its own before the hunter closed it (Azurite, pid ${killed}, killed by SIGKILL)`);
    expect(run.stderr).toContain('run the same replay again');
    // Run again as it says: the same incidents, never a second one.
    const again = await runCli(['replay', '--data', 'test/fixtures/ammyy-basic', '--state', state, '--out', path.join(work, 'out'), '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { created: unknown[] }).created).toEqual([]);
  });
});
