// <Table>.csv as exported by the Defender portal: a header row, comma-separated fields, RFC 4180
// quoting ("" inside quotes, newlines allowed in quoted fields). Streamed record by record.
import { createReadStream } from 'node:fs';
import type { Row, TableSchema } from '../kql/types.js';
import { checkColumnNames } from './columns.js';
import { DataFileError } from './errors.js';
import { createRowBuilder } from './row-builder.js';

interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

export async function* readCsvRecords(file: string): AsyncGenerator<CsvRecord[]> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let quoteJustClosed = false;
  let line = 1;
  let recordLine = 1;
  let first = true;
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = chunk;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM written by spreadsheet tools
      first = false;
    }
    const out: CsvRecord[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (inQuotes) {
        if (ch === '"') {
          inQuotes = false;
          quoteJustClosed = true;
        } else {
          if (ch === '\n') line++;
          field += ch;
        }
        continue;
      }
      if (ch === '"') {
        // "" inside a quoted field is a literal quote
        if (quoteJustClosed) field += '"';
        inQuotes = true;
        quoteJustClosed = false;
        continue;
      }
      quoteJustClosed = false;
      if (ch === ',') {
        fields.push(field);
        field = '';
      } else if (ch === '\n') {
        fields.push(field.endsWith('\r') ? field.slice(0, -1) : field);
        out.push({ fields, line: recordLine });
        fields = [];
        field = '';
        line++;
        recordLine = line;
      } else {
        field += ch;
      }
    }
    if (out.length > 0) yield out;
  }
  if (inQuotes) throw new DataFileError(file, recordLine, undefined, 'unterminated quoted field');
  if (field !== '' || fields.length > 0) {
    fields.push(field.endsWith('\r') ? field.slice(0, -1) : field);
    yield [{ fields, line: recordLine }];
  }
}

export async function* readCsv(file: string, schema: TableSchema, wanted?: readonly string[], strict = true): AsyncGenerator<Row[]> {
  let builder: ReturnType<typeof createRowBuilder> | undefined;
  let width = 0;
  for await (const records of readCsvRecords(file)) {
    const rows: Row[] = [];
    for (const rec of records) {
      if (!builder) {
        const header = rec.fields.map((h) => h.trim());
        if (strict) checkColumnNames(file, schema, header, () => rec.line);
        builder = createRowBuilder(file, schema, true, wanted, header, strict);
        width = header.length;
        continue;
      }
      if (rec.fields.length === 1 && rec.fields[0] === '') continue; // blank line
      if (rec.fields.length !== width) {
        throw new DataFileError(file, rec.line, undefined, `expected ${width} fields as in the header, found ${rec.fields.length}`);
      }
      rows.push(builder.fromArray(rec.fields, rec.line));
    }
    if (rows.length > 0) yield rows;
  }
}
