/**
 * A custom table for local runs: `<out>/tables/<table>.jsonl`, one record per line, in a folder of table files the
 * local evaluator reads (`hunter query --data <out>/tables ...`; `hunter replay` runs the findings analytics rule over
 * the findings table, `hunter runs` reads the run records table). Each write appends its records
 * (./jsonLinesFile.ts: one system call, flushed before it returns, whole lines): the cost of a write is the size of
 * its own records, never the file's. Every record carries `_TimeReceived` (when it was written, i.e. ingested), which
 * the evaluator reads as ingestion_time().
 */
import path from 'node:path';
import { INGESTION_TIME_COLUMN } from '../../kql/index.js';
import { appendJsonLines } from './jsonLinesFile.js';

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
    const received = receivedAt.toISOString();
    appendJsonLines(this.file, records.map((record) => ({ ...record, [INGESTION_TIME_COLUMN]: received })));
  }
}
