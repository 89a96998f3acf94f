// One run of a query that holds rows of a wide table (DeviceProcessEvents has 73 columns), in a fresh
// process so its peak RSS is its own. argv: SHAPE MODE; SHAPE one of the ids in bench/lib/wideQueries.ts,
// MODE `eval` (the evaluator) or `hand` (the same work by hand); `data` only generates the rows.
import { evaluate } from '../../src/kql/index.js';
import { reportFromChild, time } from '../lib/measure.js';
import { memoryTables } from '../lib/memoryTables.js';
import { generateProcesses } from '../lib/processes.js';
import { WIDE_SHAPES } from '../lib/wideQueries.js';
import { NOW } from '../lib/world.js';

const [shapeId, mode] = process.argv.slice(2) as [string, string];
const shape = WIDE_SHAPES.find((s) => s.id === shapeId);
if (!shape) throw new Error(`unknown shape ${shapeId}`);
const rows = [...generateProcesses()];
const tables = memoryTables({ DeviceProcessEvents: rows });

const modes: Record<string, () => Promise<{ ms: number; value: unknown }>> = {
  data: () => time(() => rows.length),
  eval: () => time(async () => shape.digest((await evaluate(shape.query, { tables, now: NOW })).rows)),
  hand: () => time(() => shape.digest(shape.hand(rows))),
};
const run = modes[mode];
if (!run) throw new Error(`unknown mode ${mode}`);
const result = await run();
reportFromChild(result.ms, result.value);
