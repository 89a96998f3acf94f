import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary data folder holding the given files (name → text). */
export function dataDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kql-data-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Every row a table scan yields, batches joined. */
export async function all(iter: AsyncIterable<readonly Record<string, unknown>[]>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const batch of iter) out.push(...batch);
  return out;
}
