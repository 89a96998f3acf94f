import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Function app's root: the nearest folder above `moduleUrl` holding host.json. Paths in
 * settings (RULE_PATH, ...) resolve from here rather than from the working directory, which
 * the Functions host does not promise to be the app root (Linux placeholders start elsewhere).
 */
export function findAppRoot(moduleUrl: string): string {
  const start = path.dirname(fileURLToPath(moduleUrl));
  for (let folder = start; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, 'host.json'))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`no host.json in ${start} or any folder above it: cannot find the Function app's root`);
  }
}
