/** Awkward devices through the whole pipeline: forbidden key characters, thousands of report ids. */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { HOUR, RecordingSink, RowsBackend, SettableClock, hunt, testRule } from '../support/hunt.js';
import type { QueryResult } from '../../src/core/model.js';
import type { ContextEnricher } from '../../src/core/ports.js';
import { runHunt } from '../../src/core/hunt.js';
import { createIncidentRenderer } from '../../src/incidents/index.js';
import { createNoExclusionsEvaluator } from '../../src/exclusions/index.js';

const az = useAzurite();
const columns = ['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count'].map((name) => ({ name, type: 'x' }));

function result(devices: { id: string; reportIds: string[] }[]): QueryResult {
  return {
    columns,
    rows: devices.map((d) => ({
      DeviceId: d.id,
      DeviceName: `${d.id}-name`,
      FirstSeen: new Date('2026-11-20T10:00:00Z'),
      LastSeen: new Date('2026-11-20T11:00:00Z'),
      Report: d.reportIds,
      Count: d.reportIds.length,
    })),
  };
}

describe('awkward devices through the pipeline', () => {
  it('device ids with forbidden key characters are created once and then unchanged', async () => {
    const { store } = await az.newStore();
    const ids = ['a/b', 'c\\d', 'e#f', 'g?h', 'tab\tid', "it's", '!watermark', '!runs', 'x~0041'];
    const backend = new RowsBackend(result(ids.map((id, i) => ({ id, reportIds: [String(i)] }))));
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    const first = await hunt({ backend, state: store, sink, clock });
    expect(first.created.map((c) => c.deviceId).sort()).toEqual([...ids].sort());
    clock.advance(HOUR);
    const second = await hunt({ backend, state: store, sink, clock });
    expect(second).toMatchObject({ unchanged: ids.length, created: [], updated: [] });
    expect(sink.incidents.size).toBe(ids.length);
    // The rule's runs partition is not mistaken for a device called "!runs", nor the reverse.
    expect((await store.loadWatermark(testRule().id))?.toISOString()).toBe(second.window.end);
  });

  it('hostile device names (40,000 characters, line and paragraph separators, a lone surrogate) are stored bounded with the rest of their batch', async () => {
    const { store } = await az.newStore();
    const names = ['x'.repeat(40_000), 'wks\u2028fin\u2029007', 'half\ud800pair', 'plain'];
    const rows = result(names.map((_, i) => ({ id: `hostile-${i}`, reportIds: [String(i)] }))).rows.map((row, i) => ({ ...row, DeviceName: names[i] }));
    const backend = new RowsBackend({ columns, rows });
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    const first = await hunt({ backend, state: store, sink, clock });
    expect(first).toMatchObject({ status: 'succeeded', parked: [], failures: [] });
    expect(first.created).toHaveLength(4);
    const stored = await store.loadDevices(testRule().id);
    expect(stored.get('hostile-0')?.state.deviceName.length).toBe(1024);
    expect(stored.get('hostile-1')?.state.deviceName).toBe('wks fin 007');
    expect(stored.get('hostile-2')?.state.deviceName).toBe('half\ufffdpair');
    clock.advance(HOUR);
    expect(await hunt({ backend, state: store, sink, clock })).toMatchObject({ unchanged: 4, created: [], updated: [] });
  });

  it('a device with 5,000 report ids: stored within limits, unchanged when re-read, updated with only the one new id', async () => {
    const { store } = await az.newStore();
    const ids = Array.from({ length: 5000 }, (_, i) => String(7_000_000_000_000 + i));
    const backend = new RowsBackend(result([{ id: 'busy', reportIds: ids }]));
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    expect((await hunt({ backend, state: store, sink, clock })).created).toHaveLength(1);
    clock.advance(HOUR);
    expect(await hunt({ backend, state: store, sink, clock })).toMatchObject({ unchanged: 1, updated: [] });
    backend.result = result([{ id: 'busy', reportIds: [...ids, '7999999999999'] }]);
    clock.advance(HOUR);
    const third = await hunt({ backend, state: store, sink, clock });
    expect(third.updated).toEqual([expect.objectContaining({ deviceId: 'busy', newReportIds: 1 })]);
    expect([...sink.comments.values()][0]?.message).toContain('7999999999999');
    const device = (await store.readDevice(testRule().id, 'busy'))!.state;
    expect(device.reported.recentReportIds.length).toBeLessThanOrEqual(1000);
    expect(device.reported.reportCount).toBeGreaterThan(4990);
  });

  it('asks the context enricher only about devices with something new', async () => {
    const { store } = await az.newStore();
    const backend = new RowsBackend(result([{ id: 'old', reportIds: ['1'] }]));
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    const asked: string[][] = [];
    const enricher: ContextEnricher = {
      async enrich(_rule, hits) {
        asked.push(hits.map((h) => h.deviceId));
        return { contexts: new Map(hits.map((h) => [h.deviceId, { files: [], activities: [] }])), failed: new Map() };
      },
    };
    const run = () =>
      runHunt(
        { backend, state: store, sink, renderer: createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' }), enricher, exclusions: createNoExclusionsEvaluator(), clock, logger: { info() {}, warn() {}, error() {} } },
        { rule: testRule(), dryRun: false, runReportRetentionDays: 30 },
      );
    await run();
    backend.result = result([{ id: 'old', reportIds: ['1'] }, { id: 'new', reportIds: ['2'] }]);
    clock.advance(HOUR);
    const second = await run();
    expect(asked).toEqual([['old'], ['new']]);
    expect(second.created.map((c) => c.deviceId)).toEqual(['new']);
  });
});
