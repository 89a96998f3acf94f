/**
 * `hunter replay` shows its progress on stderr when stderr is a terminal: one line rewritten in
 * place, log lines printed above it, erased before the result; through a pipe or into a file the
 * output is the log lines alone, as before.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { statusLine } from '../../src/cli/statusLine.js';

const ERASE = '\r\x1b[2K';

function stream(isTTY: boolean): Writable & { text(): string; isTTY?: boolean; columns?: number } {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as Writable & { text(): string; isTTY?: boolean; columns?: number };
  out.text = () => chunks.join('');
  if (isTTY) {
    out.isTTY = true;
    out.columns = 60;
  }
  return out;
}

describe('status line', () => {
  it('on a terminal: rewrites one line in place, prints log lines above it, and erases it at the end', () => {
    const out = stream(true);
    let now = 0;
    const status = statusLine(out, () => now);
    status.progress.begin('enrich', 200);
    now = 1_000;
    status.progress.advance('enrich', 100);
    status.print('info incident created {"deviceId":"d1"}');
    now = 1_050;
    status.progress.advance('enrich', 50); // within 100 ms of the last draw: not drawn
    status.done();
    status.print('after the run');
    expect(out.text()).toBe(
      `${ERASE}enriching hits with context: 0 of 200 devices (0%)` +
        `${ERASE}enriching hits with context: 100 of 200 devices (50%), abo…` +
        `${ERASE}info incident created {"deviceId":"d1"}\n` +
        `${ERASE}enriching hits with context: 100 of 200 devices (50%), abo…` +
        `${ERASE}after the run\n`,
    );
  });

  it('anywhere else: only the log lines, nothing else', () => {
    const out = stream(false);
    const status = statusLine(out);
    status.progress.begin('write', 10);
    status.print('info incident created');
    status.progress.advance('write', 10);
    status.done();
    expect(out.text()).toBe('info incident created\n');
  });
});
