// Preloaded into a `hunter replay` process by the end-to-end benchmark (node --import): counts the
// HTTP requests the process makes (in a replay, only the state store's, to Azurite) and, at exit,
// writes them, the process's CPU time and its peak RSS to the file named by HUNTER_E2E_PROBE.
import dc from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

const requests = {};
dc.subscribe('http.client.request.start', ({ request }) => {
  requests[request.method] = (requests[request.method] ?? 0) + 1;
});
process.on('exit', () => {
  // maxRSS is in kilobytes
  const { user, system } = process.cpuUsage();
  writeFileSync(process.env.HUNTER_E2E_PROBE, JSON.stringify({ requests, cpuMs: (user + system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
});
