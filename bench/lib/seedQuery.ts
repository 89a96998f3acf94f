// The shipped seed rule's queries, and the hunt query's computation as a hand-written loop.
import { fileURLToPath } from 'node:url';
import { loadRule } from '../../src/rules/load.js';

const RULE = loadRule(fileURLToPath(new URL('../../rules/ammyy-file-signature.yaml', import.meta.url)));

/** The shipped rule's own query, so the benchmarks measure what the hunter runs. */
export const SEED_QUERY = RULE.query;

export interface SeedGroup {
  DeviceId: string;
  DeviceName: string;
  FirstSeen: number;
  LastSeen: number;
  Report: Set<number>;
  Count: number;
}

interface SeedInput {
  readonly Timestamp: number;
  readonly DeviceId: string;
  readonly DeviceName: string;
  readonly Signer: string;
  readonly ReportId: number;
}

/** What a developer would write by hand: window check, term regex, a Map of groups. */
export class HandSeed {
  private readonly start: number;
  private readonly end: number;
  private readonly term = /(?<![\p{L}\p{N}])[aA][mM][mM][yY][yY](?![\p{L}\p{N}])/u;
  readonly groups = new Map<string, SeedGroup>();

  constructor(now: Date) {
    this.start = now.getTime() - 5 * 86_400_000;
    this.end = now.getTime();
  }

  /** true when the row's time is in the window (for callers that convert the rest only then) */
  inWindow(t: number): boolean {
    return t >= this.start && t <= this.end;
  }

  matchesSigner(signer: string): boolean {
    return this.term.test(signer);
  }

  add(r: SeedInput): void {
    const key = r.DeviceId + '\u0001' + r.DeviceName;
    let g = this.groups.get(key);
    const t = r.Timestamp;
    if (!g) {
      g = { DeviceId: r.DeviceId, DeviceName: r.DeviceName, FirstSeen: t, LastSeen: t, Report: new Set(), Count: 0 };
      this.groups.set(key, g);
    }
    if (t < g.FirstSeen) g.FirstSeen = t;
    if (t > g.LastSeen) g.LastSeen = t;
    g.Report.add(r.ReportId);
    g.Count++;
  }

  /** groups and matched rows: what both sides must agree on */
  summary(): { groups: number; rows: number } {
    let rows = 0;
    for (const g of this.groups.values()) rows += g.Count;
    return { groups: this.groups.size, rows };
  }
}

export function summariseResult(rows: readonly Record<string, unknown>[]): { groups: number; rows: number } {
  return { groups: rows.length, rows: rows.reduce((s, r) => s + (r['Count'] as number), 0) };
}

/** The shipped rule's context query (rules/<rule>.context.kql), before the hunter binds its lets. */
export const CONTEXT_QUERY = RULE.contextQuery!;
