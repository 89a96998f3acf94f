/**
 * `bin/hunter.js` runs the CLI from an esbuild bundle of src/ (dist/cli/), built on first use and
 * rebuilt when a file it was built from changes: a clean clone's `npm install && npm run replay`
 * needs no build step and no install script, and an edited source is never run stale.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildBundle, bundleIsFresh } from '../../bin/cliBundle.js';

const root = path.resolve('.');

describe('the CLI bundle', () => {
  it('is built where none is, is fresh afterwards, and goes stale when a source it was built from changes', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-bundle-'));
    onTestFinished(() => rmSync(outDir, { recursive: true, force: true }));
    expect(bundleIsFresh(root, outDir)).toBe(false);
    await buildBundle(root, outDir);
    expect(bundleIsFresh(root, outDir)).toBe(true);

    const record = JSON.parse(readFileSync(path.join(outDir, 'inputs.json'), 'utf8')) as { files: Record<string, string> };
    // It watches the project's sources and the installed dependencies, not each file under node_modules.
    expect(Object.keys(record.files)).toEqual(expect.arrayContaining([path.join('src', 'cli', 'main.ts'), path.join('src', 'cli', 'commands', 'replay.ts'), path.join('node_modules', '.package-lock.json')]));
    expect(Object.keys(record.files).filter((file) => file.startsWith('node_modules')).length).toBe(1);

    // As if src/cli/main.ts had been edited since the build.
    writeFileSync(path.join(outDir, 'inputs.json'), JSON.stringify({ files: { ...record.files, [path.join('src', 'cli', 'main.ts')]: '0:0' } }));
    expect(bundleIsFresh(root, outDir)).toBe(false);
  });

  it('runs `hunter --help` from the bundle, in its own process', () => {
    const run = spawnSync(process.execPath, ['bin/hunter.js', '--help'], { cwd: root, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^hunter: /);
    expect(run.stdout).toMatch(/^ {2}replay +run the whole hunt locally/m);
    expect(bundleIsFresh(root)).toBe(true);
  });
});
