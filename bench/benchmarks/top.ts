// `top N` and `sort | take N` over 1,000,000 rows in memory: the evaluator against a hand-written top-N.
import { evaluate } from '../../src/kql/index.js';
import { measuredLine, type Benchmark } from '../lib/benchmark.js';
import { generateCertificates, ROWS, type CertificateRow } from '../lib/certificates.js';
import { compare, fmt, ms, ratio, sameResult } from '../lib/measure.js';
import { memoryTables } from '../lib/memoryTables.js';
import { NOW } from '../lib/world.js';

const N = 20;

const SHAPES = [
  { name: `top ${N} by Timestamp desc`, query: `DeviceFileCertificateInfo | top ${N} by Timestamp desc | project Timestamp` },
  { name: `sort by Timestamp desc | take ${N}`, query: `DeviceFileCertificateInfo | sort by Timestamp desc | take ${N} | project Timestamp` },
];

/** A bounded, sorted array of the N latest: what a developer would write instead of sorting everything. */
function handTop(rows: readonly CertificateRow[], n: number): number[] {
  const best: number[] = []; // descending
  for (const r of rows) {
    const t = r.Timestamp.getTime();
    if (best.length === n && t <= best[n - 1]!) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (best[mid]! >= t) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, t);
    if (best.length > n) best.pop();
  }
  return best;
}

const top: Benchmark = {
  id: 'top',
  order: 30,
  async run() {
    const rows = [...generateCertificates()];
    const tables = memoryTables({ DeviceFileCertificateInfo: rows });
    const lines: string[] = [];
    for (const shape of SHAPES) {
      const c = await compare(
        async () => (await evaluate(shape.query, { tables, now: NOW })).rows.map((r) => (r['Timestamp'] as Date).getTime()),
        () => handTop(rows, N),
        5,
      );
      sameResult(shape.name, c.subject, c.baseline);
      console.log(`${shape.name}: evaluator ${ms(c.subjectMs)}, hand ${ms(c.baselineMs)}: ${ratio(c.ratio)}`);
      lines.push(`| \`${shape.name}\` | ${ms(c.subjectMs)} | ${ms(c.baselineMs)} | **${ratio(c.ratio)}** |`);
    }
    return `## top and sort | take

${measuredLine()}

Over ${fmt(ROWS)} \`DeviceFileCertificateInfo\` rows in memory, against a hand-written bounded top-${N}
(a sorted array of the ${N} latest). Both return the same ${N} timestamps (checked). Best of 5.

| Query | Evaluator | Hand top-${N} | Ratio |
|---|---:|---:|---:|
${lines.join('\n')}`;
  },
};

export default top;
