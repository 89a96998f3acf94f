/**
 * The local state folder (`--state DIR`) that `hunter replay` keeps its dedupe state in and
 * `hunter state` / `hunter runs` read: an Azurite table service persisted in DIR.
 * - One hunter process at a time holds the folder (folderLock.ts says why and how).
 * - The hunter marks the folders it keeps state in. It adopts only a new or empty folder (or one
 *   holding nothing but Azurite's files, as earlier versions left them), and `--fresh` deletes only
 *   Azurite's files and the marker, in a marked folder: `--state .` can never wipe a checkout.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAzuriteTables } from '../adapters/table/azurite.js';
import { acquireFolderLock } from './folderLock.js';
import { UsageError } from './command.js';

const MARKER = '.hunter-state';
/** How long a failed run waits to see whether the emulator's exit explains it. */
const STOP_NOTICE_MS = 5_000;
const LOCK = '.hunter-lock';
const MARKER_TEXT = 'This folder holds the dedupe state of `hunter replay` (an Azurite table service).\n`hunter replay --fresh` deletes that state here, and nothing else.\n';

/** Files Azurite's table service writes in its folder: the LokiJS database and its save-in-progress copy. */
const isAzuriteFile = (name: string) => name.startsWith('__azurite_db_table__');
/** Files of the lock's own protocol (lock, drafts and stale copies being moved aside). */
const isLockFile = (name: string) => name === LOCK || name.startsWith(`${LOCK}.`);

export interface LocalState {
  readonly connectionString: string;
  /**
   * When the emulator stopped while the hunt ran, the error that says so and what to do; the run's own
   * failures ("connection refused") are only its consequence. Waits briefly for the exit to be seen.
   */
  stoppedError(cause?: unknown): Promise<Error | undefined>;
  /**
   * Stops the emulator (it saves on the way) and releases the folder; again, the same answer. When the
   * emulator had stopped on its own before (killed, crashed), what it acknowledged since its last save may
   * not be on disk: the error says so and what to do.
   */
  close(): Promise<Error | undefined>;
}

export interface LocalStateOptions {
  /** `replay` creates the folder if needed; `read` requires existing state. */
  readonly mode: 'replay' | 'read';
  /** Forget the state first (`hunter replay --fresh`). */
  readonly fresh?: boolean;
  /** What holds the folder, for the message another process shows: e.g. `hunter replay`. */
  readonly command: string;
  readonly warn: (message: string) => void;
}

export async function openLocalState(stateDir: string, options: LocalStateOptions): Promise<LocalState> {
  const kind = folderKind(stateDir);
  if (options.mode === 'read' && (kind === 'absent' || kind === 'empty')) {
    throw new UsageError(`--state: no local state at ${stateDir} (run \`hunter replay\` first, or give the folder it used)`);
  }
  if (kind === 'foreign') {
    throw new UsageError(
      `--state: ${stateDir} holds files the hunter did not write (${foreignEntries(stateDir).slice(0, 3).join(', ')}${foreignEntries(stateDir).length > 3 ? ', ...' : ''}) and no ${MARKER} marker. ` +
        `The hunter keeps its state only in a new or empty folder${options.fresh ? ', and --fresh deletes only state the hunter created' : ''}: give another --state folder.`,
    );
  }
  mkdirSync(stateDir, { recursive: true });
  const lock = await acquireFolderLock(path.join(stateDir, LOCK), options.command, options.warn);
  try {
    if (options.fresh) forgetState(stateDir);
    writeFileSync(path.join(stateDir, MARKER), MARKER_TEXT);
    const azurite = await startAzuriteTables({ persistenceDir: stateDir });
    lock.addChild(azurite.pid);
    const emulator = (exit: { code: number | null; signal: NodeJS.Signals | null }) => `Azurite, pid ${azurite.pid}, ${exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`}`;
    let closed: Promise<Error | undefined> | undefined;
    return {
      connectionString: azurite.connectionString,
      async stoppedError(cause) {
        const exit = await Promise.race([azurite.exited, sleep(STOP_NOTICE_MS).then(() => undefined)]);
        if (exit === undefined) return undefined;
        return new Error(
          `the local state store stopped during the run (${emulator(exit)}): what the hunter wrote after that was not kept, ` +
            `and the watermark did not move. Everything stored before is in ${stateDir}: run the same replay again.`,
          { cause },
        );
      },
      close() {
        closed ??= (async () => {
          try {
            await azurite.stop();
            // Our stop closes the emulator's IPC channel and it exits 0 once it has saved; anything else ended it first.
            const exit = await azurite.exited;
            if (exit.code === 0 && exit.signal === null) return undefined;
            return new Error(
              `the local state store stopped on its own before the hunter closed it (${emulator(exit)}). It saves to disk every 5 seconds ` +
                `and when it closes, so what it acknowledged last may not be in ${stateDir}` +
                (options.mode === 'replay' ? ': run the same replay again (it writes the same incidents again, never a second one).' : '.'),
            );
          } finally {
            lock.release();
          }
        })();
        return closed;
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

type FolderKind = 'absent' | 'empty' | 'marked' | 'azurite-only' | 'foreign';

function folderKind(stateDir: string): FolderKind {
  if (!existsSync(stateDir)) return 'absent';
  if (!statSync(stateDir).isDirectory()) return 'foreign';
  const entries = readdirSync(stateDir);
  if (entries.includes(MARKER)) return 'marked';
  if (entries.length === 0) return 'empty';
  return foreignEntries(stateDir).length === 0 ? 'azurite-only' : 'foreign';
}

function foreignEntries(stateDir: string): string[] {
  if (!statSync(stateDir).isDirectory()) return [path.basename(stateDir)];
  return readdirSync(stateDir).filter((name) => name !== MARKER && !isAzuriteFile(name) && !isLockFile(name)).sort();
}

/** Deletes the emulator's data and the marker; anything else someone put in the folder stays. */
function forgetState(stateDir: string): void {
  for (const name of readdirSync(stateDir)) {
    if (name === MARKER || isAzuriteFile(name)) rmSync(path.join(stateDir, name), { force: true });
  }
}
