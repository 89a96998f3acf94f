import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './command.js';

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
