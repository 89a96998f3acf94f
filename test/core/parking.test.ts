/**
 * Issue 11.7 and 11.2: one device whose detection cannot be written for good must not hold the
 * others back. A sink answer that retrying cannot fix (a 4xx other than 408/409/412/429), or a
 * device entity the store refuses, parks that device: the rest are raised, the watermark moves, the
 * run report and `hunter runs` say so, and the device is retried with backoff until it goes
 * through or is given up. A parked detection keeps its evidence in state, so it is retried even
 * after its evidence has left the hunt window.
 */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { DAY, EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';
import type { DeviceWrite, DeviceWriteResult, StateStore } from '../../src/core/ports.js';
import { CrashingStateStore } from '../support/faultyState.js';
import { PARK_ATTEMPTS } from '../../src/core/parking.js';

const az = useAzurite();
const rule = testRule();
const refused = { outcome: 'failed', message: 'HTTP 400 BadRequest: the incident title is not valid', permanent: true } as const;

async function setup() {
  const { store } = await az.newStore();
  const backend = new EventBackend();
  const sink = new RecordingSink();
  const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
  const run = (state: StateStore = store) => hunt({ backend, state, sink, clock, rule });
  return { store, backend, sink, clock, run };
}

describe('a detection the sink refuses for good', () => {
  it('parks that device, raises the others and moves the watermark; the report says when it is tried again', async () => {
    const { store, backend, sink, run } = await setup();
    backend.events.push(event('good1', '2026-11-20T10:00:00Z', 1), event('poison', '2026-11-20T10:00:00Z', 2), event('good2', '2026-11-20T10:00:00Z', 3));
    sink.answer = (d) => (d.device.id === 'poison' ? refused : undefined);
    const report = await run();
    expect(report.status).toBe('succeeded');
    expect(report.created.map((c) => c.deviceId).sort()).toEqual(['good1', 'good2']);
    expect(report.failures).toEqual([]);
    expect(report.parked).toEqual([
      expect.objectContaining({ deviceId: 'poison', step: 'sink', attempts: 1, givenUp: false, state: 'parked', since: '2026-11-20T12:00:00.000Z', nextAttemptAt: '2026-11-20T13:00:00.000Z', message: expect.stringMatching(/HTTP 400/) }),
    ]);
    expect(report.watermark).toBe(report.window.end);
    expect((await store.loadWatermark(rule.id))?.toISOString()).toBe(report.window.end);
    // The device's evidence is kept with the parked record: a retry needs no hit.
    const poison = (await store.readDevice(rule.id, 'poison'))!.state;
    expect(poison.parked).toMatchObject({ step: 'sink', attempts: 1 });
    expect(poison.episode?.evidence.reportIds).toEqual(['2']);
  });

  it('waits for the backoff, then retries the same detection (same finding id) even once its evidence left the window', async () => {
    const { backend, sink, clock, run } = await setup();
    backend.events.push(event('poison', '2026-11-20T10:00:00Z', 2));
    sink.answer = () => refused;
    await run();
    const findingId = sink.calls[0]!.id;
    clock.advance(30 * 60_000);
    const waiting = await run();
    expect(waiting.parked).toEqual([expect.objectContaining({ deviceId: 'poison', state: 'waiting', attempts: 1 })]);
    expect(sink.calls).toHaveLength(1);
    // Six days later the event is out of every window; the sink is fixed.
    clock.advance(6 * DAY);
    sink.answer = undefined;
    const retried = await run();
    expect(retried.hits).toBe(0);
    expect(retried.created).toEqual([expect.objectContaining({ deviceId: 'poison', findingId })]);
    expect(retried.parked).toEqual([]);
    expect(sink.incidentsFor('poison')).toHaveLength(1);
  });

  it('doubles the wait after each failed attempt and gives up after the limit, until new evidence arrives', async () => {
    const { backend, sink, clock, run } = await setup();
    backend.events.push(event('poison', '2026-11-20T10:00:00Z', 2));
    sink.answer = () => refused;
    const waits: number[] = [];
    let report = await run();
    for (let attempt = 1; attempt < PARK_ATTEMPTS; attempt++) {
      const next = Date.parse(report.parked[0]!.nextAttemptAt!);
      waits.push((next - clock.now().getTime()) / HOUR);
      clock.set(new Date(next));
      report = await run();
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 24, 24]);
    expect(report.parked).toEqual([expect.objectContaining({ deviceId: 'poison', attempts: PARK_ATTEMPTS, givenUp: true, since: '2026-11-20T12:00:00.000Z' })]);
    expect(report.warnings.join('\n')).toMatch(/1 device\(s\) parked, 1 given up/);
    const calls = sink.calls.length;
    clock.advance(2 * DAY);
    expect((await run()).parked).toEqual([expect.objectContaining({ state: 'givenUp' })]);
    expect(sink.calls).toHaveLength(calls);
    // New evidence tries once more; the sink takes it now.
    sink.answer = undefined;
    backend.events.push(event('poison', new Date(clock.now().getTime() - HOUR), 9));
    const raised = await run();
    // Its first detection, at last: report id 2 was kept with the parked record, 9 is this run's.
    expect(raised.created).toEqual([expect.objectContaining({ deviceId: 'poison', sequence: 0, newReportIds: 1 })]);
    expect(sink.detections.at(-1)?.reportIds.items).toEqual(['2', '9']);
    expect(raised.parked).toEqual([]);
  });

  it('a failure a retry may fix (a 5xx after the pipeline\'s retries) is not parked: the run fails and the watermark stays', async () => {
    const { store, backend, sink, run } = await setup();
    backend.events.push(event('flaky', '2026-11-20T10:00:00Z', 1));
    sink.answer = () => ({ outcome: 'failed', message: 'HTTP 503', permanent: false });
    await expect(run()).rejects.toThrow(/flaky \(sink\): HTTP 503/);
    expect(await store.loadWatermark(rule.id)).toBeUndefined();
    expect((await store.readDevice(rule.id, 'flaky'))).toBeUndefined();
  });
});

