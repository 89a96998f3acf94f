/**
 * Builds the deployment package in dist/package/: what the Function App needs at run time and
 * nothing else. `npm run build` ends with it (azd runs only the build script), and azd zips
 * dist/package (azure.yaml `dist`).
 *
 *   dist/package/host.json
 *   dist/package/package.json          type: module, main: dist/functions/*.js, no dependencies
 *   dist/package/dist/functions/*.js   one bundle per .ts file in src/functions/ (esbuild, ESM, Node 22);
 *                                      every such file is an entry, so keep helpers out of that folder
 *   dist/package/dist/chunks/*.js      code shared by, or lazily imported from, those bundles
 *   dist/package/rules/                the hunt rules RULE_PATH points into (resolved from the app root)
 *   dist/package/config/               exclusion files EXCLUSIONS_PATH points into (e.g. config/exclusions.yaml)
 *
 * Why a bundle rather than a pruned `npm install --omit=dev`: the app needs a small slice of the Azure
 * SDK packages; bundling keeps only the code reachable from the function entry, so the package is a
 * few files instead of a node_modules tree, uploads faster, and starts faster (one file to read and
 * parse instead of hundreds of module resolutions). Numbers: scripts/measure-package.ts.
 *
 * The build fails if anything from a dev, test or CLI-only package (Azurite, the Kusto language
 * service, vitest, tsx, TypeScript, esbuild) would end up in the package.
 *
 * Usage: tsx scripts/package.ts [--out dist/package] [--sourcemap]
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { NODE_ESM_BUNDLE } from '../bin/cliBundle.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Packages that must never reach the deployment package, with the reason shown when one does. */
const forbiddenPackages: Readonly<Record<string, string>> = {
  azurite: 'local storage emulator (tests, `hunter replay`)',
  '@kusto/language-service-next': 'Kusto parser used by `hunter lint` only',
  vitest: 'test runner',
  tsx: 'TypeScript runner for the CLI and scripts',
  typescript: 'compiler',
  esbuild: 'bundler',
};

/** Provided by the Functions Node.js worker at run time, never installed. */
const providedByWorker = ['@azure/functions-core'];

export interface PackageResult {
  readonly outDir: string;
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly gzipBytes: number }[];
  readonly totalBytes: number;
  readonly totalGzipBytes: number;
  /** Size of the zip azd would upload, when the `zip` tool is present. */
  readonly zipBytes: number | undefined;
  readonly entryFiles: readonly string[];
  /** Bytes of bundled input per npm package (or "(project)"), largest first. */
  readonly inputsByPackage: readonly { readonly name: string; readonly bytes: number }[];
}

