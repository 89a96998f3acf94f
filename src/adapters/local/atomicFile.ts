/**
 * Writes a whole file so that a reader (or the next run after a crash) sees either the old content
 * or the new, never a part: the data goes to a temporary file beside the target, is flushed to disk,
 * and replaces the target by a rename, which POSIX and NTFS both make atomic within one folder.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string): void {
  const folder = path.dirname(file);
  // Unique per writer, so two processes never write into one temporary file.
  const temporary = path.join(folder, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = openSync(temporary, 'wx');
  try {
    writeSync(handle, data);
    fsyncSync(handle);
  } catch (error) {
    closeSync(handle);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(handle);
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolder(folder);
}

/** Makes the rename itself durable. Folders cannot be opened for syncing on Windows: nothing to do there. */
function syncFolder(folder: string): void {
  let handle: number;
  try {
    handle = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(handle);
  } catch {
    // EISDIR/EPERM where the platform does not sync folders
  } finally {
    closeSync(handle);
  }
}
