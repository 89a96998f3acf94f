// readLines decodes each chunk of bytes up to its last '\n' and carries the rest: lines that span
// chunks (1 MiB each), multi-byte characters cut by a chunk's end and a last line without '\n' come
// out whole, numbered from 1.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../src/data/lines.js';
import { dataDir } from './dataDirs.js';

async function linesOf(text: string): Promise<[number, string][]> {
  const file = join(dataDir({ 'f.txt': text }), 'f.txt');
  const out: [number, string][] = [];
  for await (const batch of readLines(file)) for (const { line, text: t } of batch) out.push([line, t]);
  return out;
}

const MIB = 1 << 20;

describe('readLines', () => {
  it.each([
    ['nothing', '', []],
    ['a last line without a newline', 'a\nb', [[1, 'a'], [2, 'b']]],
    ['empty lines', '\n\n', [[1, ''], [2, '']]],
    ['CRLF kept for the reader to trim', 'a\r\nb\r\n', [[1, 'a\r'], [2, 'b\r']]],
  ] as const)('%s', async (_name, text, expected) => {
    expect(await linesOf(text)).toEqual(expected);
  });

  it('joins a line longer than several chunks, and a character cut at a chunk end', async () => {
    const long = 'y'.repeat(3 * MIB + 5);
    const accents = 'é'.repeat(MIB); // 2 MiB of two-byte characters: some chunk ends inside one
    const lines = await linesOf(`${long}\n${accents}\nlast`);
    expect(lines.map(([n, t]) => [n, t.length])).toEqual([[1, long.length], [2, accents.length], [3, 4]]);
    expect(lines[1]![1]).toBe(accents);
  });
});
