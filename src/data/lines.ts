// Streams a text file as lines without holding the whole file. Each chunk of bytes is decoded once, up
// to its last '\n' (a byte that never occurs inside a multi-byte UTF-8 sequence), and split there; only
// the bytes after it are carried over. Decoding whole lines of raw bytes costs a third less than a
// decoding stream whose text is joined with the carried-over tail (bench: 100 MB of JSONL).
import { createReadStream } from 'node:fs';

const NEWLINE = 0x0a;

export async function* readLines(file: string): AsyncGenerator<{ readonly text: string; readonly line: number }[]> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  // bytes after the last '\n' so far, as they came: joined once a '\n' ends their line, so a very
  // long line costs its length, not its length times its chunks
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < 0) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      continue;
    }
    const bytes = pending.length > 0 ? Buffer.concat([...pending, chunk]) : chunk;
    const end = pendingBytes + last;
    pending = end + 1 < bytes.length ? [bytes.subarray(end + 1)] : [];
    pendingBytes = bytes.length - end - 1;
    const text = bytes.toString('utf8', 0, end);
    const batch: { text: string; line: number }[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      batch.push({ text: text.slice(start, nl), line: ++line });
      start = nl + 1;
    }
    batch.push({ text: text.slice(start), line: ++line });
    yield batch;
  }
  if (pendingBytes > 0) yield [{ text: Buffer.concat(pending).toString('utf8'), line: line + 1 }];
}
