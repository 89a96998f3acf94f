/**
 * The file sink's disk work is linear in what a run writes (a 1,000-device replay spent 358 of its 366 s reading and
 * rewriting incidents.jsonl when every write did it whole). node:fs is wrapped to count, per file, the whole-file
 * reads, the write calls and the bytes written (an atomic rewrite's temporary file counts for its target): counts,
 * never timings.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FileSink } from '../../../src/adapters/local/fileSink.js';
import { findingIdFor } from '../../../src/core/ids.js';
import type { Detection } from '../../../src/core/detection.js';
import { testDetection } from '../../support/detections.js';

interface FileIo {
  reads: number;
  writeCalls: number;
  bytes: number;
}

const io = vi.hoisted(() => ({ files: new Map<string, FileIo>(), fds: new Map<number, string>() }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  // `.incidents.jsonl.<pid>.<hex>.tmp` (writeFileAtomic's temporary file) is written for incidents.jsonl.
  const target = (file: unknown) => path.basename(String(file)).replace(/^\.(.+)\.\d+\.[0-9a-f]+\.tmp$/, '$1');
  const entry = (file: unknown) => {
    const name = target(file);
    if (!io.files.has(name)) io.files.set(name, { reads: 0, writeCalls: 0, bytes: 0 });
    return io.files.get(name)!;
  };
  const wrapped = {
    openSync: ((file: string, ...rest: unknown[]) => {
      const fd = (fs.openSync as (...args: unknown[]) => number)(file, ...rest);
      io.fds.set(fd, file);
      return fd;
    }) as typeof fs.openSync,
    writeSync: ((fd: number, data: string | Uint8Array, ...rest: unknown[]) => {
      const counted = entry(io.fds.get(fd));
      counted.writeCalls += 1;
      counted.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      return (fs.writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    }) as typeof fs.writeSync,
    readFileSync: ((file: string, ...rest: unknown[]) => {
      entry(file).reads += 1;
      return (fs.readFileSync as (...args: unknown[]) => unknown)(file, ...rest);
    }) as typeof fs.readFileSync,
    writeFileSync: ((file: string, data: string, ...rest: unknown[]) => {
      const counted = entry(file);
      counted.writeCalls += 1;
      counted.bytes += Buffer.byteLength(data);
      return (fs.writeFileSync as (...args: unknown[]) => void)(file, data, ...rest);
    }) as typeof fs.writeFileSync,
  };
  return { ...fs, ...wrapped, default: { ...fs, ...wrapped } };
});

const clock = { now: () => new Date('2026-11-20T12:00:00Z') };
const base = testDetection();
const BATCH = 100;

/** Device `index`'s detection `sequence` (its update comment when sequence > 0), without rendering each one again. */
function detection(index: number, sequence: number): Detection {
  const episodeId = `episode-${String(index).padStart(5, '0')}`;
  return {
    ...base,
    episodeId,
    findingId: findingIdFor(episodeId, sequence),
    sequence,
    reason: sequence === 0 ? 'newDevice' : 'update',
    lastSeen: new Date(base.lastSeen.getTime() + sequence * 3_600_000),
    device: { id: `${String(index).padStart(8, '0')}${'ab'.repeat(16)}`, name: `wks-${index}.contoso.local` },
    text: { ...base.text, updateComment: sequence === 0 ? undefined : `New report id ${index}-${sequence}.` },
  };
}

/** One run: `devices` new episodes, then an update of each (later activity), written 100 per batch as the core does. */
async function run(sink: FileSink, devices: number): Promise<void> {
  for (const sequence of [0, 1]) {
    for (let start = 0; start < devices; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, devices - start) }, (_, offset) => detection(start + offset, sequence));
      const results = await sink.write(batch);
      expect(results.every((result) => result.outcome === 'written')).toBe(true);
    }
  }
}

const counted = (file: string): FileIo => io.files.get(file) ?? { reads: 0, writeCalls: 0, bytes: 0 };

beforeEach(() => {
  io.files.clear();
});

describe('the file sink writes in proportion to what a run writes', () => {
  it.each([400, 800])('%i devices, created then updated in batches of 100: each file read at most once, one append per batch, each incident written twice', async (devices) => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'file-sink-writes-')), 'out');
    const sink = new FileSink(out, { clock, defenderPortalUrl: 'https://security.microsoft.com' });
    await run(sink, devices);
    const batches = (2 * devices) / BATCH;

    const incidents = counted('incidents.jsonl');
    expect(incidents.reads).toBeLessThanOrEqual(1);
    expect(incidents.writeCalls).toBe(batches);
    // Every incident appended twice (created, updated), nothing rewritten: rewriting the file per batch would be
    // about (batches / 2) times what it holds.
    const current = sink.incidents.readIncidents();
    expect(current).toHaveLength(devices);
    expect(current.every((incident) => incident.lastActivity === detection(0, 1).lastSeen.toISOString())).toBe(true);
    const held = Buffer.byteLength(current.map((incident) => JSON.stringify(incident) + '\n').join(''));
    expect(incidents.bytes).toBeLessThanOrEqual(2 * held + 2 * devices);

    const comments = counted('comments.jsonl');
    expect(comments.reads).toBeLessThanOrEqual(1);
    expect(comments.writeCalls).toBe(batches / 2);
    expect(comments.bytes).toBe(statSync(path.join(out, 'comments.jsonl')).size);

    const findings = counted('AmmyyHunterFindings_CL.jsonl');
    expect(findings.reads).toBe(0);
    expect(findings.writeCalls).toBe(batches);
    expect(findings.bytes).toBe(statSync(sink.findingsTable.file).size);
  });

  it('the next run reads each file once and compacts it to one line per incident with one atomic rewrite', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'file-sink-writes-')), 'out');
    await run(new FileSink(out, { clock, defenderPortalUrl: 'https://security.microsoft.com' }), 500);
    const before = statSync(path.join(out, 'incidents.jsonl')).size;
    io.files.clear();

    const next = new FileSink(out, { clock, defenderPortalUrl: 'https://security.microsoft.com' });
    expect(await next.readStatus(detection(7, 0).episodeId)).toBe('New');
    expect(next.incidents.readIncidents()).toHaveLength(500);
    expect(counted('incidents.jsonl')).toMatchObject({ reads: 1, writeCalls: 1 });
    expect(counted('comments.jsonl')).toMatchObject({ reads: 0, writeCalls: 0 });
    const lines = readFileSync(path.join(out, 'incidents.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(500);
    expect(counted('incidents.jsonl').bytes).toBe(statSync(path.join(out, 'incidents.jsonl')).size);
    expect(counted('incidents.jsonl').bytes).toBeLessThan(before);
  });
});
