// <Table>.jsonl: one JSON object per line, streamed in batches. Lines the query's hints rule out are
// skipped before they are parsed (jsonLinePrefilter.ts), and the rest are converted filter by filter
// (row-builder.ts).
import type { Row, ScanHints, TableSchema } from '../kql/types.js';
import { parseJsonExact } from '../core/exactJson.js';
import { DataFileError } from './errors.js';
import { jsonLinePrefilter } from './jsonLinePrefilter.js';
import { readLines } from './lines.js';
import { createRowBuilder } from './row-builder.js';

export async function* readJsonl(file: string, schema: TableSchema, wanted?: readonly string[], strict = true, hints?: ScanHints): AsyncGenerator<Row[]> {
  const builder = createRowBuilder(file, schema, false, wanted, undefined, strict, hints?.filters);
  const mayKeep = jsonLinePrefilter(hints);
  for await (const lines of readLines(file)) {
    const rows: Row[] = [];
    for (const { text, line } of lines) {
      if (mayKeep && !mayKeep(text)) continue;
      const trimmed = text.trim();
      if (trimmed === '') continue;
      let value: unknown;
      try {
        value = parseJsonExact(trimmed);
      } catch (e) {
        throw new DataFileError(file, line, undefined, `invalid JSON: ${(e as Error).message}`);
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new DataFileError(file, line, undefined, 'each line must be a JSON object (one row)');
      }
      const row = builder.fromObject(value as Record<string, unknown>, line);
      if (row) rows.push(row);
    }
    if (rows.length > 0) yield rows;
  }
}
