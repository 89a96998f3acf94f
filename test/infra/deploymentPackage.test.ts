/**
 * Guard: the deployment package is what azd uploads, built the way azd builds it, from a clean copy.
 *
 * azd's Node.js service runs the `build` script for both its build and package steps and then zips the
 * folder azure.yaml's `dist` names (Azure/azure-dev cli/azd/pkg/project/framework_service_node.go: Build
 * and Package both call RunScript(..., "build", ...); Package fails when the dist folder is empty). So
 * `npm run build` on a clone that has only the repository's files must produce `dist`.
 * The package holds no dev/test/CLI-only code, needs no npm install, and its entry loads in a fresh
 * Node process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './infraChecks.js';

const azureYaml = parseYaml(readFileSync(join(repoRoot, 'azure.yaml'), 'utf8')) as { services: Record<string, { dist?: string; language?: string; host?: string }> };
const service = azureYaml.services.hunter!;

let cloneDir: string;
let packageDir: string;
let files: string[];
let buildOutput: string;

/** The files a fresh clone of the committed tree has: tracked and not-ignored files, nothing built. */
function copyLikeAClone(target: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(repoRoot, file)));
  for (const file of listed) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(target, file));
  }
  // azd runs `npm install` first; the installed tree is the repository's own (no network in tests).
  symlinkSync(join(repoRoot, 'node_modules'), join(target, 'node_modules'), 'dir');
}

beforeAll(() => {
  cloneDir = mkdtempSync(join(tmpdir(), 'hunter-clone-'));
  copyLikeAClone(cloneDir);
  expect(existsSync(join(cloneDir, 'dist')), 'the clean copy has no build output').toBe(false);
  const build = spawnSync('npm', ['run', 'build'], { cwd: cloneDir, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  buildOutput = `${build.stdout}\n${build.stderr}`;
  if (build.status !== 0) throw new Error(`npm run build failed in a clean copy:\n${buildOutput}`);
  packageDir = join(cloneDir, service.dist ?? '(azure.yaml has no dist)');
  files = existsSync(packageDir)
    ? readdirSync(packageDir, { recursive: true, encoding: 'utf8' }).filter((file) => statSync(join(packageDir, file)).isFile()).sort()
    : [];
}, 600_000);

afterAll(() => {
  if (cloneDir) rmSync(cloneDir, { recursive: true, force: true });
});

describe('azure.yaml', () => {
  it('deploys a TypeScript Function service from a dist folder', () => {
    expect(service).toMatchObject({ language: 'ts', host: 'function' });
    expect(service.dist).toBeTruthy();
  });
});

describe('npm run build on a clean copy (what azd runs)', () => {
  it("produces azure.yaml's dist folder with host.json, a dependency-free package.json, the bundled entries and the rules", () => {
    expect(files.length, `nothing at ${relative(cloneDir, packageDir)}; build said:\n${buildOutput}`).toBeGreaterThan(0);
    const entries = readdirSync(join(repoRoot, 'src', 'functions')).filter((file) => file.endsWith('.ts')).map((file) => `dist/functions/${file.replace(/\.ts$/, '.js')}`);
    expect(files).toEqual(expect.arrayContaining(['host.json', 'package.json', ...entries, 'rules/ammyy-file-signature.yaml', 'rules/queries/binaries.context.kql']));
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ type: 'module', main: 'dist/functions/*.js' });
    expect(manifest).not.toHaveProperty('dependencies');
    expect(manifest).not.toHaveProperty('scripts');
  });

  it('contains no node_modules (dev, test and CLI-only packages fail the build itself: scripts/package.ts)', () => {
    expect(files.filter((file) => file.includes('node_modules'))).toEqual([]);
  });

  it('loads in a fresh node process (outside the Functions worker, @azure/functions runs in test mode)', () => {
    const entry = pathToFileURL(join(packageDir, 'dist', 'functions', 'ammyyHunter.js')).href;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(entry)}); console.log('loaded');`], {
      encoding: 'utf8',
      cwd: packageDir,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.stdout.trim()).toBe('loaded');
  });
});
