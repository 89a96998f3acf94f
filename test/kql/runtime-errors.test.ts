// Runtime errors point into the query text; lint never throws on malformed KQL.
import { describe, expect, it } from 'vitest';
import { KqlRuntimeError, lint } from '../../src/kql/index.js';
import { loadCorpus } from './corpus/corpus.js';
import { run } from './helpers.js';

describe('runtime errors', () => {
  it('an invalid constant regex fails with the position of the operator expression', async () => {
    const q = `print x = 1\n| where 'abc' matches regex '(unclosed'`;
    const err = await run(q).catch((e) => e);
    expect(err).toBeInstanceOf(KqlRuntimeError);
    expect(err).toMatchObject({ code: 'KQL202', line: 2, col: 9 });
    expect(err.format().split('\n')[2]).toBe('        ' + '^'.repeat(`'abc' matches regex '(unclosed'`.length));
  });

  it('a per-row regex from data fails at the call', async () => {
    const err = await run(`datatable(p:string)['a', '(bad'] | extend e = extract(p, 0, 'abc')`).catch((e) => e);
    expect(err).toBeInstanceOf(KqlRuntimeError);
    expect(err).toMatchObject({ code: 'KQL202', line: 1, col: 47 });
  });

  it('a non-constant make_set limit is reported at the aggregate', async () => {
    const err = await run(`datatable(v:long)[1] | summarize make_set(v, v)`).catch((e) => e);
    expect(err).toMatchObject({ code: 'KQL203', col: 34 });
  });
});

/** xorshift32, so the mutations are the same on every run */
function rng(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe('lint robustness', () => {
  it('never throws on mutilated corpus queries', () => {
    const next = rng(7);
    const queries = loadCorpus().map((r) => r.query);
    let reported = 0;
    for (let i = 0; i < 2000; i++) {
      const q = queries[Math.floor(next() * queries.length)]!;
      const a = Math.floor(next() * q.length);
      const b = Math.min(q.length, a + 1 + Math.floor(next() * 12));
      const junk = ['', '(', ')', '|', ',', "'", '"', '..', 'where', '[', '@', '!', '~'][Math.floor(next() * 13)]!;
      const mutated = q.slice(0, a) + junk + q.slice(b);
      const d = lint(mutated);
      for (const x of d) {
        expect(x.line).toBeGreaterThanOrEqual(1);
        expect(x.col).toBeGreaterThanOrEqual(1);
        expect(x.offset).toBeLessThanOrEqual(mutated.length);
      }
      if (d.length > 0) reported++;
    }
    expect(reported).toBeGreaterThan(500);
  });
});
