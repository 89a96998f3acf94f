// The seed Ammyy rule, and the same computation as a plain hand-written loop.
import type { BenchRow } from './data.js';

export const SEED_QUERY = `let Time_start = now(-5d);
let Time_end = now();
//
DeviceFileCertificateInfo
| where Timestamp between (Time_start..Time_end)
| where Signer has 'Ammyy'
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp),
    Report=make_set(ReportId), Count=count() by DeviceId, DeviceName`;

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
