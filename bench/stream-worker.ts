// Runs the seed query over the JSONL file in its own process, so its peak RSS is measured alone.
import { openDataDir } from '../src/data/index.js';
import { evaluate } from '../src/kql/index.js';
import { NOW } from './data.js';
import { SEED_QUERY } from './seed-query.js';

const dir = process.argv[2]!;
const started = process.hrtime.bigint();
const result = await evaluate(SEED_QUERY, { tables: openDataDir(dir), now: NOW });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
// maxRSS is in kilobytes
process.stdout.write(JSON.stringify({ ms, groups: result.rows.length, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