export async function buildPackage(options: { readonly outDir?: string; readonly sourcemap?: boolean } = {}): Promise<PackageResult> {
  const outDir = resolve(repoRoot, options.outDir ?? 'dist/package');
  const functionsDir = join(repoRoot, 'src', 'functions');
  const entryPoints = readdirSync(functionsDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(functionsDir, file));
  if (entryPoints.length === 0) throw new Error(`no function entry in ${relative(repoRoot, functionsDir)}`);
  const hostJson = join(repoRoot, 'host.json');
  if (!existsSync(hostJson)) throw new Error('host.json is missing at the repository root; the Functions host needs it in the package');

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const result = await build({
    ...NODE_ESM_BUNDLE,
    entryPoints,
    outdir: join(outDir, 'dist'),
    entryNames: 'functions/[name]',
    external: providedByWorker,
    // Smaller and quicker to parse; NODE_ESM_BUNDLE keeps the names, so stack traces in Application Insights stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: options.sourcemap ? 'linked' : false,
    // Third-party licence notices go to one file next to the bundles instead of being dropped.
    legalComments: 'linked',
    plugins: [forbidPackages()],
  });

  const problems = forbiddenInputs(result.metafile);
  if (problems.length > 0) throw new Error(`the package would contain dev/test/CLI-only code:\n  ${problems.join('\n  ')}`);

  writeFileSync(join(outDir, 'host.json'), readFileSync(hostJson));
  // Data the app reads at run time, by paths relative to the app root: the rules and the exclusions.
  for (const folder of ['rules', 'config']) {
    const source = join(repoRoot, folder);
    if (existsSync(source)) cpSync(source, join(outDir, folder), { recursive: true });
  }
  const projectPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; engines?: unknown };
  const deployedPackage = {
    name: projectPackage.name,
    version: projectPackage.version,
    private: true,
    type: 'module',
    // The Node.js worker loads every file this matches; each registers its functions with app.*.
    main: 'dist/functions/*.js',
    engines: projectPackage.engines,
    // Deliberately no dependencies and no scripts: everything needed is bundled, so a remote build
    // (if one runs) has nothing to install and nothing to execute.
  };
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(deployedPackage, null, 2)}\n`);

  const files = listFiles(outDir).map((path) => {
    const content = readFileSync(path);
    return { path: relative(outDir, path), bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  return {
    outDir,
    files,
    totalBytes: files.reduce((sum, file) => sum + file.bytes, 0),
    totalGzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
    zipBytes: zipSize(outDir),
    entryFiles: entryPoints.map((entry) => join('dist', 'functions', basename(entry).replace(/\.ts$/, '.js'))),
    inputsByPackage: inputsByPackage(result.metafile),
  };
}

/** Fails resolution of a forbidden package with the importer named, so the cause is one line away. */
function forbidPackages(): Plugin {
  const names = Object.keys(forbiddenPackages);
  return {
    name: 'forbid-dev-packages',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, (args) => {
        const name = names.find((forbidden) => args.path === forbidden || args.path.startsWith(`${forbidden}/`));
        if (name === undefined) return undefined;
        return { errors: [{ text: `${args.path} (${forbiddenPackages[name]}) must not be in the deployment package; imported from ${relative(repoRoot, args.importer)}. Keep it out of the function entry's import graph (static and dynamic imports alike): CLI and test code only.` }] };
      });
    },
  };
}

function packageOf(inputPath: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(inputPath.replaceAll('\\', '/'));
  return match ? (match[1] as string) : '(project)';
}

function forbiddenInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => packageOf(input) in forbiddenPackages)
    .map((input) => `${input} (${forbiddenPackages[packageOf(input)]})`);
}

function inputsByPackage(metafile: Metafile): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      totals.set(packageOf(input), (totals.get(packageOf(input)) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => join(dir, file))
    .filter((path) => statSync(path).isFile())
    .sort();
}

function zipSize(dir: string): number | undefined {
  const zipPath = `${dir}.zip`;
  try {
    rmSync(zipPath, { force: true });
    execFileSync('zip', ['-q', '-r', '-9', zipPath, '.'], { cwd: dir, stdio: 'ignore' });
    return statSync(zipPath).size;
  } catch {
    return undefined;
  } finally {
    rmSync(zipPath, { force: true });
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const result = await buildPackage({ outDir: outIndex >= 0 ? args[outIndex + 1] : undefined, sourcemap: args.includes('--sourcemap') });
  console.log(`deployment package: ${relative(repoRoot, result.outDir)}`);
  for (const file of result.files) console.log(`  ${file.path.padEnd(48)} ${formatBytes(file.bytes).padStart(11)}  (gzip ${formatBytes(file.gzipBytes)})`);
  console.log(`  total ${formatBytes(result.totalBytes)}, gzip ${formatBytes(result.totalGzipBytes)}${result.zipBytes === undefined ? '' : `, zip ${formatBytes(result.zipBytes)}`}`);
  console.log('bundled code by package:');
  for (const input of result.inputsByPackage.slice(0, 12)) console.log(`  ${input.name.padEnd(40)} ${formatBytes(input.bytes).padStart(11)}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
