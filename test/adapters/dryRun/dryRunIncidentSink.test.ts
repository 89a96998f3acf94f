import { describe, expect, it } from 'vitest';
import type { IncidentStatus } from '../../../src/core/model.js';
import type { DetectionSink, Logger } from '../../../src/core/ports.js';
import type { DetectionWriteResult } from '../../../src/core/detection.js';
import { DryRunIncidentSink } from '../../../src/adapters/dryRun/dryRunIncidentSink.js';
import { testDetection } from '../../support/detections.js';

class RecordingLogger implements Logger {
  readonly entries: { level: string; message: string; data: Readonly<Record<string, unknown>> | undefined }[] = [];
  info(message: string, data?: Readonly<Record<string, unknown>>) { this.entries.push({ level: 'info', message, data }); }
  warn(message: string, data?: Readonly<Record<string, unknown>>) { this.entries.push({ level: 'warn', message, data }); }
  error(message: string, data?: Readonly<Record<string, unknown>>) { this.entries.push({ level: 'error', message, data }); }
}

/** A sink that only answers status reads and fails loudly on any write. */
class ReadOnlySink implements DetectionSink {
  readonly name = 'sentinel';
  async readStatus(episodeId: string): Promise<IncidentStatus | undefined> {
    return episodeId === 'known' ? 'Active' : episodeId === 'closed' ? 'Closed' : undefined;
  }
  async write(): Promise<DetectionWriteResult[]> {
    throw new Error('dry run must not write');
  }
}

describe('DryRunIncidentSink', () => {
  it('logs the full detection and writes nothing', async () => {
    const logger = new RecordingLogger();
    const detection = testDetection({ episodeId: 'inc-1' });
    expect(await new DryRunIncidentSink(logger, new ReadOnlySink()).write([detection])).toEqual([{ outcome: 'written' }]);
    expect(logger.entries.map((entry) => entry.message)).toEqual([`dry run: would write detection ${detection.findingId} (episode inc-1, update 0)`]);
    expect(logger.entries[0]!.data).toMatchObject({ detection: { episodeId: 'inc-1', firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-21T08:30:00.000Z', text: detection.text } });
  });

  it('answers what the real sink would, from its status read, without writing', async () => {
    const sink = new DryRunIncidentSink(new RecordingLogger(), new ReadOnlySink());
    const [known, closed, reopened, gone] = await sink.write([
      testDetection({ episodeId: 'known', sequence: 1 }),
      testDetection({ episodeId: 'closed', sequence: 1 }),
      testDetection({ episodeId: 'closed', sequence: 1, reopenIfClosed: true }),
      testDetection({ episodeId: 'gone', sequence: 1 }),
    ]);
    expect(known).toEqual({ outcome: 'written', existed: true, status: 'Active' });
    expect(closed).toEqual({ outcome: 'closed', missing: false });
    expect(reopened).toEqual({ outcome: 'written', existed: true, status: 'Active', reopened: true });
    expect(gone).toEqual({ outcome: 'closed', missing: true });
  });

  it('without a real sink, answers written for everything', async () => {
    expect(await new DryRunIncidentSink(new RecordingLogger()).write([testDetection({ sequence: 3 })])).toEqual([{ outcome: 'written' }]);
  });
});
