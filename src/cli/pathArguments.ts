import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './command.js';
import { RulePathError, ruleFilesOf, ruleFilesUnder } from '../rules/ruleFiles.js';

// A file or folder named on the command line that does not exist is a usage error (exit 2), whatever
// the command: the command line is wrong, not the file (EXIT_CODE_MEANINGS).

/** `--data DIR` resolved against the working directory; a missing or non-folder path is a usage error. */
export function dataDirArgument(value: string | undefined, cwd: string): string {
  if (!value) throw new UsageError('--data DIR is required');
  const dir = path.resolve(cwd, value);
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    throw new UsageError(`--data: no such folder: ${dir}`);
  }
  if (!isFolder) throw new UsageError(`--data: not a folder: ${dir} (give the folder that holds the <Table>.jsonl/.json/.csv files)`);
  return dir;
}

/** `--rule FILE` and the like, resolved against the working directory; a missing or non-file path is a usage error. */
export function fileArgument(flag: string, value: string, cwd: string): string {
  const file = path.resolve(cwd, value);
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new UsageError(`${flag}: no such file: ${file}`);
  }
  if (!isFile) throw new UsageError(`${flag}: not a file: ${file}`);
  return file;
}

/**
 * The rule files under `PATH...` of `hunter lint` and `hunter test`: at least one file or folder and no
 * options; a missing one is a usage error. With `cwd`, the paths are resolved from it.
 */
export function ruleFileArguments(args: readonly string[], cwd?: string): string[] {
  if (args.length === 0) throw new UsageError('give at least one rule file or folder');
  const unknownFlag = args.find((arg) => arg.startsWith('-'));
  if (unknownFlag) throw new UsageError(`unknown option ${unknownFlag}`);
  const paths = cwd === undefined ? args : args.map((arg) => path.resolve(cwd, arg));
  try {
    return [...new Set(paths.flatMap((target) => ruleFilesUnder(target)))];
  } catch (error) {
    if (error instanceof RulePathError) throw new UsageError(error.message);
    throw error;
  }
}

/** `--rule PATH` for commands that run many rules: a file, a folder or a comma-separated list (as RULE_PATH); absolute paths. */
export function ruleListArgument(flag: string, value: string, cwd: string): string[] {
  try {
    return ruleFilesOf(value, (entry) => path.resolve(cwd, entry));
  } catch (error) {
    if (error instanceof RulePathError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}
