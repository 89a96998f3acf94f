/**
 * Measures the deployment package: its size, and the cold import time of the function entry against
 * a bare `@azure/functions` import, in the same run on the same machine.
 *
 * Each sample is a fresh `node` process (nothing cached in memory between samples; the OS file cache
 * is warm after the first round, as on a warm Functions instance). The variants are interleaved round
 * by round so drift in machine load hits all of them alike, and the median of the rounds is reported.
 *   - node (empty):           `node -e ""`, the process start-up floor
 *   - @azure/functions (bare): import of the installed package from node_modules
 *   - function entry (bundle): import of dist/package/dist/functions/<entry>.js, what Azure loads
 *   - function entry (tsc + pruned install): with --compare-pruned, the unbundled alternative: the
 *                              `npm run build` output over `npm ci --omit=dev` in a temporary folder
 *                              (needs the npm registry or cache); its size is reported too
 * "import" is measured inside the process (performance.now() around `await import()`); "process" is
 * wall time from spawn to exit, start-up included.
 *
 * Outside the Functions worker `@azure/functions` cannot load `@azure/functions-core` and runs in its
 * "test mode" (a warning on stderr, registrations skipped); that costs the same in every variant.
 *
 * Usage: tsx scripts/measure-package.ts [--rounds 15] [--compare-pruned] [--no-readme]
 * Writes the numbers into infra/README.md between the package-numbers markers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { buildPackage, formatBytes, repoRoot, type PackageResult } from './package.js';

interface Variant {
  readonly label: string;
  /** Module to import, as a file URL; undefined = start node and exit. */
  readonly moduleUrl: string | undefined;
}

interface Sample {
  readonly importMs: number;
  readonly processMs: number;
}

