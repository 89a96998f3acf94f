import { describe, expect, it } from 'vitest';
import type { IncidentComment, IncidentDraft, IncidentStatus } from '../../../src/core/model.js';
import type { IncidentSink, Logger } from '../../../src/core/ports.js';
import { createIncidentRenderer } from '../../../src/incidents/index.js';
import { DryRunIncidentSink } from '../../../src/adapters/dryRun/dryRunIncidentSink.js';
import { enrichedHit } from '../../support/incidentFixtures.js';
import { testRule } from '../../support/rules.js';

const rule = testRule();

class RecordingLogger implements Logger {
  readonly entries: { level: string; message: string; data: Readonly<Record<string, unknown>> | undefined }[] = [];
  info(message: string, data?: Readonly<Record<string, unknown>>) { this.entries.push({ level: 'info', message, data }); }
  warn(message: string, data?: Readonly<Record<string, unknown>>) { this.entries.push({ level: 'warn', message, data }); }
  error(message: string, data?: Readonly<Record<string, unknown>>) { this.entries.push({ level: 'error', message, data }); }
}

/** A sink that only answers status reads and fails loudly on any write. */
class ReadOnlySink implements IncidentSink {
  readonly name = 'sentinel';
  async getStatus(incidentId: string): Promise<IncidentStatus | undefined> { return incidentId === 'known' ? 'Active' : undefined; }
  async upsert(_draft: IncidentDraft): Promise<IncidentStatus> { throw new Error('dry run must not write'); }
  async addComment(_comment: IncidentComment): Promise<void> { throw new Error('dry run must not write'); }
}

const draft = createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' }).renderIncident(rule, enrichedHit(), {
  incidentId: 'inc-1', episodeStart: new Date('2026-11-20T11:00:00Z'), previousIncidentId: undefined,
});

describe('DryRunIncidentSink', () => {
  it('logs the full draft and comment and writes nothing', async () => {
    const logger = new RecordingLogger();
    const sink = new DryRunIncidentSink(logger, new ReadOnlySink());
    await sink.upsert(draft);
    await sink.addComment({ incidentId: 'inc-1', commentId: 'c-1', message: 'new evidence' });
    expect(logger.entries.map((entry) => entry.message)).toEqual([
      'dry run: would create or update incident inc-1',
      'dry run: would write comment c-1 on incident inc-1',
    ]);
    expect(logger.entries[0]!.data).toEqual({ draft: { ...draft, firstActivity: '2026-11-20T10:00:00.000Z', lastActivity: '2026-11-21T08:30:00.000Z' } });
    expect(logger.entries[1]!.data).toEqual({ comment: { incidentId: 'inc-1', commentId: 'c-1', message: 'new evidence' } });
  });

  it('answers the status a write would leave, from the real sink, without writing', async () => {
    const sink = new DryRunIncidentSink(new RecordingLogger(), new ReadOnlySink());
    expect(await sink.upsert({ ...draft, incidentId: 'known', status: 'New' })).toBe('Active');
    expect(await sink.upsert({ ...draft, status: 'New' })).toBe('New');
    expect(await new DryRunIncidentSink(new RecordingLogger()).upsert({ ...draft, status: 'New' })).toBe('New');
  });

  it('reads status through the real sink, or knows nothing without one', async () => {
    expect(await new DryRunIncidentSink(new RecordingLogger(), new ReadOnlySink()).getStatus('known')).toBe('Active');
    expect(await new DryRunIncidentSink(new RecordingLogger()).getStatus('known')).toBeUndefined();
  });
});
