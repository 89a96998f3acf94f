/**
 * The local state folder of `hunter replay` (issue 11, local runs):
 * - `--fresh --state .` used to delete the folder recursively, whatever it was (a checkout);
 * - concurrent replays on one folder lost devices (each ran its own Azurite on the same files);
 * - a replay killed hard left its Azurite running on the folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { isRunning, lockedEmulatorPid, waitUntil } from '../support/processes.js';

interface ReplayReport { created: unknown[]; updated: unknown[]; unchanged: number }

const data = 'test/fixtures/ammyy-basic';

function workFolder(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'hunter-state-'));
}

async function replay(state: string, out: string, ...extra: string[]) {
  return runCli(['replay', '--data', data, '--state', state, '--out', out, '--format', 'json', ...extra]);
}

describe('hunter replay --state and --fresh', () => {
  it('refuses --fresh on a folder the hunter did not create, and deletes nothing', async () => {
    const checkout = workFolder();
    mkdirSync(path.join(checkout, 'src'));
    writeFileSync(path.join(checkout, 'README.md'), 'my work');
    writeFileSync(path.join(checkout, 'src', 'main.ts'), 'code');
    const run = await replay(checkout, path.join(workFolder(), 'out'), '--fresh');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--state: ${checkout} holds files the hunter did not write (README.md, src)`);
    expect(run.stderr).toContain('--fresh deletes only state the hunter created');
    expect(readdirSync(checkout).sort()).toEqual(['README.md', 'src']);
    expect(readFileSync(path.join(checkout, 'src', 'main.ts'), 'utf8')).toBe('code');
  });

  it('refuses to keep its state in a folder of other files, also without --fresh', async () => {
    const checkout = workFolder();
    writeFileSync(path.join(checkout, 'notes.txt'), 'mine');
    const run = await replay(checkout, path.join(workFolder(), 'out'));
    expect(run.code).toBe(2);
    expect(readdirSync(checkout)).toEqual(['notes.txt']);
  });

  it('--fresh forgets the state of a folder it marked, and only its own files there', async () => {
    const work = workFolder();
    const state = path.join(work, 'state');
    const out = path.join(work, 'out');
    expect((await replay(state, out)).code).toBe(0);
    expect(readdirSync(state).sort()).toEqual(['.hunter-state', '__azurite_db_table__.json']);
    writeFileSync(path.join(state, 'someone-elses.txt'), 'kept');
    const again = JSON.parse((await replay(state, out)).stdout) as ReplayReport;
    expect(again.created).toHaveLength(0);
    const fresh = await replay(state, out, '--fresh');
    expect(fresh.code, fresh.stderr).toBe(0);
    expect((JSON.parse(fresh.stdout) as ReplayReport).created).toHaveLength(3);
    expect(readFileSync(path.join(state, 'someone-elses.txt'), 'utf8')).toBe('kept');
  });

  it('adopts a state folder an earlier version left (Azurite files only, no marker)', async () => {
    const work = workFolder();
    const state = path.join(work, 'state');
    expect((await replay(state, path.join(work, 'out'))).code).toBe(0);
    const legacy = path.join(work, 'legacy');
    mkdirSync(legacy);
    writeFileSync(path.join(legacy, '__azurite_db_table__.json'), readFileSync(path.join(state, '__azurite_db_table__.json')));
    const run = await replay(legacy, path.join(work, 'out'));
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as ReplayReport).unchanged).toBe(3);
    expect(existsSync(path.join(legacy, '.hunter-state'))).toBe(true);
  });
});

describe('one hunter process per state folder', () => {
  it('three replays at once: one runs, the others refuse naming the holder, nothing is lost', async () => {
    const work = workFolder();
    const state = path.join(work, 'state');
    const out = path.join(work, 'out');
    const runs = await Promise.all([replay(state, out), replay(state, out), replay(state, out)]);
    const ran = runs.filter((run) => run.code === 0);
    const refused = runs.filter((run) => run.code !== 0);
    expect(ran).toHaveLength(1);
    expect((JSON.parse(ran[0]!.stdout) as ReplayReport).created).toHaveLength(3);
    for (const run of refused) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/hunter replay: the state folder is in use by `hunter replay` \(pid \d+ on .*, since .*; lock .*\.hunter-lock\); wait for it to finish, or give another --state folder/);
    }
    expect(existsSync(path.join(state, '.hunter-lock'))).toBe(false);
    const after = JSON.parse((await replay(state, out)).stdout) as ReplayReport;
    expect(after).toMatchObject({ created: [], updated: [], unchanged: 3 });
  });

  it('a replay killed hard: its Azurite closes by itself, and the next replay takes the folder over', async () => {
    const work = workFolder();
    const state = path.join(work, 'state');
    const out = path.join(work, 'out');
    const killed = spawn(process.execPath, ['bin/hunter.js', 'replay', '--data', data, '--state', state, '--out', out], { stdio: 'ignore' });
    const lockFile = path.join(state, '.hunter-lock');
    await waitUntil(() => lockedEmulatorPid(state) !== undefined, 'the replay to start its Azurite', 120_000);
    const azuritePid = lockedEmulatorPid(state)!;
    killed.kill('SIGKILL');
    await waitUntil(() => !isRunning(azuritePid), 'the orphaned Azurite to close');

    const next = await replay(state, out);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/took over the state folder from hunter replay \(pid \d+, since .*\), which is no longer running/);
    const report = JSON.parse(next.stdout) as ReplayReport;
    expect(report.created.length + report.updated.length + report.unchanged).toBe(3);
    expect(existsSync(lockFile)).toBe(false);
  });
});
