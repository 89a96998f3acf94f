// The shipped context query for one batch of hit devices over three tables in memory: the evaluator
// against a hand loop that reads each table once. The query reads its AmmyyFiles let three times.
import { bindContextQuery } from '../../src/context/bindQuery.js';
import { evaluate } from '../../src/kql/index.js';
import { measuredLine, type Benchmark } from '../lib/benchmark.js';
import { generateCertificates, ROWS, type CertificateRow } from '../lib/certificates.js';
import { compare, fmt, ms, ratio, sameResult } from '../lib/measure.js';
import { memoryTables } from '../lib/memoryTables.js';
import { generateNetwork, NETWORK_ROWS, type NetworkRow } from '../lib/network.js';
import { generateProcesses, PROCESS_ROWS, type ProcessRow } from '../lib/processes.js';
import { CONTEXT_QUERY } from '../lib/seedQuery.js';
import { NOW } from '../lib/world.js';

const BATCH = 50;

interface Tables {
  readonly certificates: readonly CertificateRow[];
  readonly processes: readonly ProcessRow[];
  readonly network: readonly NetworkRow[];
}

type Counts = Record<'file' | 'process' | 'network', number>;

/** The context query by hand: Ammyy files of the batch, then their processes and connections, each table read once. */
function handLoop(t: Tables, devices: ReadonlySet<string>, start: number, end: number): Counts {
  const inScope = (ts: Date, device: string) => {
    const ms = ts.getTime();
    return ms >= start && ms <= end && devices.has(device);
  };
  const ammyy = /(?<![\p{L}\p{N}])[aA][mM][mM][yY][yY](?![\p{L}\p{N}])/u;
  const files = new Map<string, number>();
  const sha1s = new Set<string>();
  for (const r of t.certificates) {
    if (!inScope(r.Timestamp, r.DeviceId) || !ammyy.test(r.Signer)) continue;
    sha1s.add(r.SHA1);
    const key = [r.DeviceId, r.DeviceName, r.SHA1, r.Signer].join('\u0001');
    files.set(key, Math.max(files.get(key) ?? -Infinity, r.Timestamp.getTime()));
  }
  let processes = 0;
  for (const r of t.processes) if (inScope(r.Timestamp, r.DeviceId) && sha1s.has(r.SHA1)) processes++;
  const instances = new Map<string, { first: number; destinations: Set<string> }>();
  for (const r of t.network) {
    if (!inScope(r.Timestamp, r.DeviceId) || !sha1s.has(r.InitiatingProcessSHA1)) continue;
    const key = [r.DeviceId, r.DeviceName, r.InitiatingProcessSHA1, r.InitiatingProcessFileName, r.InitiatingProcessFolderPath,
      r.InitiatingProcessCommandLine, r.InitiatingProcessId, r.InitiatingProcessCreationTime.getTime(), r.InitiatingProcessParentFileName,
      r.InitiatingProcessAccountDomain, r.InitiatingProcessAccountName, r.InitiatingProcessAccountUpn].join('\u0001');
    let g = instances.get(key);
    if (!g) instances.set(key, (g = { first: r.Timestamp.getTime(), destinations: new Set() }));
    g.first = Math.min(g.first, r.Timestamp.getTime());
    g.destinations.add(JSON.stringify({ ip: r.RemoteIP, url: r.RemoteUrl, port: r.RemotePort }));
  }
  return { file: files.size, process: processes, network: instances.size };
}

const context: Benchmark = {
  id: 'context',
  order: 40,
  async run() {
    const t: Tables = { certificates: [...generateCertificates()], processes: [...generateProcesses()], network: [...generateNetwork()] };
    const tables = memoryTables({ DeviceFileCertificateInfo: t.certificates, DeviceProcessEvents: t.processes, DeviceNetworkEvents: t.network });
    const window = { start: new Date(NOW.getTime() - 5 * 86_400_000), end: NOW };
    // a batch of hit devices: the first devices with Ammyy-signed files
    const hits = [...new Set(t.certificates.filter((r) => r.Signer === 'Ammyy LLC').map((r) => r.DeviceId))].slice(0, BATCH);
    const query = bindContextQuery(CONTEXT_QUERY, window, hits);
    const c = await compare(
      async () => {
        const counts: Counts = { file: 0, process: 0, network: 0 };
        for (const r of (await evaluate(query, { tables, now: NOW })).rows) counts[r['Evidence'] as keyof Counts]++;
        return counts;
      },
      () => handLoop(t, new Set(hits), window.start.getTime(), window.end.getTime()),
      5,
    );
    sameResult('context', c.subject, c.baseline);
    console.log(`evaluator ${ms(c.subjectMs)}, hand loop ${ms(c.baselineMs)}: ${ratio(c.ratio)}`);
    return `## Context query, one batch of ${BATCH} hit devices

${measuredLine()}

the shipped rule's context query (\`rules/queries/binaries.context.kql\` with its events) bound to ${BATCH} hit devices, over ${fmt(ROWS)} certificate,
${fmt(PROCESS_ROWS)} process and ${fmt(NETWORK_ROWS)} network rows in memory. Its \`AmmyyFiles\` let is read three
times (the file evidence, and the SHA1 list of the process and network legs). The hand loop reads each table
once. Both find ${c.subject.file} file, ${c.subject.process} process and ${c.subject.network} network evidence rows (checked).

| Run | Best of ${c.runs} |
|---|---:|
| evaluator | ${ms(c.subjectMs)} |
| hand-written loop | ${ms(c.baselineMs)} |

Ratio evaluator / hand loop: **${ratio(c.ratio)}**.`;
  },
};

export default context;
