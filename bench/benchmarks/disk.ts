// The seed rule over a 1,000,000-row JSONL file: the evaluator reading from disk against a hand loop
// that parses every line, each in its own process for its peak RSS; and a second query over rows the
// local backend keeps in memory.
import { join } from 'node:path';
import { measuredLine, type Benchmark } from '../lib/benchmark.js';
import { generateCertificates, ROWS } from '../lib/certificates.js';
import { ensureJsonl } from '../lib/jsonlFile.js';
import { fmt, inChild, met, ms, ratio, sameResult } from '../lib/measure.js';
import { DATA_DIR } from '../lib/paths.js';

const RSS_LIMIT_MB = 500;

const disk: Benchmark = {
  id: 'disk',
  order: 50,
  async run() {
    await ensureJsonl(join(DATA_DIR, 'DeviceFileCertificateInfo.jsonl'), () => generateCertificates(), ROWS);
    const hand = inChild<{ groups: number; rows: number }>('disk', [DATA_DIR, 'hand']);
    const evaluator = inChild<{ groups: number; rows: number }>('disk', [DATA_DIR, 'eval']);
    const noHints = inChild<{ groups: number; rows: number }>('disk', [DATA_DIR, 'nohints']);
    const cached = inChild<{ groups: number; rows: number }>('disk', [DATA_DIR, 'cached']);
    sameResult('disk (evaluator)', evaluator.value, hand.value);
    sameResult('disk (evaluator, no hints)', noHints.value, hand.value);
    sameResult('disk (cached)', cached.value, hand.value);
    const rows = [
      ['hand loop: read lines, `JSON.parse` each, filter, group', hand],
      ['evaluator, JSONL streamed, the reader given no scan hints (every line parsed and converted)', noHints],
      ['evaluator, JSONL streamed, lines without the `has` term skipped unparsed, rows converted filter by filter', evaluator],
      ['local backend, a second query over the rows it kept', cached],
    ] as const;
    for (const [name, r] of rows) console.log(`${name}: ${ms(r.ms)}, peak RSS ${fmt(r.peakRssMb)} MB`);
    return `## Seed rule from disk

${measuredLine()}

The seed rule over a ${fmt(ROWS)}-row \`DeviceFileCertificateInfo.jsonl\` (the rows of the in-memory benchmark; 13% of
the lines hold the text 'ammyy', in 'NotAmmyy Software' and 'AmmyyAdmin Resellers' too), each run in a fresh
process, best of 2; peak RSS is the process's. All find ${fmt(hand.value.groups)} groups
covering ${fmt(hand.value.rows)} rows (checked).

| Run | Time | Ratio to the hand loop | Peak RSS |
|---|---:|---:|---:|
${rows.map(([name, r]) => `| ${name} | ${ms(r.ms)} | ${ratio(r.ms / hand.ms)} | ${fmt(r.peakRssMb)} MB |`).join('\n')}

| Target | Measured | Status |
|---|---|---|
| peak RSS under ${RSS_LIMIT_MB} MB streaming the JSONL | ${fmt(evaluator.peakRssMb)} MB | ${met(evaluator.peakRssMb < RSS_LIMIT_MB)} |`;
  },
};

export default disk;