/**
 * A store that writes one device with a property of 40,000 characters, as nothing in the hunter
 * would (every stored value is bounded): Table Storage, and Azurite, refuse it with 400
 * PropertyValueTooLarge. The stand-in for any entity the service will not take.
 */
class OversizingStore extends CrashingStateStore {
  constructor(
    private readonly store: StateStore,
    private readonly victim: string,
  ) {
    super(store, undefined);
  }
  override async writeDevices(groupId: string, writes: readonly DeviceWrite[]): Promise<DeviceWriteResult[]> {
    const oversized = (w: DeviceWrite): DeviceWrite => ({ ...w, state: { ...w.state, reported: { ...w.state.reported, recentReportIds: ['x'.repeat(40_000)] } } });
    const poisoned = writes.map((w) => (w.state.deviceId === this.victim && w.state.parked === undefined ? oversized(w) : w));
    return this.store.writeDevices(groupId, poisoned);
  }
}

describe('a device entity the store refuses', () => {
  it('only that device is quarantined (parked at the state step, with its last good state); the rest of its transaction is written', async () => {
    const { store, backend, sink, clock, run } = await setup();
    for (let i = 0; i < 5; i++) backend.events.push(event(`dev${i}`, '2026-11-20T10:00:00Z', 100 + i));
    const report = await run(new OversizingStore(store, 'dev2'));
    expect(report.status).toBe('succeeded');
    expect(report.created.map((c) => c.deviceId).sort()).toEqual(['dev0', 'dev1', 'dev3', 'dev4']);
    // Its incident was written (the sink comes first); only its state waits.
    expect(sink.incidentsFor('dev2')).toHaveLength(1);
    expect(report.parked).toEqual([expect.objectContaining({ deviceId: 'dev2', step: 'state', message: expect.stringMatching(/HTTP 400.*PropertyValueTooLarge/s) })]);
    const devices = await store.loadDevices(rule.id);
    expect(devices.size).toBe(5);
    expect(devices.get('dev2')?.state).toMatchObject({ parked: { step: 'state', attempts: 1 }, episode: undefined });
    expect(devices.get('dev3')?.state.episode?.sequence).toBe(0);
    // Once the store takes it (here: the next attempt, an hour later), the retry rewrites the same incident: one incident, counted once.
    clock.advance(HOUR);
    const retried = await run();
    expect(retried.updated).toEqual([expect.objectContaining({ deviceId: 'dev2', reason: 'resumed' })]);
    expect(retried.created).toEqual([]);
    expect(retried.parked).toEqual([]);
    expect(sink.incidentsFor('dev2')).toHaveLength(1);
    expect((await store.readDevice(rule.id, 'dev2'))?.state.parked).toBeUndefined();
  });

  it('a device the store refuses on every attempt is retried with backoff and given up after the limit; the sink holds one incident for it', async () => {
    const { store, backend, sink, clock } = await setup();
    backend.events.push(event('dev0', '2026-11-20T10:00:00Z', 100), event('dev2', '2026-11-20T10:00:00Z', 102));
    const refusing = new OversizingStore(store, 'dev2');
    const run = () => hunt({ backend, state: refusing, sink, clock, rule });
    let report = await run();
    expect(report.created.map((c) => c.deviceId)).toEqual(['dev0']);
    for (let attempt = 1; attempt < PARK_ATTEMPTS; attempt++) {
      expect(report.parked).toEqual([expect.objectContaining({ deviceId: 'dev2', step: 'state', attempts: attempt, givenUp: false })]);
      clock.set(new Date(report.parked[0]!.nextAttemptAt!));
      report = await run();
    }
    expect(report.parked).toEqual([expect.objectContaining({ deviceId: 'dev2', step: 'state', attempts: PARK_ATTEMPTS, givenUp: true, since: '2026-11-20T12:00:00.000Z' })]);
    expect(report.status).toBe('succeeded');
    expect(report.watermark).toBe(report.window.end);
    // Every attempt wrote the same episode and finding: one incident, never a second.
    expect(sink.incidentsFor('dev2')).toHaveLength(1);
    expect(new Set(sink.detections.filter((d) => d.device.id === 'dev2').map((d) => d.findingId)).size).toBe(1);
    expect(sink.detections.filter((d) => d.device.id === 'dev2')).toHaveLength(PARK_ATTEMPTS);
  });
});
