import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindingsTableFile } from '../../../src/adapters/local/findingsTableFile.js';
import { localCatalogue } from '../../../src/adapters/local/localCatalogue.js';
import { openDataDir } from '../../../src/data/index.js';
import { evaluate } from '../../../src/kql/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hunter-findings-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FindingsTableFile', () => {
  it('appends whole lines with the ingestion time, as a table the local evaluator reads', async () => {
    const file = new FindingsTableFile(dir);
    file.append([{ FindingId: 'a' }, { FindingId: 'b' }], new Date('2026-11-20T12:00:00Z'));
    file.append([{ FindingId: 'c' }], new Date('2026-11-20T12:05:00Z'));
    expect(file.file).toBe(join(dir, 'AmmyyHunterFindings_CL.jsonl'));
    const result = await evaluate('AmmyyHunterFindings_CL | project FindingId, At = ingestion_time()', { tables: openDataDir(dir, localCatalogue), now: new Date('2026-11-20T13:00:00Z') });
    expect(result.rows).toEqual([
      { FindingId: 'a', At: new Date('2026-11-20T12:00:00Z') },
      { FindingId: 'b', At: new Date('2026-11-20T12:00:00Z') },
      { FindingId: 'c', At: new Date('2026-11-20T12:05:00Z') },
    ]);
  });

  it('cuts off a torn last line (a crash in the middle of an append, never acknowledged) before appending', () => {
    const file = new FindingsTableFile(dir);
    file.append([{ FindingId: 'a' }], new Date('2026-11-20T12:00:00Z'));
    appendFileSync(file.file, '{"FindingId":"torn","Descr');
    file.append([{ FindingId: 'b' }], new Date('2026-11-20T12:05:00Z'));
    const lines = readFileSync(file.file, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { FindingId: string }).FindingId)).toEqual(['a', 'b']);
  });
});
