/**
 * The rule files a path names: a file itself, or every `*.yaml`/`*.yml` under a folder (a trailing
 * `/*` or `/**` means the folder too), in a stable order. `RULE_PATH`, `hunter lint`, `hunter test`
 * and `hunter replay --rule` all read paths this way.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export class RulePathError extends Error {
  override readonly name = 'RulePathError';
}

export function ruleFilesUnder(target: string): string[] {
  const folderGlob = /[\\/]\*\*?$/.exec(target);
  const named = folderGlob ? target.slice(0, folderGlob.index) : target;
  let isFolder: boolean;
  try {
    isFolder = statSync(named).isDirectory();
  } catch {
    throw new RulePathError(`no such file or folder: ${named}`);
  }
  if (!isFolder) {
    if (folderGlob) throw new RulePathError(`not a folder: ${named}`);
    return [named];
  }
  const files = readdirSync(named, { recursive: true, encoding: 'utf8' })
    .filter((entry) => /\.ya?ml$/i.test(entry))
    .map((entry) => path.join(named, entry))
    .sort();
  if (files.length === 0) throw new RulePathError(`no rule files (*.yaml, *.yml) under ${named}`);
  return files;
}

/** `RULE_PATH`'s list: comma-separated files or folders, each resolved by `resolve`, every file once. */
export function ruleFilesOf(list: string, resolve: (entry: string) => string): string[] {
  const entries = list.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) throw new RulePathError('names no rule file or folder');
  return [...new Set(entries.flatMap((entry) => ruleFilesUnder(resolve(entry))))];
}
