import { defenderCatalogue, evaluate, type Row } from '../src/kql/index.js';
import { generateRows, NOW } from './data.js';
import { handCodedSeed, SEED_QUERY } from './seed-query.js';
const rows = [...generateRows()];
const provider = { schemaOf: (t: string) => defenderCatalogue.schemaOf(t), async *scan() { yield rows as unknown as Row[]; } };
const e: number[] = [], h: number[] = [];
for (let i = 0; i < 15; i++) {
  let t = performance.now(); await evaluate(SEED_QUERY, { tables: provider, now: NOW }); e.push(performance.now() - t);
  t = performance.now(); handCodedSeed(rows, NOW); h.push(performance.now() - t);
}
console.log('eval', e.map(x=>x.toFixed(0)).join(' '));
console.log('hand', h.map(x=>x.toFixed(0)).join(' '));
