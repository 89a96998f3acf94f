// What the operators added for hunting queries (issue 13) cost: each new shape against the established
// query that does the same work with the operators the evaluator already had, both run by the
// evaluator over the same rows in memory. A ratio near 1 means the new operator adds little.
import { evaluate } from '../../src/kql/index.js';
import { measuredLine, type Benchmark } from '../lib/benchmark.js';
import { generateCertificates } from '../lib/certificates.js';
import { compare, fmt, ms, ratio } from '../lib/measure.js';
import { memoryTables } from '../lib/memoryTables.js';
import { NOW } from '../lib/world.js';

const ROWS = 100_000;
/** mv-apply runs its subquery once per row: measured on fewer rows */
const APPLY_ROWS = 10_000;

const T = 'DeviceFileCertificateInfo';

interface Shape {
  readonly name: string;
  readonly subject: string;
  readonly baseline: string;
  readonly rows: number;
}

const SHAPES: readonly Shape[] = [
  {
    name: 'project-reorder',
    subject: `${T} | project-reorder Signer, Device* | count`,
    baseline: `${T} | project Signer, DeviceId, DeviceName, Timestamp, SHA1, IsSigned, Issuer, IsTrusted, ReportId | count`,
    rows: ROWS,
  },
  {
    name: 'user-defined scalar function',
    subject: `let f = (s:string, suffix:string = '!') { strcat(tolower(s), suffix) }; ${T} | extend x = f(Signer) | summarize dcount(x)`,
    baseline: `${T} | extend x = strcat(tolower(Signer), '!') | summarize dcount(x)`,
    rows: ROWS,
  },
  {
    name: 'parse (simple)',
    subject: `${T} | parse Signer with first " " rest | summarize count() by first`,
    baseline: `${T} | extend first = tostring(split(Signer, " ")[0]) | summarize count() by first`,
    rows: ROWS,
  },
  {
    name: 'serialize + prev()',
    subject: `${T} | serialize | extend p = prev(Timestamp) | summarize max(p)`,
    baseline: `${T} | extend p = Timestamp | summarize max(p)`,
    rows: ROWS,
  },
  {
    name: 'make-series by device',
    subject: `${T} | make-series n = count() on Timestamp from datetime(2026-11-15) to datetime(2026-11-22) step 1h by DeviceId | count`,
    baseline: `${T} | summarize n = count() by bin(Timestamp, 1h), DeviceId | summarize make_list(n) by DeviceId | count`,
    rows: ROWS,
  },
  {
    name: 'evaluate bag_unpack (no schema)',
    subject: `${T} | project d = bag_pack('Signer', Signer, 'IsTrusted', IsTrusted) | evaluate bag_unpack(d) | count`,
    baseline: `${T} | project d = bag_pack('Signer', Signer, 'IsTrusted', IsTrusted) | project IsTrusted = tobool(d.IsTrusted), Signer = tostring(d.Signer) | count`,
    rows: ROWS,
  },
  {
    name: 'evaluate pivot',
    subject: `${T} | project DeviceId, IsTrusted | evaluate pivot(IsTrusted) | count`,
    baseline: `${T} | summarize count() by DeviceId, IsTrusted | summarize by DeviceId | count`,
    rows: ROWS,
  },
  {
    name: 'mv-apply',
    subject: `${T} | extend a = pack_array(ReportId, ReportId + 1) | mv-apply x = a to typeof(long) on (summarize m = max(x)) | count`,
    baseline: `${T} | extend a = pack_array(ReportId, ReportId + 1) | mv-expand x = a to typeof(long) | summarize m = max(x) by ReportId | count`,
    rows: APPLY_ROWS,
  },
];

const huntingOperators: Benchmark = {
  id: 'hunting-operators',
  order: 60,
  async run() {
    const all = [...generateCertificates(ROWS)];
    const lines: string[] = [];
    for (const shape of SHAPES) {
      const tables = memoryTables({ DeviceFileCertificateInfo: all.slice(0, shape.rows) });
      const count = async (q: string) => (await evaluate(q, { tables, now: NOW })).rows.length;
      const c = await compare(() => count(shape.subject), () => count(shape.baseline), 7);
      console.log(`${shape.name}: ${ms(c.subjectMs)} vs ${ms(c.baselineMs)}: ${ratio(c.ratio)}`);
      lines.push(`| ${shape.name} | ${fmt(shape.rows)} | ${ms(c.subjectMs)} | ${ms(c.baselineMs)} | **${ratio(c.ratio)}** |`);
    }
    return `## Operators added for hunting queries

${measuredLine()}

Each new operator against the query that does the same work with operators the evaluator already had,
both run by the evaluator over \`DeviceFileCertificateInfo\` rows in memory; best of 7 after a warm-up, run alternately.
The queries are in \`bench/benchmarks/hunting-operators.ts\`. bag_unpack and pivot without a declared
schema run their input once to learn their columns and reuse those rows; mv-apply runs its subquery
once per input row (compiled again for each), so it is measured on fewer rows.

| Operator | Rows | New operator | Established equivalent | Ratio |
|---|---:|---:|---:|---:|
${lines.join('\n')}`;
  },
};

export default huntingOperators;
