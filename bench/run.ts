// `npm run bench [-- ID ...]`: runs the benchmarks in bench/benchmarks/ (each file default-exports a
// Benchmark), or only the named ones, and rewrites their sections of BENCHMARKS.md as each finishes.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readSections, writeSections, type Benchmark } from './lib/benchmark.js';
import { BENCH_ROOT, REPO_ROOT } from './lib/paths.js';

const OUT = join(REPO_ROOT, 'BENCHMARKS.md');

async function load(): Promise<Benchmark[]> {
  const dir = join(BENCH_ROOT, 'benchmarks');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
  return Promise.all(files.map(async (f) => (await import(pathToFileURL(join(dir, f)).href)).default as Benchmark));
}

const all = await load();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((id) => !all.some((b) => b.id === id));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${all.map((b) => b.id).join(', ')}`);
  process.exit(2);
}
const sections = readSections(OUT);
// sections of benchmarks that no longer exist are dropped (hand-written notes stay)
for (const [id, section] of sections) if (section.kind === 'bench' && !all.some((b) => b.id === id)) sections.delete(id);
for (const bench of all.filter((b) => wanted.length === 0 || wanted.includes(b.id)).sort((a, b) => a.order - b.order)) {
  console.log(`\n== ${bench.id}`);
  const markdown = await bench.run();
  sections.set(bench.id, { kind: 'bench', order: bench.order, markdown });
  writeSections(OUT, sections);
}
console.log(`\nwrote ${OUT}`);
