/**
 * A custom table for local runs: `<out>/tables/<table>.jsonl`, one record per line, in a folder of table files the
 * local evaluator reads (`hunter query --data <out>/tables ...`; `hunter replay` runs the findings analytics rule over
 * the findings table, `hunter runs` reads the run records table). Each write appends its
 * records in one system call and flushes them to disk before returning: the cost of a write is the size of its own
 * records, never the file's. Every record carries `_TimeReceived` (when it was written, i.e. ingested), which the
 * evaluator reads as ingestion_time().
 * A crash in the middle of an append leaves a torn last line that was never acknowledged (state did not advance,
 * the next run writes the record again): the next append cuts it off first, so the file is always whole lines.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { INGESTION_TIME_COLUMN } from '../../kql/index.js';

/** The folder of table files under a sink's output folder (only table files, so the evaluator can open it). */
export function tablesDir(outDir: string): string {
  return path.join(outDir, 'tables');
}

export class LocalTableFile {
  readonly file: string;

  /** `dir`: a folder of table files (see tablesDir). */
  constructor(
    readonly dir: string,
    readonly tableName: string,
  ) {
    this.file = path.join(dir, `${tableName}.jsonl`);
  }

  append(records: readonly Readonly<Record<string, unknown>>[], receivedAt: Date): void {
    if (records.length === 0) return;
    mkdirSync(this.dir, { recursive: true });
    const text = records.map((record) => JSON.stringify({ ...record, [INGESTION_TIME_COLUMN]: receivedAt.toISOString() })).join('\n') + '\n';
    const fd = openSync(this.file, 'a+');
    try {
      cutTornTail(fd);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
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
