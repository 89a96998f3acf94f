/**
 * Guard: the deployment package (scripts/package.ts, what azd uploads) builds from the function entry,
 * holds no dev/test/CLI-only code, needs no npm install, and its entry loads in a fresh Node process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildPackage, type PackageResult } from '../../scripts/package.js';

let outRoot: string;
let pkg: PackageResult;

beforeAll(async () => {
  outRoot = mkdtempSync(join(tmpdir(), 'hunter-package-'));
  pkg = await buildPackage({ outDir: join(outRoot, 'package') });
});

afterAll(() => {
  if (outRoot) rmSync(outRoot, { recursive: true, force: true });
});

describe('deployment package', () => {
  it('has host.json, a dependency-free package.json whose main matches the bundled entries, and the rules', () => {
    const names = pkg.files.map((file) => file.path);
    expect(names).toEqual(expect.arrayContaining(['host.json', 'package.json', ...pkg.entryFiles, 'rules/ammyy-file-signature.yaml']));
    const manifest = JSON.parse(readFileSync(join(pkg.outDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ type: 'module', main: 'dist/functions/*.js' });
    expect(manifest).not.toHaveProperty('dependencies');
    expect(manifest).not.toHaveProperty('scripts');
  });

  it('contains no node_modules and no dev, test or CLI-only package', () => {
    expect(pkg.files.filter((file) => file.path.includes('node_modules'))).toEqual([]);
    const bundled = pkg.inputsByPackage.map((input) => input.name);
    for (const forbidden of ['azurite', '@kusto/language-service-next', 'vitest', 'tsx', 'typescript', 'esbuild']) expect(bundled).not.toContain(forbidden);
  });

  it('loads in a fresh node process (outside the Functions worker, @azure/functions runs in test mode)', () => {
    const entry = pathToFileURL(join(pkg.outDir, pkg.entryFiles[0] as string)).href;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(entry)}); console.log('loaded');`], {
      encoding: 'utf8',
      cwd: pkg.outDir,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.stdout.trim()).toBe('loaded');
  });
});
