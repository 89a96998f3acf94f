/**
 * The exclusion wildcard matcher: the same answers as the whole-value regular expression it
 * replaced (checked on many small random cases, where backtracking is harmless), and a bounded
 * number of steps on the inputs that made that expression run for minutes.
 */
import { describe, expect, it } from 'vitest';
import { compileWildcard, matchTokens } from '../../src/exclusions/wildcard.js';

/** The old semantics as a regular expression: only safe on small inputs, which is all it is used for here. */
function referenceRegExp(pattern: string, caseSensitive: boolean): RegExp {
  const source = Array.from(pattern, (char) => (char === '*' ? '[\\s\\S]*' : char === '?' ? '[\\s\\S]' : char.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, caseSensitive ? 'u' : 'iu');
}

/** A small deterministic generator, so a failing case can be reproduced. */
function generator(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

describe('wildcard matching', () => {
  it('matches the whole value: * any run (also none), ? one character, everything else literal', () => {
    const cases: [string, string, boolean][] = [
      ['C:\\Tools\\*.exe', 'C:\\Tools\\ammyy.exe', true],
      ['C:\\Tools\\*.exe', 'C:\\Tools\\sub\\ammyy.exe', true],
      ['C:\\Tools\\*.exe', 'D:\\C:\\Tools\\ammyy.exe', false],
      ['*', '', true],
      ['?', '', false],
      ['', '', true],
      ['', 'x', false],
      ['a?c', 'abc', true],
      ['a?c', 'ac', false],
      ['[a-z]+(x)|$', '[a-z]+(x)|$', true],
      ['*.*', 'no dot', false],
      ['a**b', 'ab', true],
      ['?', '😀', true],
      ['*\\ammyy.exe -service', 'C:\\Tools\\ammyy.exe -service', true],
    ];
    for (const [pattern, value, expected] of cases) expect(compileWildcard(pattern, true)(value), `${pattern} on ${value}`).toBe(expected);
  });

  it('ignores case unless asked, character by character', () => {
    expect(compileWildcard('c:\\program files*\\AMMYY\\*', false)('C:\\Program Files (x86)\\Ammyy\\AA_v3.exe')).toBe(true);
    expect(compileWildcard('c:\\*', true)('C:\\x')).toBe(false);
    expect(compileWildcard('?', false)('İ')).toBe(true);
    expect(compileWildcard('İ*', false)('İstanbul')).toBe(true);
  });

  it('answers as the whole-value regular expression did, on 5,000 random small cases', () => {
    const next = generator(11);
    const alphabet = ['a', 'b', 'A', '*', '?', '.', '\\'];
    const text = (length: number) => Array.from({ length }, () => alphabet[next(alphabet.length)]!).join('');
    for (let index = 0; index < 5_000; index++) {
      const pattern = text(next(7));
      const value = text(next(9)).replaceAll('*', 'x');
      const caseSensitive = next(2) === 0;
      const expected = referenceRegExp(pattern, caseSensitive).test(value);
      expect(compileWildcard(pattern, caseSensitive)(value), `${JSON.stringify(pattern)} on ${JSON.stringify(value)} (case-sensitive ${caseSensitive})`).toBe(expected);
    }
  });

  // A backtracking regular expression needs about n^k steps for k stars on these near misses:
  // 20,000^6 is 6.4 × 10^25 steps, far beyond any test run. The matcher's bound is (n + 1) × (m + 1).
  it.each([
    ['*a*a*a*a*a*a*b', 'a'.repeat(20_000)],
    ['*\\*\\*\\*\\*\\x', '\\'.repeat(20_000)],
    ['*?*?*?*?*?*?!', 'ab'.repeat(10_000)],
    ['a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*', `${'a'.repeat(20_000)}`],
  ])('%s on a 20,000-character near miss takes at most (n + 1) × (m + 1) steps', (pattern, value) => {
    const tokens = Array.from(pattern);
    const { steps } = matchTokens(tokens, Array.from(value));
    expect(steps).toBeLessThanOrEqual((value.length + 1) * (tokens.length + 1));
  });

  it('is one pass over the value when the pattern has a single star', () => {
    const value = Array.from(`C:\\${'x'.repeat(50_000)}\\ammyy.exe`);
    expect(matchTokens(Array.from('C:\\*\\ammyy.exe'), value)).toEqual({ matched: true, steps: expect.any(Number) });
    expect(matchTokens(Array.from('C:\\*\\ammyy.exe'), value).steps).toBeLessThanOrEqual(value.length + 20);
  });
});
