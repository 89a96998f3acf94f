/**
 * The hunt tells an optional progress port how far it has got (issue 14: a long replay shows
 * devices enriched and incidents written): each phase begins with its total and its advances
 * add up to that total, whatever the batch sizes.
 */
import { describe, expect, it } from 'vitest';
import { useAzurite, uniqueTableName } from '../support/azurite.js';
import { RecordingSink, RowsBackend, SettableClock, hitRows, silentLogger, testRule } from '../support/hunt.js';
import { runHunt } from '../../src/core/hunt.js';
import { createIncidentRenderer } from '../../src/incidents/index.js';
import { createNoExclusionsEvaluator } from '../../src/exclusions/index.js';
import { TableStateStore } from '../../src/adapters/table/tableStateStore.js';
import type { ContextEnricher, HuntPhase, HuntProgress } from '../../src/core/ports.js';

const az = useAzurite();

/** Answers in batches of 40 devices, as a batching enricher does. */
const batchingEnricher: ContextEnricher = {
  async enrich(_rule, hitList, _window, progress) {
    for (let done = 0; done < hitList.length; done += 40) progress?.(Math.min(40, hitList.length - done));
    return { contexts: new Map(), failed: new Map() };
  },
};

class RecordingProgress implements HuntProgress {
  readonly events: { phase: HuntPhase; kind: 'begin' | 'advance'; n: number }[] = [];
  begin(phase: HuntPhase, total: number): void {
    this.events.push({ phase, kind: 'begin', n: total });
  }
  advance(phase: HuntPhase, done: number): void {
    this.events.push({ phase, kind: 'advance', n: done });
  }
  summary(phase: HuntPhase): { total: number | undefined; done: number; advances: number } {
    const own = this.events.filter((e) => e.phase === phase);
    const advances = own.filter((e) => e.kind === 'advance');
    return { total: own.find((e) => e.kind === 'begin')?.n, done: advances.reduce((sum, e) => sum + e.n, 0), advances: advances.length };
  }
}

describe('hunt progress', () => {
  it('begins each phase with its total and advances to it: 250 devices enriched in batches, written in batches of 100', async () => {
    const progress = new RecordingProgress();
    const report = await runHunt(
      {
        backend: new RowsBackend(hitRows(250)),
        state: await TableStateStore.open(az.tableClient(uniqueTableName())),
        sink: new RecordingSink(),
        renderer: createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' }),
        enricher: batchingEnricher,
        exclusions: createNoExclusionsEvaluator(),
        clock: new SettableClock(new Date('2026-11-20T12:00:00Z')),
        logger: silentLogger,
        progress,
      },
      { rule: testRule({ contextQuery: 'unused' }), dryRun: false, runReportRetentionDays: 30 },
    );
    expect(report.created).toHaveLength(250);
    expect(progress.summary('enrich')).toEqual({ total: 250, done: 250, advances: 7 });
    expect(progress.summary('write')).toEqual({ total: 250, done: 250, advances: 3 });
    // Enrichment finishes before writing starts.
    const firstWrite = progress.events.findIndex((e) => e.phase === 'write');
    expect(progress.events.slice(firstWrite).every((e) => e.phase === 'write')).toBe(true);
  });

  it('logs one line per batch of written detections, not one per device (a mass deployment writes thousands)', async () => {
    const lines: { message: string; fields?: Record<string, unknown> }[] = [];
    const logger = { info: (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields }), warn: () => undefined, error: () => undefined };
    const report = await runHunt(
      {
        backend: new RowsBackend(hitRows(250)),
        state: await TableStateStore.open(az.tableClient(uniqueTableName())),
        sink: new RecordingSink(),
        renderer: createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' }),
        enricher: undefined,
        exclusions: createNoExclusionsEvaluator(),
        clock: new SettableClock(new Date('2026-11-20T12:00:00Z')),
        logger,
      },
      { rule: testRule(), dryRun: false, runReportRetentionDays: 30 },
    );
    expect(report.created).toHaveLength(250);
    const written = lines.filter((line) => line.message.startsWith('detections written'));
    expect(written.map((line) => line.message)).toEqual(['detections written: 100 created, 0 updated', 'detections written: 100 created, 0 updated', 'detections written: 50 created, 0 updated']);
    expect(written[0]?.fields).toMatchObject({ devices: expect.any(Array), more: 95 });
    expect(lines.filter((line) => /detection (created|updated)/.test(line.message))).toEqual([]);
  });
});
