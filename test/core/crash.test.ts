/**
 * A crash between any two steps of a run (sink → state → run report, which carries the
 * watermark) leaves state that the next run completes: no incident lost, none duplicated, no
 * comment repeated. There is no reservation step: an episode's id depends only on the device's
 * state, so the next run names the same episode whatever its window holds.
 */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';
import { CrashingStateStore, type CrashPoint } from '../support/faultyState.js';

const az = useAzurite();
const rule = testRule();

type Crash = { readonly state?: CrashPoint; readonly sink?: 'write' | 'afterWrite' };

const newDeviceCrashes: Record<string, Crash> = {
  'before the sink': { sink: 'write' },
  'between sink and state': { sink: 'afterWrite' },
  'between sink and state, in the store': { state: { method: 'writeDevices', nth: 1 } },
  'between state and run report (watermark)': { state: { method: 'appendRunReport', nth: 1 } },
};

const updateCrashes: Record<string, Crash> = {
  'before the sink': { sink: 'write' },
  'between sink (incident and comment) and state': { sink: 'afterWrite' },
  'between sink and state, in the store': { state: { method: 'writeDevices', nth: 1 } },
  'between state and run report (watermark)': { state: { method: 'appendRunReport', nth: 1 } },
};

async function setup() {
  const { store } = await az.newStore();
  const backend = new EventBackend();
  const sink = new RecordingSink();
  const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
  return { store, backend, sink, clock };
}

async function assertSettled(ctx: Awaited<ReturnType<typeof setup>>, devices: string[], expectedReportCount: Record<string, number>) {
  const { store, sink } = ctx;
  for (const deviceId of devices) expect(sink.incidentsFor(deviceId), deviceId).toHaveLength(1);
  const state = await store.loadDevices(rule.id);
  for (const deviceId of devices) {
    const device = state.get(deviceId)?.state;
    expect(sink.incidents.has(device!.episode!.episodeId)).toBe(true);
    expect(device?.reported.reportCount, deviceId).toBe(expectedReportCount[deviceId]);
  }
  // And a further run has nothing left to do.
  const callsBefore = sink.calls.length;
  ctx.clock.advance(HOUR);
  const after = await hunt({ backend: ctx.backend, state: store, sink, clock: ctx.clock, rule });
  expect(after.created).toEqual([]);
  expect(after.updated).toEqual([]);
  expect(sink.calls.length).toBe(callsBefore);
}

describe('crash between steps', () => {
  for (const [name, crash] of Object.entries(newDeviceCrashes)) {
    it(`new devices, crash ${name}`, async () => {
      const ctx = await setup();
      ctx.backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1), event('dev2', '2026-11-20T11:10:00Z', 2), event('dev2', '2026-11-20T11:20:00Z', 3));
      ctx.sink.failNext = crash.sink;
      await expect(hunt({ ...ctx, state: new CrashingStateStore(ctx.store, crash.state), rule })).rejects.toThrow(/injected/);
      // The next run, an hour later: a new event for dev1, and a late-arriving older one for
      // dev2 that moves its first activity earlier (the episode id does not depend on it).
      ctx.clock.advance(HOUR);
      ctx.backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 4), event('dev2', '2026-11-20T11:05:00Z', 5));
      const next = await hunt({ ...ctx, state: ctx.store, rule });
      expect(next.status).toBe('succeeded');
      await assertSettled(ctx, ['dev1', 'dev2'], { dev1: 2, dev2: 3 });
    });
  }

  for (const [name, crash] of Object.entries(updateCrashes)) {
    it(`update of an open incident, crash ${name}`, async () => {
      const ctx = await setup();
      ctx.backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1));
      await hunt({ ...ctx, state: ctx.store, rule });
      ctx.clock.advance(HOUR);
      ctx.backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 2));
      ctx.sink.failNext = crash.sink;
      await expect(hunt({ ...ctx, state: new CrashingStateStore(ctx.store, crash.state), rule })).rejects.toThrow(/injected/);
      ctx.clock.advance(HOUR);
      const next = await hunt({ ...ctx, state: ctx.store, rule });
      expect(next.status).toBe('succeeded');
      expect(ctx.sink.comments.size).toBe(1);
      expect([...ctx.sink.comments.values()][0]?.message).toContain('2');
      await assertSettled(ctx, ['dev1'], { dev1: 2 });
    });
  }

  it('a failed hit fails the run without moving the watermark, and hits already done are not redone', async () => {
    const ctx = await setup();
    ctx.backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1), event('dev2', '2026-11-20T11:00:00Z', 2));
    // dev2's write fails for a reason a retry may fix (a 5xx after the SDK's own retries).
    ctx.sink.answer = (d) => (d.device.id === 'dev2' && ctx.sink.calls.length <= 2 ? { outcome: 'failed', message: 'HTTP 503', permanent: false } : undefined);
    const failed = await hunt({ ...ctx, state: ctx.store, rule }).catch((error: { report?: unknown }) => error.report);
    expect(failed).toMatchObject({ status: 'failed', failures: [{ deviceId: 'dev2', step: 'sink' }] });
    expect(await ctx.store.loadWatermark(rule.id)).toBeUndefined();
    const writesBefore = ctx.sink.calls.length;
    ctx.clock.advance(HOUR);
    const next = await hunt({ ...ctx, state: ctx.store, rule });
    expect(next.created).toHaveLength(1);
    expect(next.unchanged).toBe(1);
    expect(ctx.sink.calls.length).toBe(writesBefore + 1);
    expect((await ctx.store.listRunReports(rule.id, 5)).map((r) => r.status)).toEqual(['succeeded', 'failed']);
  });
});
