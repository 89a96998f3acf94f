// has_any's term set (termSet.ts) against the alternation of term patterns it replaces: the same answer
// on every text, including needles that start or end with punctuation, repeated terms, non-ASCII
// letters, characters outside the BMP and case differences (ASCII letters fold, others do not).
import { describe, expect, it } from 'vitest';
import { termSetMatcher } from '../../src/kql/termSet.js';

// The reference: Kusto's term rule as one pattern per needle (what has_any compiled to before), ASCII
// letters folded (https://learn.microsoft.com/kusto/query/datatypes-string-operators).
const foldAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const isAlnumChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
function termPattern(needle: string): string {
  const literal = needle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
  return (isAlnumChar(needle[0]) ? '(?<![\\p{L}\\p{N}])' : '') + literal + (isAlnumChar(needle[needle.length - 1]) ? '(?![\\p{L}\\p{N}])' : '');
}

const ALPHABET = ['a', 'B', 'c', 'x', '1', '.', '-', ' ', '/', 'é', 'É', 'ß', '𝐀', '😀', '_', ':'];

function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

function text(next: () => number, max: number): string {
  let s = '';
  const n = Math.floor(next() * max);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

describe('has_any term set', () => {
  it('matches exactly where the alternation of term patterns matches', () => {
    const next = random(7);
    for (let round = 0; round < 400; round++) {
      const needles = Array.from({ length: 1 + Math.floor(next() * 6) }, () => text(next, 5)).filter((n) => n !== '');
      if (needles.length === 0) continue;
      const re = new RegExp(needles.map(termPattern).join('|'), 'u');
      const matches = termSetMatcher(needles.map(foldAscii));
      for (let k = 0; k < 60; k++) {
        // texts built from the needles themselves, so that matches are common
        const h = Array.from({ length: 1 + Math.floor(next() * 4) }, () => (next() < 0.5 ? needles[Math.floor(next() * needles.length)]! : text(next, 4))).join(next() < 0.5 ? '' : ' ');
        const cased = [...h].map((c) => (next() < 0.3 ? c.toUpperCase() : c)).join('');
        expect(matches(foldAscii(cased)), `${JSON.stringify(needles)} in ${JSON.stringify(cased)}`).toBe(re.test(cased));
      }
    }
  });

  it('finds hosts of the all-tools rule as terms only', () => {
    const matches = termSetMatcher(['ammyy.com', 'rmm.datto.com', 'atera-agent-heartbeat', '.exe'].map(foldAscii));
    expect(matches(foldAscii('https://rl.AMMYY.com/x'))).toBe(true);
    expect(matches(foldAscii('notammyy.com'))).toBe(false);
    expect(matches(foldAscii('ammyy.community'))).toBe(false);
    expect(matches(foldAscii('rmm.datto.com:443'))).toBe(true);
    expect(matches(foldAscii('atera-agent-heartbeat.x'))).toBe(true);
    expect(matches(foldAscii('setup.exe'))).toBe(true);
    expect(matches(foldAscii('setup.exec'))).toBe(false);
  });
});