function sampleOnce(variant: Variant): Sample {
  const script =
    variant.moduleUrl === undefined
      ? 'console.log(JSON.stringify({ importMs: 0 }));'
      : `const t0 = performance.now(); await import(${JSON.stringify(variant.moduleUrl)}); console.log(JSON.stringify({ importMs: performance.now() - t0 }));`;
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
    // Same environment for every variant; no settings are needed to import the entry.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
  });
  const processMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`${variant.label}: node exited with ${child.status}\n${child.stderr}`);
  const lastLine = child.stdout.trim().split('\n').at(-1) ?? '';
  const { importMs } = JSON.parse(lastLine) as { importMs: number };
  return { importMs, processMs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

interface PrunedInstall {
  readonly dir: string;
  readonly entryUrl: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly zipBytes: number | undefined;
}

/** The unbundled alternative: tsc output + host.json + rules over `npm ci --omit=dev`, in a temporary folder. */
function preparePrunedInstall(entryFile: string): PrunedInstall {
  const tscEntry = join(repoRoot, 'dist', 'src', 'functions', entryFile);
  if (!existsSync(tscEntry)) throw new Error(`--compare-pruned needs the tsc output ${tscEntry}: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'hunter-pruned-'));
  for (const file of ['package.json', 'package-lock.json', 'host.json']) cpSync(join(repoRoot, file), join(dir, file));
  cpSync(join(repoRoot, 'dist', 'src'), join(dir, 'dist', 'src'), { recursive: true, filter: (source) => !source.endsWith('.map') });
  if (existsSync(join(repoRoot, 'rules'))) cpSync(join(repoRoot, 'rules'), join(dir, 'rules'), { recursive: true });
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((file) => join(dir, file)).filter((path) => statSync(path).isFile());
  let zipBytes: number | undefined;
  try {
    execFileSync('zip', ['-q', '-r', '-9', join(dir, '..', `${dir.split('/').at(-1)}.zip`), '.'], { cwd: dir, stdio: 'ignore' });
    zipBytes = statSync(join(dir, '..', `${dir.split('/').at(-1)}.zip`)).size;
    rmSync(join(dir, '..', `${dir.split('/').at(-1)}.zip`), { force: true });
  } catch {
    zipBytes = undefined;
  }
  return {
    dir,
    entryUrl: pathToFileURL(join(dir, 'dist', 'src', 'functions', entryFile)).href,
    fileCount: files.length,
    totalBytes: files.reduce((sum, path) => sum + statSync(path).size, 0),
    zipBytes,
  };
}

export interface Measurement {
  readonly rounds: number;
  readonly rows: readonly { readonly label: string; readonly importMs: number; readonly processMs: number }[];
  readonly pkg: PackageResult;
  readonly pruned: Omit<PrunedInstall, 'dir' | 'entryUrl'> | undefined;
}

export async function measure(rounds: number, options: { readonly comparePruned?: boolean } = {}): Promise<Measurement> {
  const pkg = await buildPackage();
  const require = createRequire(join(repoRoot, 'package.json'));
  const entry = pkg.entryFiles[0];
  if (entry === undefined) throw new Error('the package has no function entry');
  const variants: Variant[] = [
    { label: 'node (empty)', moduleUrl: undefined },
    { label: '@azure/functions (bare)', moduleUrl: pathToFileURL(require.resolve('@azure/functions')).href },
    { label: `function entry, bundle (${entry})`, moduleUrl: pathToFileURL(join(pkg.outDir, entry)).href },
  ];
  const pruned = options.comparePruned ? preparePrunedInstall(entry.split('/').at(-1) as string) : undefined;
  if (pruned) variants.push({ label: 'function entry, tsc + pruned install (npm ci --omit=dev)', moduleUrl: pruned.entryUrl });

  // One warm-up round (fills the OS file cache), not counted.
  for (const variant of variants) sampleOnce(variant);
  const samples = new Map<string, Sample[]>(variants.map((variant) => [variant.label, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const variant of variants) samples.get(variant.label)?.push(sampleOnce(variant));
  }
  const rows = variants.map((variant) => {
    const taken = samples.get(variant.label) ?? [];
    return { label: variant.label, importMs: median(taken.map((sample) => sample.importMs)), processMs: median(taken.map((sample) => sample.processMs)) };
  });
  if (pruned) rmSync(pruned.dir, { recursive: true, force: true });
  return { rounds, rows, pkg, pruned: pruned && { fileCount: pruned.fileCount, totalBytes: pruned.totalBytes, zipBytes: pruned.zipBytes } };
}

function markdown(result: Measurement): string {
  const { pkg } = result;
  const lines = [
    `Measured by \`scripts/measure-package.ts\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${result.rounds} rounds (median), each sample a fresh \`node\` process.`,
    '',
    '| package | files | uncompressed | zip (what azd uploads) |',
    '|---|---|---|---|',
    `| \`dist/package\` (esbuild bundle, deployed) | ${pkg.files.length} | ${formatBytes(pkg.totalBytes)} | ${pkg.zipBytes === undefined ? 'n/a (no zip tool)' : formatBytes(pkg.zipBytes)} |`,
    ...(result.pruned
      ? [`| tsc output + \`npm ci --omit=dev\` (alternative, not deployed) | ${result.pruned.fileCount} | ${formatBytes(result.pruned.totalBytes)} | ${result.pruned.zipBytes === undefined ? 'n/a' : formatBytes(result.pruned.zipBytes)} |`]
      : []),
    '',
    '| cold start, median | import | whole process |',
    '|---|---|---|',
    ...result.rows.map((row) => `| ${row.label} | ${row.importMs.toFixed(1)} ms | ${row.processMs.toFixed(1)} ms |`),
    '',
    'Largest bundled parts:',
    '',
    '| from | bytes in bundle |',
    '|---|---|',
    ...pkg.inputsByPackage.slice(0, 8).map((input) => `| ${input.name} | ${formatBytes(input.bytes)} |`),
  ];
  return lines.join('\n');
}

const startMarker = '<!-- package-numbers:start -->';
const endMarker = '<!-- package-numbers:end -->';

function writeIntoReadme(text: string): boolean {
  const readmePath = join(repoRoot, 'infra', 'README.md');
  if (!existsSync(readmePath)) return false;
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start === -1 || end === -1 || end < start) return false;
  writeFileSync(readmePath, `${readme.slice(0, start + startMarker.length)}\n${text}\n${readme.slice(end)}`);
  return true;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const roundsIndex = args.indexOf('--rounds');
  const rounds = roundsIndex >= 0 ? Number(args[roundsIndex + 1]) : 15;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds needs a positive integer');
  const result = await measure(rounds, { comparePruned: args.includes('--compare-pruned') });
  const text = markdown(result);
  console.log(text);
  if (!args.includes('--no-readme')) console.log(writeIntoReadme(text) ? '\n(written into infra/README.md)' : `\n(infra/README.md has no ${startMarker} … ${endMarker} section; not written)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
