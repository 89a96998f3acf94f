/**
 * One `hunter` sub-command. Each lives in its own file under src/cli/commands/
 * and is listed once, with its name and summary, in src/cli/commands/index.ts.
 */
import type { Writable } from 'node:stream';

export const ExitCode = { ok: 0, findings: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** What `hunter --help` lists without loading the command; `load` brings the command itself. */
export interface CommandEntry {
  /** e.g. `replay`, or `state` for `hunter state list|show|reset`. */
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

export interface Command {
  /** Full help text printed by `hunter NAME --help`. */
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<ExitCode>;
}

/** Thrown for bad flags or arguments: printed with the command's help hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
