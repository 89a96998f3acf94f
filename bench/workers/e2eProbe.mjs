// Preloaded into a `hunter replay` process by the end-to-end benchmark (node --import): counts the
// HTTP requests the process makes (in a replay, only the state store's, to Azurite) and, at exit,
// writes them, the process's CPU time, the time after the run, that of its finished children (Azurite, which the replay
// starts and stops; Linux only, else 0) and its peak RSS to the file named by HUNTER_E2E_PROBE.
import dc from 'node:diagnostics_channel';
import { readFileSync, writeFileSync } from 'node:fs';

const requests = {};
dc.subscribe('http.client.request.start', ({ request }) => {
  requests[request.method] = (requests[request.method] ?? 0) + 1;
});
// When the run report's last log line ('hunt finished') goes out: what follows is the replay's own
// work after the run (the alerts the analytics rule would raise over the findings, printing).
let runEndedAt;
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => {
  if (runEndedAt === undefined && String(chunk).includes('hunt finished')) runEndedAt = performance.now();
  return write(chunk, ...rest);
};

/** cutime + cstime of /proc/self/stat (fields 16 and 17, in clock ticks of 10 ms), in ms. */
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return 0;
  }
}

process.on('exit', () => {
  // maxRSS is in kilobytes
  const { user, system } = process.cpuUsage();
  writeFileSync(process.env.HUNTER_E2E_PROBE, JSON.stringify({ requests, cpuMs: (user + system) / 1000, childrenCpuMs: childrenCpuMs(), afterRunMs: runEndedAt === undefined ? 0 : performance.now() - runEndedAt, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
});
