// Generated rows as a JSONL data file, written once and reused while the generator is unchanged.
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Version of the generated data: bump when the generator changes so old files are rewritten. */
const DATA_VERSION = 2;

/** Writes `rows` as JSONL unless an up-to-date file exists. */
export async function ensureJsonl(path: string, rows: () => Iterable<object & { Timestamp: Date }>, count: number): Promise<void> {
  const marker = `${path}.rows`;
  const stamp = `${DATA_VERSION}:${count}`;
  if (existsSync(path) && existsSync(marker) && readFileSync(marker, 'utf8') === stamp) return;
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let buf = '';
  for (const r of rows()) {
    buf += JSON.stringify({ ...r, Timestamp: r.Timestamp.toISOString() }) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  writeFileSync(marker, stamp);
}
