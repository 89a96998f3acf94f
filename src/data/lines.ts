// Streams a text file as lines without holding the whole file: chunks are decoded as UTF-8 and
// split on '\n'; only the unfinished tail of a chunk is carried over.
import { createReadStream } from 'node:fs';

export async function* readLines(file: string): AsyncGenerator<{ readonly text: string; readonly line: number }[]> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  let line = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    const batch: { text: string; line: number }[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      batch.push({ text: text.slice(start, nl), line });
      start = nl + 1;
    }
    rest = text.slice(start);
    if (batch.length > 0) yield batch;
  }
  if (rest.length > 0) yield [{ text: rest, line: line + 1 }];
}
