// Timing helpers. Benchmarks report ratios between two things measured in the same run (the
// machine is shared, so absolute times vary by up to 2x between runs; ratios much less).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_ROOT, REPO_ROOT } from './paths.js';

export interface Timed<T> {
  readonly ms: number;
  readonly value: T;
}

export async function time<T>(fn: () => Promise<T> | T): Promise<Timed<T>> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

export interface Comparison<S, B> {
  /** best time of the subject and of the baseline, after one warm-up run each */
  readonly subjectMs: number;
  readonly baselineMs: number;
  /** subject / baseline */
  readonly ratio: number;
  readonly runs: number;
  /** results of the last run, for the benchmark to check that both computed the same thing */
  readonly subject: S;
  readonly baseline: B;
}

/** Runs subject and baseline alternately (so both see the same machine state), best of `runs` each. */
export async function compare<S, B>(subject: () => Promise<S> | S, baseline: () => Promise<B> | B, runs = 9): Promise<Comparison<S, B>> {
  const s: number[] = [];
  const b: number[] = [];
  let last: { subject: S; baseline: B } | undefined;
  for (let i = 0; i <= runs; i++) {
    const x = await time(subject);
    const y = await time(baseline);
    last = { subject: x.value, baseline: y.value };
    if (i === 0) continue; // warm-up: compilation, caches
    s.push(x.ms);
    b.push(y.ms);
  }
  const subjectMs = Math.min(...s);
  const baselineMs = Math.min(...b);
  return { subjectMs, baselineMs, ratio: subjectMs / baselineMs, runs, subject: last!.subject, baseline: last!.baseline };
}

export interface ChildResult<T> {
  readonly ms: number;
  readonly peakRssMb: number;
  readonly value: T;
}

/**
 * Runs bench/workers/<worker>.ts in a fresh process, so its peak RSS is its own; the worker prints
 * one JSON line `{ ms, value }` last. Best of `runs` by time; peak RSS is the largest seen.
 */
export function inChild<T>(worker: string, args: readonly string[], runs = 2): ChildResult<T> {
  let best: ChildResult<T> | undefined;
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(BENCH_ROOT, 'workers', `${worker}.ts`), ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (child.status !== 0) throw new Error(`bench worker ${worker} failed: ${child.stderr}`);
    const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as { ms: number; value: T; peakRssMb: number };
    peak = Math.max(peak, out.peakRssMb);
    if (!best || out.ms < best.ms) best = out;
  }
  return { ...best!, peakRssMb: peak };
}

/** For workers: prints the result line inChild reads. */
export function reportFromChild(ms: number, value: unknown): void {
  // maxRSS is in kilobytes
  process.stdout.write(JSON.stringify({ ms, value, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (n: number) => `${n < 10 ? n.toFixed(1) : fmt(n)} ms`;
export const ratio = (n: number) => `${n.toFixed(2)}x`;
export const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** Throws when an evaluator result and its baseline disagree: a fast wrong answer is not a result. */
export function sameResult(what: string, a: unknown, b: unknown): void {
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  if (ja !== jb) throw new Error(`${what}: the evaluator and the baseline disagree:\n  ${ja.slice(0, 400)}\n  ${jb.slice(0, 400)}`);
}
