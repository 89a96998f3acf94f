/**
 * Repo-wide guards on the architecture: the pure core imports no Azure SDK, settings are read
 * in one place, and the Function's import graph carries no development-only weight.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const sourceRoot = path.resolve('src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry.endsWith('.ts'))
    .map((entry) => path.join(folder, entry));
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(importPattern)].map((match) => (match[1] ?? match[2]) as string);
}

/** Every module the file reaches through relative imports, and the packages they import. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:')) packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  };
  visit(entry);
  return { files, packages };
}

const relative = (file: string) => path.relative(sourceRoot, file);

describe('architecture boundaries', () => {
  it('keeps the pure core free of Azure SDKs', () => {
    const pureFolders = ['core', 'kql', 'data', 'exclusions', 'context', 'rules', 'incidents', 'budget'];
    const offenders = pureFolders
      .flatMap((folder) => sourceFiles(path.join(sourceRoot, folder)))
      .flatMap((file) => importsOf(file).filter((specifier) => specifier.startsWith('@azure/')).map((specifier) => `${relative(file)} imports ${specifier}`));
    expect(offenders).toEqual([]);
  });

  it('keeps the layers apart: the pure folders import no adapter, CLI, composition root or Function', () => {
    const pureFolders = ['core', 'kql', 'data', 'exclusions', 'context', 'rules', 'incidents', 'yaml', 'budget'];
    const outer = ['adapters', 'cli', 'compose', 'functions'];
    const offenders = pureFolders
      .flatMap((folder) => sourceFiles(path.join(sourceRoot, folder)))
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => specifier.startsWith('.'))
          .map((specifier) => relative(path.resolve(path.dirname(file), specifier)))
          .filter((target) => outer.includes(target.split(path.sep)[0]!))
          .map((target) => `${relative(file)} imports ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it('reads process.env only in the composition roots', () => {
    const readers = sourceFiles(sourceRoot).filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8'))).map(relative);
    expect(readers).toEqual(['functions/ammyyHunter.ts']);
  });

  it('keeps development-only packages and the CLI out of the Function\'s import graph', () => {
    const { files, packages } = importGraph(path.join(sourceRoot, 'functions', 'ammyyHunter.ts'));
    expect([...packages].filter((name) => ['@kusto/language-service-next', 'azurite', 'vitest', 'tsx', 'esbuild'].includes(name))).toEqual([]);
    expect([...files].map(relative).filter((file) => file.startsWith('cli/') || file.includes('azurite'))).toEqual([]);
    // It does reach the real adapters: the graph walk itself must work.
    expect([...packages]).toEqual(expect.arrayContaining(['@azure/functions', '@azure/data-tables', '@azure/monitor-query-logs']));
  });

  it('has no module-level clock: the core never calls Date.now() or new Date() without an argument', () => {
    const offenders = ['core', 'kql', 'exclusions', 'context', 'budget']
      .flatMap((folder) => sourceFiles(path.join(sourceRoot, folder)))
      .filter((file) => /Date\.now\(\)|new Date\(\)/.test(readFileSync(file, 'utf8')))
      .map(relative);
    expect(offenders).toEqual([]);
  });
});
