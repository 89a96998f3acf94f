// The benchmarks' synthetic estate: devices, time span and a few Ammyy builds, the same on every run.
export const NOW = new Date('2026-11-22T00:00:00.000Z');
/** rows are spread over 7 days; the rules' window keeps 5 */
export const SPAN_MS = 7 * 86_400_000;
export const DEVICES = 3_000;

/** SHA1s of the Ammyy builds: certificate, process and network rows share them. */
export const AMMYY_SHA1S = ['a1', 'b2', 'c3', 'd4'].map((s) => s.repeat(20));

/** xorshift32: the same data on every run and machine. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export interface Device {
  readonly index: number;
  readonly id: string;
  readonly name: string;
}

const devices: Device[] = Array.from({ length: DEVICES }, (_, i) => ({
  index: i,
  id: `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}${'0'.repeat(32)}`.slice(0, 40),
  name: `ws-${String(i).padStart(5, '0')}.corp.contoso.com`,
}));

export function device(index: number): Device {
  return devices[index]!;
}

/** A 40-hex-digit hash for row i. */
export function hashOf(i: number): string {
  return (i * 2246822519 >>> 0).toString(16).padStart(8, '0').repeat(5);
}
