// One disk-read run of the seed query in a fresh process (so its peak RSS is its own).
// argv: DATA_DIR MODE, MODE one of:
//   hand     read the lines, JSON.parse each, filter and group by hand (the baseline)
//   eval     the evaluator over openDataDir (lines without the `has` term skipped unparsed, rows
//            converted filter by filter)
//   nohints  the same, with the scan hints withheld from the reader: every line parsed and converted
//   cached   a LocalKqlBackend running the query twice: the second run's time (rows kept in memory)
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LocalKqlBackend } from '../../src/adapters/local/localKqlBackend.js';
import { openDataDir } from '../../src/data/index.js';
import { evaluate } from '../../src/kql/index.js';
import { reportFromChild, time } from '../lib/measure.js';
import { HandSeed, SEED_QUERY, summariseResult } from '../lib/seedQuery.js';
import { NOW } from '../lib/world.js';

const [dir, mode] = process.argv.slice(2) as [string, string];

async function hand() {
  const seed = new HandSeed(NOW);
  const lines = createInterface({ input: createReadStream(join(dir, 'DeviceFileCertificateInfo.jsonl'), { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const o = JSON.parse(line) as { Timestamp: string; DeviceId: string; DeviceName: string; Signer: string; ReportId: number };
    const t = Date.parse(o.Timestamp);
    if (seed.inWindow(t) && seed.matchesSigner(o.Signer)) seed.add({ Timestamp: t, DeviceId: o.DeviceId, DeviceName: o.DeviceName, Signer: o.Signer, ReportId: o.ReportId });
  }
  return seed.summary();
}

async function cached() {
  const backend = new LocalKqlBackend(openDataDir(dir), { now: () => NOW }, { maxFileBytes: 2 ** 31 });
  const request = { query: SEED_QUERY, window: { start: new Date(0), end: NOW }, purpose: 'hunt' as const };
  await backend.run(request); // reads the file and keeps its rows
  return time(async () => summariseResult((await backend.run(request)).rows));
}

const modes: Record<string, () => Promise<{ ms: number; value: unknown }>> = {
  hand: () => time(hand),
  eval: () => time(async () => summariseResult((await evaluate(SEED_QUERY, { tables: openDataDir(dir), now: NOW })).rows)),
  nohints: () => {
    const files = openDataDir(dir);
    const tables = { ...files, scan: (table: string, columns?: readonly string[]) => files.scan(table, columns) };
    return time(async () => summariseResult((await evaluate(SEED_QUERY, { tables, now: NOW })).rows));
  },
  cached,
};
const run = modes[mode];
if (!run) throw new Error(`unknown mode ${mode}`);
const result = await run();
reportFromChild(result.ms, result.value);
