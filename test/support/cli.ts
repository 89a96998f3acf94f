import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function capture(onWrite?: (text: string) => void): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      onWrite?.(chunk.toString());
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Runs `hunter ARGS` in-process, as the bin does, and captures its output. */
export async function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; /** Called with each write to stdout, as it happens. */ onStdout?: (text: string) => void } = {},
): Promise<CliRun> {
  const stdout = capture(options.onStdout);
  const stderr = capture();
  const code = await main(args, { stdout: stdout.stream, stderr: stderr.stream, env: options.env ?? {}, cwd: options.cwd ?? process.cwd() });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
