// Generated replay folders for the end-to-end benchmark (bench/benchmarks/e2e.ts): a mass deployment of
// Ammyy to N devices. Per hit device: 2 Ammyy-signed files, 1 process started from one of them,
// 2 connections of that process, 1 account in IdentityInfo; plus unrelated rows on the hit
// devices and on other devices (other signers, other processes, other connections).
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export const E2E_NOW = '2026-11-20T12:00:00Z';
const now = Date.parse(E2E_NOW);
/** Unrelated rows per hit device, in each table. */
const NOISE_PER_DEVICE = 10;

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(8, '0').repeat(Math.ceil(width / 8)).slice(0, width);
const deviceId = (i: number) => hex(i * 2654435761, 40);
const deviceName = (i: number) => `ws-${String(i).padStart(6, '0')}.corp.contoso.com`;
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();

class Lines {
  private buffer = '';
  private readonly out: WriteStream;
  constructor(path: string) {
    this.out = createWriteStream(path);
  }
  async add(row: object): Promise<void> {
    this.buffer += JSON.stringify(row) + '\n';
    if (this.buffer.length > 1 << 20) await this.flush();
  }
  private async flush(): Promise<void> {
    const text = this.buffer;
    this.buffer = '';
    if (!this.out.write(text)) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }
  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

/** Writes the folder unless one for the same size exists; returns it. */
export async function ensureE2eData(root: string, hitDevices: number): Promise<string> {
  const dir = join(root, `e2e-${hitDevices}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(hitDevices)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = new Lines(join(dir, 'DeviceFileCertificateInfo.jsonl'));
  const processes = new Lines(join(dir, 'DeviceProcessEvents.jsonl'));
  const network = new Lines(join(dir, 'DeviceNetworkEvents.jsonl'));
  const identities = new Lines(join(dir, 'IdentityInfo.jsonl'));
  let reportId = 1_000_000;

  for (let i = 0; i < hitDevices; i++) {
    const device = { DeviceId: deviceId(i), DeviceName: deviceName(i) };
    const account = `user${i}`;
    const sha1s = [hex(i * 40503 + 1, 40), hex(i * 40503 + 2, 40)];
    const minutes = 60 + (i % 5000);
    for (const [k, sha1] of sha1s.entries()) {
      await files.add({ Timestamp: at(minutes + k), ...device, SHA1: sha1, IsSigned: true, SignatureType: 'Embedded', Signer: 'Ammyy LLC', Issuer: 'DigiCert SHA2 Assured ID Code Signing CA', IsTrusted: true, ReportId: reportId++ });
    }
    const folder = `C:\\Users\\${account}\\Downloads\\AA_v3.exe`;
    const processId = 4000 + (i % 60000);
    const started = at(minutes - 1);
    await processes.add({
      Timestamp: started, ...device, ActionType: 'ProcessCreated', FileName: 'AA_v3.exe', FolderPath: folder, SHA1: sha1s[0], ProcessId: processId,
      ProcessCommandLine: '"AA_v3.exe" -outid', ProcessCreationTime: started, AccountDomain: 'CONTOSO', AccountName: account, AccountUpn: `${account}@contoso.com`,
      InitiatingProcessFileName: 'explorer.exe', InitiatingProcessId: 1200, InitiatingProcessCommandLine: 'explorer.exe', ReportId: reportId++,
    });
    for (const [k, remote] of [['203.0.113.45', 'rl.ammyy.com'], ['198.51.100.7', '']].entries()) {
      await network.add({
        Timestamp: at(minutes - 2 - k), ...device, ActionType: 'ConnectionSuccess', RemoteIP: remote[0], RemotePort: 443, RemoteUrl: remote[1], LocalIP: '10.1.0.5', LocalPort: 50000 + k, Protocol: 'Tcp',
        InitiatingProcessSHA1: sha1s[0], InitiatingProcessFileName: 'AA_v3.exe', InitiatingProcessFolderPath: folder, InitiatingProcessCommandLine: '"AA_v3.exe" -outid',
        InitiatingProcessId: processId, InitiatingProcessCreationTime: started, InitiatingProcessParentFileName: 'explorer.exe',
        InitiatingProcessAccountDomain: 'CONTOSO', InitiatingProcessAccountName: account, InitiatingProcessAccountUpn: `${account}@contoso.com`, ReportId: reportId++,
      });
    }
    await identities.add({ TimeGenerated: at(24 * 60), AccountUPN: `${account}@contoso.com`, AccountName: account, AccountDomain: 'contoso.com', GroupMembership: ['Staff'] });

    // Unrelated rows: the hit device's other software, and devices Ammyy never reached.
    for (let n = 0; n < NOISE_PER_DEVICE; n++) {
      const other = n % 2 === 0 ? device : { DeviceId: deviceId(hitDevices + i * NOISE_PER_DEVICE + n), DeviceName: deviceName(hitDevices + i * NOISE_PER_DEVICE + n) };
      const sha1 = hex(i * 977 + n * 7919 + 3, 40);
      await files.add({ Timestamp: at(minutes + n), ...other, SHA1: sha1, IsSigned: true, SignatureType: 'Embedded', Signer: 'Microsoft Corporation', Issuer: 'Microsoft Code Signing PCA', IsTrusted: true, ReportId: reportId++ });
      await processes.add({
        Timestamp: at(minutes + n), ...other, ActionType: 'ProcessCreated', FileName: 'svchost.exe', FolderPath: 'C:\\Windows\\System32\\svchost.exe', SHA1: sha1, ProcessId: 800 + n,
        ProcessCommandLine: 'svchost.exe -k netsvcs', ProcessCreationTime: at(minutes + n), AccountDomain: 'NT AUTHORITY', AccountName: 'system', AccountUpn: '',
        InitiatingProcessFileName: 'services.exe', InitiatingProcessId: 600, InitiatingProcessCommandLine: 'services.exe', ReportId: reportId++,
      });
      await network.add({
        Timestamp: at(minutes + n), ...other, ActionType: 'ConnectionSuccess', RemoteIP: '13.107.4.50', RemotePort: 443, RemoteUrl: 'update.microsoft.com', LocalIP: '10.1.0.5', LocalPort: 51000 + n, Protocol: 'Tcp',
        InitiatingProcessSHA1: sha1, InitiatingProcessFileName: 'svchost.exe', InitiatingProcessFolderPath: 'C:\\Windows\\System32\\svchost.exe', InitiatingProcessCommandLine: 'svchost.exe -k netsvcs',
        InitiatingProcessId: 800 + n, InitiatingProcessCreationTime: at(minutes + n), InitiatingProcessParentFileName: 'services.exe',
        InitiatingProcessAccountDomain: 'NT AUTHORITY', InitiatingProcessAccountName: 'system', InitiatingProcessAccountUpn: '', ReportId: reportId++,
      });
    }
  }
  await Promise.all([files.close(), processes.close(), network.close(), identities.close()]);
  writeFileSync(join(dir, 'replay.json'), JSON.stringify({ now: E2E_NOW, description: `generated: Ammyy on ${hitDevices} devices (bench/lib/e2eData.ts)` }, null, 2));
  writeFileSync(marker, String(hitDevices));
  return dir;
}
