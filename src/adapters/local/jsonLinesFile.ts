/**
 * The JSON Lines files the local sinks write (incidents, comments, the findings table): appended in one system call
 * and flushed before the write is acknowledged, so what a sink wrote costs the size of what it wrote, never the
 * size of the file; rewritten whole only through writeFileAtomic.
 * A crash in the middle of an append leaves a torn last line (no newline) that was never acknowledged: readers skip
 * it, and the next append cuts it off first, so the file is always whole lines.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomicFile.js';

export function appendJsonLines(file: string, values: readonly unknown[]): void {
  if (values.length === 0) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const text = values.map((value) => JSON.stringify(value)).join('\n') + '\n';
  const fd = openSync(file, 'a+');
  try {
    cutTornTail(fd);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces the file with `values`, one per line (readers see the old file or the new, never a part). */
export function rewriteJsonLines(file: string, values: readonly unknown[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, values.map((value) => JSON.stringify(value)).join('\n') + (values.length > 0 ? '\n' : ''));
}

/** Every whole line, parsed; none when the file does not exist. A line that is not JSON is an error at file:line. */
export function readJsonLines<T>(file: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines = text.split('\n');
  // The last element is '' after a final newline, or a torn append that was never acknowledged.
  lines.pop();
  const values: T[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line) as T);
    } catch (error) {
      throw new Error(`${file}:${index + 1}: not valid JSON (${(error as Error).message})`);
    }
  });
  return values;
}

/** What a file looked like when a sink last read or wrote it: a change means someone else edited it since. */
export type FileStamp = string;

export function fileStamp(file: string): FileStamp {
  try {
    const stat = statSync(file, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
}

/** Truncates the file after its last newline, when it does not end with one. */
function cutTornTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const window = Buffer.alloc(Math.min(size, 64 * 1024));
  let end = size;
  while (end > 0) {
    const length = Math.min(window.length, end);
    readSync(fd, window, 0, length, end - length);
    const newline = window.subarray(0, length).lastIndexOf(0x0a);
    if (newline === length - 1 && end === size) return;
    if (newline >= 0) {
      ftruncateSync(fd, end - length + newline + 1);
      return;
    }
    end -= length;
  }
  ftruncateSync(fd, 0);
}
