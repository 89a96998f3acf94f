// Deterministic DeviceFileCertificateInfo rows: 1% signed by Ammyy (one of a few Ammyy builds, so
// process and network events can refer to the same files), spread over the bench's devices.
import { AMMYY_SHA1S, DEVICES, device, hashOf, NOW, rng, SPAN_MS } from './world.js';

export const ROWS = 1_000_000;

const SIGNERS = [
  'Microsoft Corporation', 'Microsoft Windows', 'Google LLC', 'Mozilla Corporation', 'Adobe Inc.', 'Oracle America, Inc.',
  'Intel(R) Corporation', 'NVIDIA Corporation', 'Zoom Video Communications, Inc.', 'Dropbox, Inc', 'NotAmmyy Software',
  'AmmyyAdmin Resellers', 'Citrix Systems, Inc.', 'VMware, Inc.', 'Cisco Systems, Inc.', 'Apple Inc.',
];

export interface CertificateRow {
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

export function* generateCertificates(count = ROWS): Generator<CertificateRow> {
  const next = rng(42);
  for (let i = 0; i < count; i++) {
    const d = device(Math.floor(next() * DEVICES));
    const ammyy = next() < 0.01;
    const signer = ammyy ? 'Ammyy LLC' : SIGNERS[Math.floor(next() * SIGNERS.length)]!;
    yield {
      Timestamp: new Date(NOW.getTime() - Math.floor(next() * SPAN_MS)),
      DeviceId: d.id,
      DeviceName: d.name,
      SHA1: ammyy ? AMMYY_SHA1S[d.index % AMMYY_SHA1S.length]! : hashOf(i),
      IsSigned: true,
      Signer: signer,
      Issuer: ammyy ? 'Sectigo RSA Code Signing CA' : 'DigiCert SHA2 Assured ID Code Signing CA',
      IsTrusted: next() < 0.98,
      ReportId: 1_000_000 + i,
    };
  }
}
