// <Table>.jsonl: one JSON object per line, streamed in batches.
import type { Row, TableSchema } from '../kql/types.js';
import { DataFileError } from './errors.js';
import { parseJsonExact } from '../core/exactJson.js';
import { readLines } from './lines.js';
import { createRowBuilder } from './row-builder.js';

export async function* readJsonl(file: string, schema: TableSchema, wanted?: readonly string[], strict = true): AsyncGenerator<Row[]> {
  const builder = createRowBuilder(file, schema, false, wanted, undefined, strict);
  for await (const lines of readLines(file)) {
    const rows: Row[] = [];
    for (const { text, line } of lines) {
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
      rows.push(builder.fromObject(value as Record<string, unknown>, line));
    }
    if (rows.length > 0) yield rows;
  }
}
