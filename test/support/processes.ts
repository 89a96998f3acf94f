/** Watching other processes from a test: whether one is alive, and waiting (bounded) for a condition. */
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
