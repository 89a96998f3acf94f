/** Windows bound from the watermark: outages, overlaps and late-arriving events. */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { DAY, EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';

const az = useAzurite();
const MINUTE = 60_000;
// The expected windows below end 10 minutes before now.
const rule = testRule({ window: { overlapMs: HOUR, ingestionDelayMs: 10 * MINUTE } });

async function setup(maxLookbackMs?: number) {
  const { store } = await az.newStore();
  return { store, backend: new EventBackend(maxLookbackMs), sink: new RecordingSink(), clock: new SettableClock(new Date('2026-11-01T12:00:00Z')) };
}

describe('hunt windows', () => {
  it('binds the window into the query it sends: the rule period on every run, the watermark only after an outage', async () => {
    const { store, backend, sink, clock } = await setup();
    const first = await hunt({ backend, state: store, sink, clock, rule });
    expect(first.window).toMatchObject({ start: '2026-10-27T12:00:00.000Z', end: '2026-11-01T11:50:00.000Z', firstRun: true, cappedBy: 'queryPeriod' });
    expect(backend.requests[0]?.query).toContain('let Time_start = datetime(2026-10-27T12:00:00.000Z);');
    expect(backend.requests[0]?.query).toContain('let Time_end = datetime(2026-11-01T11:50:00.000Z);');
    expect(backend.requests[0]?.purpose).toBe('hunt');
    clock.advance(HOUR);
    const second = await hunt({ backend, state: store, sink, clock, rule });
    expect(second.window).toMatchObject({ start: '2026-10-27T13:00:00.000Z', end: '2026-11-01T12:50:00.000Z', firstRun: false });
    expect(second.watermark).toBe('2026-11-01T12:50:00.000Z');
  });

  it('after a 12-day outage, covers the whole gap and says so', async () => {
    const { store, backend, sink, clock } = await setup(30 * DAY);
    await hunt({ backend, state: store, sink, clock, rule });
    backend.events.push(event('gap-early', '2026-11-03T08:00:00Z', 1), event('gap-late', '2026-11-12T08:00:00Z', 2));
    clock.advance(12 * DAY);
    const report = await hunt({ backend, state: store, sink, clock, rule });
    expect(report.window.start).toBe('2026-11-01T10:50:00.000Z');
    expect(report.window.outageMs).toBe(12 * DAY + 10 * MINUTE); // since the watermark (now - ingestion delay)
    expect(report.window.uncovered).toBeUndefined();
    expect(report.warnings.join('\n')).toMatch(/covers the whole gap/);
    expect(report.created.map((c) => c.deviceId).sort()).toEqual(['gap-early', 'gap-late']);
  });

  it('after an outage longer than the backend can reach, hunts what it can and reports the rest as uncovered', async () => {
    const { store, backend, sink, clock } = await setup(30 * DAY);
    await hunt({ backend, state: store, sink, clock, rule });
    backend.events.push(event('reachable', '2026-11-30T08:00:00Z', 1));
    clock.advance(40 * DAY);
    const report = await hunt({ backend, state: store, sink, clock, rule });
    expect(report.window).toMatchObject({ start: '2026-11-11T12:10:00.000Z', cappedBy: 'backendLookback', uncovered: { start: '2026-11-01T11:50:00.000Z', end: '2026-11-11T12:10:00.000Z' } });
    expect(report.warnings.join('\n')).toMatch(/never hunted/);
    expect(report.created.map((c) => c.deviceId)).toEqual(['reachable']);
  });

  it('never moves the watermark back when a run\'s clock is behind it', async () => {
    const { store, backend, sink, clock } = await setup();
    const first = await hunt({ backend, state: store, sink, clock, rule });
    clock.advance(-DAY);
    const earlier = await hunt({ backend, state: store, sink, clock, rule });
    expect(earlier.watermark).toBe(first.watermark);
    expect((await store.loadWatermark(rule.id))?.toISOString()).toBe(first.watermark);
  });

  it('finds an event that arrives four days after its Timestamp (a laptop back online)', async () => {
    const { store, backend, sink, clock } = await setup();
    await hunt({ backend, state: store, sink, clock, rule });
    clock.advance(4 * DAY);
    // Uploaded now, stamped four days ago: long before the last window ended.
    backend.events.push(event('offline-laptop', new Date(clock.now().getTime() - 4 * DAY + HOUR), 7));
    const report = await hunt({ backend, state: store, sink, clock, rule });
    expect(report.created.map((c) => c.deviceId)).toEqual(['offline-laptop']);
  });

  it('hourly runs with overlapping windows and late events keep counts exact and report each id once', async () => {
    const { store, backend, sink, clock } = await setup();
    const start = clock.now().getTime();
    const allIds: string[] = [];
    let id = 100;
    const addEvent = (at: number) => {
      const reportId = String(id++);
      allIds.push(reportId);
      backend.events.push(event('dev1', new Date(at), reportId));
    };
    addEvent(start - 30 * MINUTE);
    await hunt({ backend, state: store, sink, clock, rule });
    for (let run = 1; run <= 6; run++) {
      // One event inside the new part of the window, one late event inside the overlap.
      addEvent(clock.now().getTime() + 20 * MINUTE);
      addEvent(clock.now().getTime() - 20 * MINUTE - 10 * MINUTE);
      clock.advance(HOUR);
      const report = await hunt({ backend, state: store, sink, clock, rule });
      expect(report.updated).toEqual([expect.objectContaining({ newReportIds: 2 })]);
    }
    const device = (await store.readDevice(rule.id, 'dev1'))!.state;
    expect(device.reported.reportCount).toBe(allIds.length);
    expect(sink.incidents.size).toBe(1);
    // Each id appears in exactly one comment (or in the incident's first run).
    const mentioned = [...sink.comments.values()].flatMap((c) => allIds.filter((rid) => c.message.includes(rid)));
    expect(mentioned.sort()).toEqual(allIds.slice(1).sort());
    // A seventh run with nothing new changes nothing.
    clock.advance(HOUR);
    const quiet = await hunt({ backend, state: store, sink, clock, rule });
    expect(quiet).toMatchObject({ unchanged: 1, updated: [], created: [] });
  });
});
