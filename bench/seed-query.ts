// The seed Ammyy rule, and the same computation as a plain hand-written loop.
import { fileURLToPath } from 'node:url';
import { loadRule } from '../src/rules/load.js';
import type { BenchRow } from './data.js';

/** The shipped rule's own query, so the benchmark measures what the hunter runs. */
export const SEED_QUERY = loadRule(fileURLToPath(new URL('../rules/ammyy-file-signature.yaml', import.meta.url))).query;

interface Group {
  DeviceId: string;
  DeviceName: string;
  FirstSeen: number;
  LastSeen: number;
  Report: Set<number>;
  Count: number;
}

/** What a developer would write by hand: window check, term regex, a Map of groups. */
export function handCodedSeed(rows: readonly BenchRow[], now: Date): Group[] {
  const start = now.getTime() - 5 * 86_400_000;
  const end = now.getTime();
  const term = /(?<![\p{L}\p{N}])ammyy(?![\p{L}\p{N}])/iu;
  const groups = new Map<string, Group>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const t = r.Timestamp.getTime();
    if (t < start || t > end) continue;
    if (!term.test(r.Signer)) continue;
    const key = r.DeviceId + '\u0001' + r.DeviceName;
    let g = groups.get(key);
    if (!g) {
      g = { DeviceId: r.DeviceId, DeviceName: r.DeviceName, FirstSeen: t, LastSeen: t, Report: new Set(), Count: 0 };
      groups.set(key, g);
    }
    if (t < g.FirstSeen) g.FirstSeen = t;
    if (t > g.LastSeen) g.LastSeen = t;
    g.Report.add(r.ReportId);
    g.Count++;
  }
  return [...groups.values()];
}
