// Deterministic DeviceNetworkEvents rows: 1% to remote-admin hosts (Ammyy's among them, from the
// Ammyy builds), the rest to everyday hosts. URLs come with and without scheme, port and path, as
// Defender records them.
import { AMMYY_SHA1S, DEVICES, device, hashOf, NOW, rng, SPAN_MS } from './world.js';

export const NETWORK_ROWS = 500_000;

const RMM_URLS = ['ammyy.com', 'https://rl.ammyy.com/', 'rmm.datto.com', 'https://agent.centrastage.net:443/x', 'relay.teamviewer.com', 'anydesk.com'];
const EVERYDAY_URLS = [
  'www.microsoft.com', 'login.microsoftonline.com', 'https://outlook.office365.com/owa/', 'update.googleapis.com',
  'https://www.bing.com/search?q=ammyy+admin', 'cdn.contoso-static.net', 'http://ctldl.windowsupdate.com/msdownload/update',
  'teams.events.data.microsoft.com', 'https://github.com:443/', 'slack-edge.com', '', '',
];
const EVERYDAY_PROCESSES = ['chrome.exe', 'msedge.exe', 'svchost.exe', 'Teams.exe', 'OneDrive.exe'];

export interface NetworkRow {
  Timestamp: Date;
  DeviceId: string;
  DeviceName: string;
  RemoteIP: string;
  RemotePort: number;
  RemoteUrl: string;
  InitiatingProcessSHA1: string;
  InitiatingProcessFileName: string;
  InitiatingProcessFolderPath: string;
  InitiatingProcessCommandLine: string;
  InitiatingProcessId: number;
  InitiatingProcessCreationTime: Date;
  InitiatingProcessParentFileName: string;
  InitiatingProcessAccountDomain: string;
  InitiatingProcessAccountName: string;
  InitiatingProcessAccountUpn: string;
  ReportId: number;
}

export function* generateNetwork(count = NETWORK_ROWS): Generator<NetworkRow> {
  const next = rng(7);
  for (let i = 0; i < count; i++) {
    const d = device(Math.floor(next() * DEVICES));
    const rmm = next() < 0.01;
    const url = rmm ? RMM_URLS[Math.floor(next() * RMM_URLS.length)]! : EVERYDAY_URLS[Math.floor(next() * EVERYDAY_URLS.length)]!;
    const ammyy = rmm && url.includes('ammyy');
    const exe = ammyy ? 'AA_v3.exe' : rmm ? 'agent.exe' : EVERYDAY_PROCESSES[i % EVERYDAY_PROCESSES.length]!;
    const t = NOW.getTime() - Math.floor(next() * SPAN_MS);
    const user = `user${d.index % 400}`;
    yield {
      Timestamp: new Date(t),
      DeviceId: d.id,
      DeviceName: d.name,
      RemoteIP: `203.0.${i % 250}.${(i >> 8) % 250}`,
      RemotePort: ammyy ? 5931 : 443,
      RemoteUrl: url,
      InitiatingProcessSHA1: ammyy ? AMMYY_SHA1S[d.index % AMMYY_SHA1S.length]! : hashOf(i + 7),
      InitiatingProcessFileName: exe,
      InitiatingProcessFolderPath: `C:\\Users\\${user}\\Downloads\\${exe}`,
      InitiatingProcessCommandLine: `"${exe}" -outbound`,
      InitiatingProcessId: 1000 + (d.index % 50),
      InitiatingProcessCreationTime: new Date(t - 60_000),
      InitiatingProcessParentFileName: 'explorer.exe',
      InitiatingProcessAccountDomain: 'CONTOSO',
      InitiatingProcessAccountName: user,
      InitiatingProcessAccountUpn: `${user}@contoso.com`,
      ReportId: 5_000_000 + i,
    };
  }
}
