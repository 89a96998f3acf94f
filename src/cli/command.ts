/**
 * One `hunter` sub-command. Each lives in its own file under src/cli/commands/
 * and is listed once, with its name and summary, in src/cli/commands/index.ts.
 */
import type { Writable } from 'node:stream';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** Every command's exit codes; the README's CLI section is generated from EXIT_CODE_MEANINGS. */
export const ExitCode = { ok: 0, problems: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCode, string>> = {
  0: 'success: the command did its job, whether or not the hunt raised anything',
  1: 'problems: the command ran and found something wrong: lint problems, a failed hunt, a rule, data, exclusion or settings file that does not hold (the message names the file, field or setting, with line:col where there is one), a storage error',
  2: 'usage: the command line is wrong: an unknown command or option, a missing or malformed argument, a file or folder argument that does not exist',
};

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
  /** Full help text printed by `hunter NAME --help`; it describes every one of `options`. */
  readonly help: string;
  /** The options the command parses (node:util parseArgs); the README's CLI table lists them. */
  readonly options: ParseArgsOptionsConfig;
  run(args: readonly string[], io: CliIo): Promise<ExitCode>;
}

/** Thrown for bad flags or arguments: printed with the command's help hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type ParsedCommandLine<O extends ParseArgsOptionsConfig, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: P }>
>;

/** The command line read against the command's declared options: an unknown or malformed option is a usage error (main.ts). */
export function parseCommandLine<const O extends ParseArgsOptionsConfig, const P extends boolean = false>(
  args: readonly string[],
  options: O,
  allowPositionals?: P,
): ParsedCommandLine<O, P> {
  return parseArgs({ args: [...args], options, strict: true, allowPositionals: (allowPositionals ?? false) as P });
}

/** `--format F`: one of the formats the command writes, the first named as the default in its help. */
export function formatOption<const F extends string>(value: string | undefined, formats: readonly F[]): F {
  if (!formats.includes(value as F)) throw new UsageError(`--format must be ${formats.join(' or ')} (got ${value})`);
  return value as F;
}
