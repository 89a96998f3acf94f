// Deterministic DeviceProcessEvents rows: 2% are Ammyy processes started from the Ammyy builds.
import { AMMYY_SHA1S, DEVICES, device, hashOf, NOW, rng, SPAN_MS } from './world.js';

export const PROCESS_ROWS = 300_000;

const EVERYDAY = ['chrome.exe', 'svchost.exe', 'powershell.exe', 'cmd.exe', 'OneDrive.exe', 'WINWORD.EXE'];

export interface ProcessRow {
  Timestamp: Date;
  DeviceId: string;
  DeviceName: string;
  SHA1: string;
  FileName: string;
  FolderPath: string;
  ProcessCommandLine: string;
  ProcessId: number;
  ProcessCreationTime: Date;
  InitiatingProcessFileName: string;
  AccountDomain: string;
  AccountName: string;
  AccountUpn: string;
  ReportId: number;
}

export function* generateProcesses(count = PROCESS_ROWS): Generator<ProcessRow> {
  const next = rng(11);
  for (let i = 0; i < count; i++) {
    const d = device(Math.floor(next() * DEVICES));
    const ammyy = next() < 0.02;
    const exe = ammyy ? 'AA_v3.exe' : EVERYDAY[i % EVERYDAY.length]!;
    const t = NOW.getTime() - Math.floor(next() * SPAN_MS);
    const user = `user${d.index % 400}`;
    yield {
      Timestamp: new Date(t),
      DeviceId: d.id,
      DeviceName: d.name,
      SHA1: ammyy ? AMMYY_SHA1S[d.index % AMMYY_SHA1S.length]! : hashOf(i + 3),
      FileName: exe,
      FolderPath: `C:\\Users\\${user}\\Downloads\\${exe}`,
      ProcessCommandLine: `"${exe}" ${ammyy ? '-service' : ''}`,
      ProcessId: 2000 + (i % 5000),
      ProcessCreationTime: new Date(t),
      InitiatingProcessFileName: 'explorer.exe',
      AccountDomain: 'CONTOSO',
      AccountName: user,
      AccountUpn: `${user}@contoso.com`,
      ReportId: 8_000_000 + i,
    };
  }
}
