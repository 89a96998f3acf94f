/**
 * A crash between any two steps of a run (reserve → incident → comment → state → watermark →
 * run report) leaves state that the next run completes: no incident lost, none duplicated,
 * no comment repeated.
 */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';
import { CrashingStateStore, type CrashPoint } from '../support/faultyState.js';

const az = useAzurite();
const rule = testRule();

type Crash = { readonly state?: CrashPoint; readonly sink?: 'upsert' | 'addComment' };

const newDeviceCrashes: Record<string, Crash> = {
  'before the reservation': { state: { method: 'writeDevices', nth: 1 } },
  'between reservation and incident': { sink: 'upsert' },
  'between incident and state': { state: { method: 'writeDevices', nth: 2 } },
  'between state and watermark': { state: { method: 'advanceWatermark', nth: 1 } },
  'between watermark and run report': { state: { method: 'appendRunReport', nth: 1 } },
};

const updateCrashes: Record<string, Crash> = {
  'between incident update and comment': { sink: 'addComment' },
  'between comment and state': { state: { method: 'writeDevices', nth: 1 } },
  'between state and watermark': { state: { method: 'advanceWatermark', nth: 1 } },
  'between watermark and run report': { state: { method: 'appendRunReport', nth: 1 } },
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
  const state = await store.loadRule(rule.id);
  for (const deviceId of devices) {
    const device = state.devices.get(deviceId)?.state;
    expect(device?.episode?.incidentWritten, deviceId).toBe(true);
    expect(sink.incidents.has(device!.episode!.incidentId)).toBe(true);
    expect(device?.evidence.reportCount, deviceId).toBe(expectedReportCount[deviceId]);
  }
  // And a further run has nothing left to do.
  const callsBefore = sink.calls.filter((c) => c.op !== 'getStatus').length;
  ctx.clock.advance(HOUR);
  const after = await hunt({ backend: ctx.backend, state: store, sink, clock: ctx.clock, rule });
  expect(after.created).toEqual([]);
  expect(after.updated).toEqual([]);
  expect(sink.calls.filter((c) => c.op !== 'getStatus').length).toBe(callsBefore);
}

describe('crash between steps', () => {
  for (const [name, crash] of Object.entries(newDeviceCrashes)) {
    it(`new devices, crash ${name}`, async () => {
      const ctx = await setup();
      ctx.backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1), event('dev2', '2026-11-20T11:10:00Z', 2), event('dev2', '2026-11-20T11:20:00Z', 3));
      ctx.sink.failNext = crash.sink;
      await expect(hunt({ ...ctx, state: new CrashingStateStore(ctx.store, crash.state), rule })).rejects.toThrow(/injected/);
      // The next run, an hour later: a new event for dev1, and a late-arriving older one for
      // dev2 that moves its first activity earlier (the reservation keeps the incident id).
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
    ctx.sink.failNext = 'upsert';
    const failed = await hunt({ ...ctx, state: ctx.store, rule }).catch((error: { report?: unknown }) => error.report);
    expect(failed).toMatchObject({ status: 'failed', failures: [{ step: 'incident' }] });
    expect((await ctx.store.loadRule(rule.id)).watermark).toBeUndefined();
    const upsertsBefore = ctx.sink.calls.filter((c) => c.op === 'upsert').length;
    ctx.clock.advance(HOUR);
    const next = await hunt({ ...ctx, state: ctx.store, rule });
    expect(next.created).toHaveLength(1);
    expect(next.unchanged).toBe(1);
    expect(ctx.sink.calls.filter((c) => c.op === 'upsert').length).toBe(upsertsBefore + 1);
    expect((await ctx.store.listRunReports(rule.id, 5)).map((r) => r.status)).toEqual(['succeeded', 'failed']);
  });
});
