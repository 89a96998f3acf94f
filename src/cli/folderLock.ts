/**
 * A lock file that says which hunter process holds a local state folder. Every Azurite keeps the
 * whole folder in memory and saves it whole, so two processes on one folder overwrite each other's
 * writes (three concurrent replays lost up to 60 of 300 devices). A second process refuses, naming
 * the holder. A lock whose processes are all gone (a replay killed hard) is stale and is taken over;
 * an emulator still closing after its parent died is waited for, so it can finish saving.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomic } from '../adapters/local/atomicFile.js';

interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
  /** Child processes (the Azurite emulator) that use the folder too. */
  readonly children: readonly number[];
}

export class FolderInUseError extends Error {
  override readonly name = 'FolderInUseError';
}

export interface FolderLock {
  /** Records a child process (the emulator) as a user of the folder, for stale-lock detection. */
  addChild(pid: number): void;
  release(): void;
}

/** How long a new process waits for an emulator that is still saving after its parent died. */
const ORPHAN_CLOSE_WAIT_MS = 30_000;

export async function acquireFolderLock(lockFile: string, command: string, warn: (message: string) => void): Promise<FolderLock> {
  const mine: LockHolder = { pid: process.pid, host: os.hostname(), command, since: new Date().toISOString(), children: [] };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockFile, mine)) return ownedLock(lockFile, mine);
    const text = readOrUndefined(lockFile);
    if (text === undefined) continue; // released in the meantime
    const holder = parseHolder(text);
    if (holder === undefined) {
      // A lock is written whole (linked into place, then replaced atomically): an unreadable one is not ours.
      throw new FolderInUseError(`${lockFile} is not a hunter lock file; delete it if no hunter process uses this folder`);
    }
    if (holder.host !== os.hostname()) {
      throw new FolderInUseError(`${describe(holder, lockFile)}; it is on another machine, so the hunter cannot tell whether it still runs: if it does not, delete ${lockFile}`);
    }
    if (isRunning(holder.pid)) throw new FolderInUseError(`${describe(holder, lockFile)}; wait for it to finish, or give another --state folder`);
    if (!(await childrenGone(holder))) {
      const running = holder.children.filter(isRunning).join(', ');
      throw new FolderInUseError(`${describe(holder, lockFile)}: that process is gone, but its storage emulator (pid ${running}) still runs; stop it (kill ${running}) and try again`);
    }
    if (takeOverStale(lockFile, text)) warn(`took over the state folder from ${holder.command} (pid ${holder.pid}, since ${holder.since}), which is no longer running`);
  }
  throw new FolderInUseError(`could not lock ${lockFile}: other hunter processes keep taking it; try again`);
}

function describe(holder: LockHolder, lockFile: string): string {
  return `the state folder is in use by \`${holder.command}\` (pid ${holder.pid} on ${holder.host}, since ${holder.since}; lock ${lockFile})`;
}

/** Creates the lock with its content in one step: a link fails if the lock exists, and never shows a half-written one. */
function tryCreate(lockFile: string, holder: LockHolder): boolean {
  const draft = `${lockFile}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, JSON.stringify(holder) + '\n', { flag: 'wx' });
  try {
    linkSync(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * Moves the stale lock aside with a rename, which only one contender can do to one file. If what was
 * moved is no longer the stale lock (another process took it over and locked in between), it is put
 * back with a link, which never overwrites a newer lock.
 */
function takeOverStale(lockFile: string, staleText: string): boolean {
  const aside = `${lockFile}.stale-${process.pid}`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = readOrUndefined(aside);
  if (moved !== staleText) {
    try {
      linkSync(aside, lockFile);
    } catch {
      // a newer lock is already in place; it wins either way
    }
  }
  rmSync(aside, { force: true });
  return moved === staleText;
}

async function childrenGone(holder: LockHolder): Promise<boolean> {
  for (let waited = 0; waited <= ORPHAN_CLOSE_WAIT_MS; waited += 200) {
    if (!holder.children.some(isRunning)) return true;
    await sleep(200);
  }
  return false;
}

function ownedLock(lockFile: string, holder: LockHolder): FolderLock {
  let current = holder;
  let released = false;
  return {
    addChild(pid) {
      current = { ...current, children: [...current.children, pid] };
      writeFileAtomic(lockFile, JSON.stringify(current) + '\n');
    },
    release() {
      if (released) return;
      released = true;
      // Only our own lock: never remove one another process holds.
      if (parseHolder(readOrUndefined(lockFile) ?? '')?.pid === holder.pid) rmSync(lockFile, { force: true });
    },
  };
}

/** Whether a process with this id exists on this machine. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string' || !Array.isArray(value.children)) return undefined;
    return { pid: value.pid, host: value.host, command: String(value.command ?? 'hunter'), since: String(value.since ?? 'unknown'), children: value.children.filter((pid): pid is number => typeof pid === 'number') };
  } catch {
    return undefined;
  }
}
