/**
 * `npm test` must run every test on a clone that has only the repository: no test may be skipped,
 * left as a todo, or focused with `.only` (which silently skips all the others in its file).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const testRoot = path.resolve('test');
/** This file names every way of skipping on purpose; its own examples are checked below. */
const self = path.relative(testRoot, fileURLToPath(import.meta.url));

// `it.skip`, `describe.skipIf(...)`, `test.todo`, `it.only`, `bench.skip`, `it.concurrent.only`,
// Jasmine's `xit`/`fdescribe`, and the test context's `ctx.skip()` / `context.skip()`.
const SKIPPING = [
  /\b(?:it|test|describe|suite|bench)(?:\.(?:concurrent|sequential|each\([^)]*\)|for\([^)]*\)))*\.(?:skip|skipIf|runIf|todo|only)\b/,
  /(?<![\w.])(?:x|f)(?:it|test|describe)\s*\(/,
  /\b(?:ctx|context|task)\.skip\s*\(/,
];

/** The lines of a file that skip, focus or postpone a test. */
export function skippingLines(text: string): string[] {
  return text.split('\n').filter((line) => !/^\s*(?:\/\/|\*)/.test(line) && SKIPPING.some((pattern) => pattern.test(line)));
}

describe('the test suite', () => {
  it('skips nothing: no .skip, .todo, .only, skipIf/runIf or ctx.skip() anywhere in test/', () => {
    const offenders = readdirSync(testRoot, { recursive: true, encoding: 'utf8' })
      .filter((entry) => entry.endsWith('.ts') && entry !== self && !entry.startsWith(`fixtures${path.sep}`))
      .flatMap((entry) => skippingLines(readFileSync(path.join(testRoot, entry), 'utf8')).map((line) => `test/${entry}: ${line.trim()}`));
    expect(offenders).toEqual([]);
  });

  it('recognises every way of skipping (the guard itself)', () => {
    const skipping = ['it.skip(', 'it.todo(', 'describe.only(', 'it.skipIf(missing)(', 'describe.runIf(ok)(', 'it.concurrent.only(', 'xit(', 'fdescribe(', 'ctx.skip()', 'it.each([1])\n', 'test.each([1]).skip('];
    expect(skipping.filter((line) => skippingLines(line).length === 0)).toEqual(['it.each([1])\n']);
    expect(skippingLines("it('exits 2 without paths', () => {})\nconst next = skipIndentation(text);")).toEqual([]);
  });
});
