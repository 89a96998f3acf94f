/** Watching other processes from a test: whether one is alive, and waiting (bounded) for a condition. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export { isRunning } from '../../src/cli/folderLock.js';

/** Polls `condition` until it holds; fails after `limitMs` naming what it waited for (a hang guard, not a speed check). */
export async function waitUntil(condition: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  for (let waited = 0; waited < limitMs; waited += 100) {
    if (condition()) return;
    await sleep(100);
  }
  throw new Error(`gave up waiting ${limitMs / 1000} s for ${what}`);
}

/** The storage emulator a hunter process recorded in a local state folder's lock, once it has started one. */
export function lockedEmulatorPid(stateDir: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(stateDir, '.hunter-lock'), 'utf8')) as { children: number[] }).children[0];
  } catch {
    return undefined; // no lock yet, or it is being replaced
  }
}
