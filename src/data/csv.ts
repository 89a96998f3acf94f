// <Table>.csv as exported by the Defender portal: a header row, then one record per row, quoted as
// RFC 4180 says ("" inside quotes, newlines allowed in quoted fields). Parsed by csv-parse with
// strict quoting: a stray quote would otherwise open a field that runs on into the next records and
// merge several devices into one row, so it is an error at file:line. Streamed record by record.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { CsvError, parse, type Info } from 'csv-parse';
import type { Row, ScanHints, TableSchema } from '../kql/types.js';
import { checkColumnNames } from './columns.js';
import { DataFileError } from './errors.js';
import { createRowBuilder } from './row-builder.js';

interface CsvRecord {
  readonly fields: string[];
  /** the line the record starts on (a quoted field may span several) */
  readonly line: number;
}

const BATCH = 4096;

/** What each strict-quoting error means for whoever fixes the file (csv-parse's own codes). */
function quotingProblem(error: CsvError): string {
  switch (error.code as string) {
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_OPENING_QUOTE':
      return `a quote inside an unquoted field (field ${error.column !== undefined ? Number(error.column) + 1 : '?'}); a field that holds quotes must be quoted whole, with each quote doubled`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after the closing quote of a field; a quote inside a quoted field must be doubled';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field that starts in the record on this line is never closed';
    default:
      return error.message;
  }
}

/** `separator`: ',' for CSV; externaldata's other delimited formats (tsv, psv, scsv, sohsv) use theirs. */
export async function* readCsvRecords(file: string, separator = ','): AsyncGenerator<CsvRecord[]> {
  const parser = parse({
    bom: true, // spreadsheet tools write one
    delimiter: separator,
    info: true,
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true, // readCsv names the expected count
    relax_quotes: false,
    skip_empty_lines: false, // every line belongs to a record, so a record starts where the last ended
  });
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  // pipeline (not pipe) so a consumer that stops early closes the file too
  pipeline(source, parser, () => {});
  let endOfLast = 0;
  let batch: CsvRecord[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      batch.push({ fields: record, line: endOfLast + 1 });
      endOfLast = info.lines;
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const line = e.code === 'CSV_QUOTE_NOT_CLOSED' ? endOfLast + 1 : Number(e.lines ?? endOfLast + 1);
    throw new DataFileError(file, line, undefined, quotingProblem(e));
  }
  if (batch.length > 0) yield batch;
}

export async function* readCsv(file: string, schema: TableSchema, wanted?: readonly string[], strict = true, hints?: ScanHints): AsyncGenerator<Row[]> {
  let builder: ReturnType<typeof createRowBuilder> | undefined;
  let width = 0;
  for await (const records of readCsvRecords(file)) {
    const rows: Row[] = [];
    for (const rec of records) {
      if (!builder) {
        const header = rec.fields.map((h) => h.trim());
        if (strict) checkColumnNames(file, schema, header, () => rec.line);
        builder = createRowBuilder(file, schema, true, wanted, header, strict, hints?.filters);
        width = header.length;
        continue;
      }
      if (rec.fields.length === 1 && rec.fields[0] === '') continue; // blank line
      if (rec.fields.length !== width) {
        throw new DataFileError(file, rec.line, undefined, `expected ${width} fields as in the header, found ${rec.fields.length}`);
      }
      const row = builder.fromArray(rec.fields, rec.line);
      if (row) rows.push(row);
    }
    if (rows.length > 0) yield rows;
  }
}
