// The upstream all-tools network rule (has_any over ~120 remote-admin hosts from a datatable) over
// DeviceNetworkEvents in memory: the evaluator against a hand loop.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../../src/kql/index.js';
import { extractQuery } from '../../test/kql/corpus/corpus.js';
import { measuredLine, type Benchmark } from '../lib/benchmark.js';
import { compare, fmt, ms, ratio, sameResult } from '../lib/measure.js';
import { memoryTables } from '../lib/memoryTables.js';
import { generateNetwork, NETWORK_ROWS, type NetworkRow } from '../lib/network.js';
import { REPO_ROOT } from '../lib/paths.js';
import { NOW } from '../lib/world.js';

const RULE = 'test/fixtures/rmm-rules/rmm__all_netconn.yaml';

/** As published the rule groups by AccountUpn, which DeviceNetworkEvents lacks (test/kql/all-tools-rule.test.ts). */
export function allToolsQuery(): { query: string; hosts: string[] } {
  const published = extractQuery(RULE, readFileSync(join(REPO_ROOT, RULE), 'utf8')).query;
  const table = published.slice(published.indexOf('datatable'), published.indexOf('];'));
  const hosts = [...table.matchAll(/'([^']*)'\s*,\s*'[^']*'/g)].map((m) => m[1]!);
  return { query: published.replace(/\bAccountUpn\b/, 'InitiatingProcessAccountUpn'), hosts };
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * What a careful developer would write: the hosts indexed by their first term, and each URL walked
 * term by term; a host matches where it starts at a term and ends at a term boundary.
 */
function handLoop(rows: readonly NetworkRow[], hosts: readonly string[]): { groups: number; rows: number } {
  const byFirstTerm = new Map<string, string[]>();
  for (const h of new Set(hosts.map((x) => x.toLowerCase()))) {
    const first = /^[a-z0-9]+/.exec(h)![0];
    byFirstTerm.set(first, [...(byFirstTerm.get(first) ?? []), h]);
  }
  const matches = (url: string): boolean => {
    for (let i = 0; i < url.length; ) {
      if (!isAlnum(url.charCodeAt(i))) {
        i++;
        continue;
      }
      let e = i + 1;
      while (e < url.length && isAlnum(url.charCodeAt(e))) e++;
      for (const h of byFirstTerm.get(url.slice(i, e)) ?? []) {
        const end = i + h.length;
        if (url.startsWith(h, i) && (end === url.length || !isAlnum(url.charCodeAt(end)))) return true;
      }
      i = e;
    }
    return false;
  };
  const start = NOW.getTime() - 5 * 86_400_000;
  const end = NOW.getTime();
  const groups = new Map<string, { first: number; last: number; reports: Set<number>; count: number }>();
  for (const r of rows) {
    const t = r.Timestamp.getTime();
    if (t < start || t > end || !matches(r.RemoteUrl.toLowerCase())) continue;
    const host = r.RemoteUrl.replace(/^https?:\/\//, '').split('/')[0]!.split(':')[0]!;
    const key = [r.DeviceId, r.DeviceName, r.InitiatingProcessAccountUpn, host, r.InitiatingProcessFileName].join('\u0001');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { first: t, last: t, reports: new Set(), count: 0 }));
    g.first = Math.min(g.first, t);
    g.last = Math.max(g.last, t);
    g.reports.add(r.ReportId);
    g.count++;
  }
  let matched = 0;
  for (const g of groups.values()) matched += g.count;
  return { groups: groups.size, rows: matched };
}

const hasAny: Benchmark = {
  id: 'has-any',
  order: 20,
  async run() {
    const { query, hosts } = allToolsQuery();
    const rows = [...generateNetwork()];
    const tables = memoryTables({ DeviceNetworkEvents: rows });
    const c = await compare(
      async () => {
        const r = (await evaluate(query, { tables, now: NOW })).rows;
        return { groups: r.length, rows: r.reduce((s, x) => s + (x['Count'] as number), 0) };
      },
      () => handLoop(rows, hosts),
      5,
    );
    sameResult('has-any', c.subject, c.baseline);
    console.log(`evaluator ${ms(c.subjectMs)}, hand loop ${ms(c.baselineMs)}: ${ratio(c.ratio)}`);
    return `## has_any over many hosts (the upstream all-tools network rule)

${measuredLine()}

\`${RULE}\` (with \`AccountUpn\` read as \`InitiatingProcessAccountUpn\`, as DeviceNetworkEvents has it):
\`RemoteUrl has_any\` over the ${hosts.length} hosts of its datatable, then \`trim_start\`, \`split\` and a
five-key \`summarize\`, over ${fmt(NETWORK_ROWS)} \`DeviceNetworkEvents\` rows in memory (1% to remote-admin
hosts). The hand loop indexes the hosts by their first term and walks each lower-cased URL term by term. Both find ${fmt(c.subject.groups)}
groups covering ${fmt(c.subject.rows)} rows (checked).

| Run | Best of ${c.runs} |
|---|---:|
| evaluator | ${ms(c.subjectMs)} |
| hand-written loop | ${ms(c.baselineMs)} |

Ratio evaluator / hand loop: **${ratio(c.ratio)}**.`;
  },
};

export default hasAny;
