// Deterministic benchmark data: DeviceFileCertificateInfo rows, 1% signed by Ammyy, a few thousand devices.
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const ROWS = 1_000_000;
export const DEVICES = 3_000;
export const NOW = new Date('2026-11-22T00:00:00.000Z');
const SPAN_MS = 7 * 86_400_000; // rows spread over 7 days; the query window is 5

const SIGNERS = [
  'Microsoft Corporation', 'Microsoft Windows', 'Google LLC', 'Mozilla Corporation', 'Adobe Inc.', 'Oracle America, Inc.',
  'Intel(R) Corporation', 'NVIDIA Corporation', 'Zoom Video Communications, Inc.', 'Dropbox, Inc', 'NotAmmyy Software',
  'AmmyyAdmin Resellers', 'Citrix Systems, Inc.', 'VMware, Inc.', 'Cisco Systems, Inc.', 'Apple Inc.',
];

/** xorshift32: the same data on every run and machine. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export interface BenchRow {
  Timestamp: Date;
  DeviceId: string;
  DeviceName: string;
  SHA1: string;
  IsSigned: boolean;
  Signer: string;
  Issuer: string;
  IsTrusted: boolean;
  ReportId: number;
}

export function* generateRows(count = ROWS): Generator<BenchRow> {
  const next = rng(42);
  const deviceIds = Array.from({ length: DEVICES }, (_, i) => `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}${'0'.repeat(32)}`.slice(0, 40));
  const deviceNames = Array.from({ length: DEVICES }, (_, i) => `ws-${String(i).padStart(5, '0')}.corp.contoso.com`);
  for (let i = 0; i < count; i++) {
    const d = Math.floor(next() * DEVICES);
    const ammyy = next() < 0.01;
    const signer = ammyy ? 'Ammyy LLC' : SIGNERS[Math.floor(next() * SIGNERS.length)]!;
    yield {
      Timestamp: new Date(NOW.getTime() - Math.floor(next() * SPAN_MS)),
      DeviceId: deviceIds[d]!,
      DeviceName: deviceNames[d]!,
      SHA1: (i * 2246822519 >>> 0).toString(16).padStart(8, '0').repeat(5),
      IsSigned: true,
      Signer: signer,
      Issuer: ammyy ? 'Sectigo RSA Code Signing CA' : 'DigiCert SHA2 Assured ID Code Signing CA',
      IsTrusted: next() < 0.98,
      ReportId: 1_000_000 + i,
    };
  }
}

/** Writes the JSONL file unless an up-to-date one exists. */
export async function ensureJsonl(path: string, count = ROWS): Promise<void> {
  const marker = `${path}.rows`;
  if (existsSync(path) && existsSync(marker) && readFileSync(marker, 'utf8') === String(count)) return;
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let buf = '';
  for (const r of generateRows(count)) {
    buf += JSON.stringify({ ...r, Timestamp: r.Timestamp.toISOString() }) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  writeFileSync(marker, String(count));
}
