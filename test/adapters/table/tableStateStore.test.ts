import { describe, expect, it } from 'vitest';
import { useAzurite } from '../../support/azurite.js';
import { emptyReportIdSet, addReportIds, unseenReportIds } from '../../../src/core/reportIdSet.js';
import type { DeviceState } from '../../../src/core/state.js';
import { writtenDeviceState } from '../../support/deviceStates.js';
import type { RunReport } from '../../../src/core/report.js';
import { testRunReport } from '../../support/runReports.js';

const az = useAzurite();
const RULE = 'rule-1';

function device(deviceId: string, reportIds: string[] = ['1']): DeviceState {
  return writtenDeviceState(deviceId, `${deviceId}-name`, addReportIds(emptyReportIdSet, reportIds), new Date('2026-11-21T00:00:00.123Z'));
}

function runReport(ruleId: string, startedAt: string, runId: string, watermark = startedAt): RunReport {
  return testRunReport({ runId, ruleId, startedAt, finishedAt: startedAt, window: { start: startedAt, end: startedAt, firstRun: false }, watermark });
}

describe('TableStateStore on Azurite', () => {
  it('round-trips devices, including ids with every forbidden key character', async () => {
    const { store } = await az.newStore();
    const ids = ['plain', 'a/b', 'c\\d', 'e#f', 'g?h', 'tab\there', 'nl\nx', 'del\u007fx', 'c1\u0085x', "quote'x", 'tilde~0041', '!watermark', 'ünïcødé 端末'];
    const results = await store.writeDevices(RULE, ids.map((id) => ({ state: device(id), expectedEtag: undefined })));
    expect(results.every((r) => r.outcome === 'written')).toBe(true);
    const loaded = await store.loadDevices(RULE);
    expect([...loaded.keys()].sort()).toEqual([...ids].sort());
    expect(loaded.get('a/b')?.state).toEqual(device('a/b'));
    expect((await store.readDevice(RULE, 'g?h'))?.state.deviceId).toBe('g?h');
    expect(await store.readDevice(RULE, 'nobody')).toBeUndefined();
  });

  it('keeps rule ids with forbidden characters apart', async () => {
    const { store } = await az.newStore();
    await store.writeDevices('rule/a', [{ state: device('d'), expectedEtag: undefined }]);
    await store.writeDevices('rule#a', [{ state: device('d', ['2']), expectedEtag: undefined }]);
    expect((await store.loadDevices('rule/a')).get('d')?.state.reported.recentReportIds).toEqual(['1']);
    expect((await store.loadDevices('rule#a')).get('d')?.state.reported.recentReportIds).toEqual(['2']);
  });

  it('reports a conflict for a create over an existing device and for a stale ETag, in and out of batches', async () => {
    const { store } = await az.newStore();
    const [first] = await store.writeDevices(RULE, [{ state: device('d1'), expectedEtag: undefined }]);
    expect(first?.outcome).toBe('written');
    const etag = first?.outcome === 'written' ? first.etag : '';
    expect(await store.writeDevices(RULE, [{ state: device('d1'), expectedEtag: undefined }])).toEqual([{ deviceId: 'd1', outcome: 'conflict' }]);
    const [second] = await store.writeDevices(RULE, [{ state: device('d1', ['1', '2']), expectedEtag: etag }]);
    expect(second?.outcome).toBe('written');
    // Batch of three where only the middle one is stale: the other two still land.
    const batch = await store.writeDevices(RULE, [
      { state: device('d2'), expectedEtag: undefined },
      { state: device('d1', ['9']), expectedEtag: etag },
      { state: device('d3'), expectedEtag: undefined },
    ]);
    expect(batch.map((r) => r.outcome)).toEqual(['written', 'conflict', 'written']);
    expect((await store.readDevice(RULE, 'd1'))?.state.reported.recentReportIds).toEqual(['1', '2']);
  });

  it('stores a device with 20,000 report ids within the entity limits and still knows every id', async () => {
    const { store } = await az.newStore();
    const ids = Array.from({ length: 20_000 }, (_, i) => String(9_000_000_000_000_000 + i * 7919));
    let reported = emptyReportIdSet;
    for (let i = 0; i < ids.length; i += 2000) reported = addReportIds(reported, ids.slice(i, i + 2000));
    const state = { ...device('big'), reported };
    expect((await store.writeDevices(RULE, [{ state, expectedEtag: undefined }]))[0]?.outcome).toBe('written');
    const loaded = (await store.readDevice(RULE, 'big'))!.state;
    // Exact up to the recent list; beyond, the Bloom filter may take a few fresh ids for seen (documented bound).
    expect(loaded.reported.reportCount).toBeGreaterThan(19_950);
    expect(loaded.reported.reportCount).toBeLessThanOrEqual(20_000);
    expect(unseenReportIds(loaded.reported, ids)).toEqual([]);
    expect(Buffer.from(loaded.reported.overflowFilter!).equals(Buffer.from(reported.overflowFilter!))).toBe(true);
  });

  it('reads the watermark from the newest run reports, and a slower run that stores an older one cannot move it back', async () => {
    const { store } = await az.newStore();
    expect(await store.loadWatermark(RULE)).toBeUndefined();
    await store.appendRunReport(runReport(RULE, '2026-11-27T10:00:00.000Z', 'a', '2026-11-27T09:45:00.000Z'));
    expect((await store.loadWatermark(RULE))?.toISOString()).toBe('2026-11-27T09:45:00.000Z');
    // A run that started later but read no watermark (or failed) stores an older one (or none): the latest stays.
    await store.appendRunReport(runReport(RULE, '2026-11-27T10:05:00.000Z', 'b', '2026-11-27T08:00:00.000Z'));
    await store.appendRunReport({ ...runReport(RULE, '2026-11-27T10:06:00.000Z', 'c'), watermark: undefined, status: 'failed' });
    expect((await store.loadWatermark(RULE))?.toISOString()).toBe('2026-11-27T09:45:00.000Z');
    await store.appendRunReport(runReport(RULE, '2026-11-27T11:00:00.000Z', 'd', '2026-11-27T10:45:00.000Z'));
    expect((await store.loadWatermark(RULE))?.toISOString()).toBe('2026-11-27T10:45:00.000Z');
    expect(await store.loadWatermark('other-rule')).toBeUndefined();
  });

  it('lists run reports newest first, purges old ones and resets a rule', async () => {
    const { store } = await az.newStore();
    for (const day of ['01', '05', '10', '20']) await store.appendRunReport(runReport(RULE, `2026-11-${day}T00:00:00.000Z`, `run-${day}`));
    await store.appendRunReport(runReport('other', '2026-11-02T00:00:00.000Z', 'other-run'));
    expect((await store.listRunReports(RULE, 10)).map((r) => r.runId)).toEqual(['run-20', 'run-10', 'run-05', 'run-01']);
    expect((await store.listRunReports(RULE, 2)).map((r) => r.runId)).toEqual(['run-20', 'run-10']);
    expect(await store.purgeRunReports(RULE, new Date('2026-11-06T00:00:00Z'))).toBe(2);
    expect((await store.listRunReports(RULE, 10)).map((r) => r.runId)).toEqual(['run-20', 'run-10']);
    await store.writeDevices(RULE, [{ state: device('d'), expectedEtag: undefined }]);
    await store.resetRule(RULE, RULE);
    expect((await store.loadDevices(RULE)).size).toBe(0);
    expect(await store.loadWatermark(RULE)).toBeUndefined();
    expect(await store.listRunReports(RULE, 10)).toEqual([]);
    expect(await store.listRunReports('other', 10)).toHaveLength(1);
  });

  it('stores a run report far larger than one property by splitting it, and truncates one too large for an entity', async () => {
    const { store } = await az.newStore();
    const created = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ episodeId: `i${i}`, findingId: `f${i}`, sequence: 0, deviceId: `d${i}`, deviceName: `n${i}`, title: 'Ammyy seen on a device', reason: 'newDevice', newReportIds: 1, contextComplete: true }));
    await store.appendRunReport({ ...runReport(RULE, '2026-11-26T00:00:00.000Z', 'big'), created: created(1500) });
    await store.appendRunReport({ ...runReport(RULE, '2026-11-27T00:00:00.000Z', 'huge'), created: created(6000) });
    const [huge, big] = await store.listRunReports(RULE, 2);
    expect(big?.created).toHaveLength(1500);
    expect(huge?.created).toHaveLength(200);
    expect(huge?.warnings.join()).toMatch(/truncated.*created 6000/);
  });

  it('stores the report of a 10,000-incident run on the Sentinel sink, whose service calls alone are over an entity', async () => {
    const { store } = await az.newStore();
    const call = (i: number) => ({ service: 'sentinel', method: 'PUT', path: `/subscriptions/x/providers/Microsoft.SecurityInsights/incidents/${'e'.repeat(36)}${i}`, status: 201, attempts: 1, durationMs: 12.5, startedAt: '2026-11-27T00:00:00.000Z' });
    const report = { ...runReport(RULE, '2026-11-27T00:00:00.000Z', 'mass'), serviceCalls: Array.from({ length: 10_000 }, (_, i) => call(i)) };
    await store.appendRunReport(report);
    const [stored] = await store.listRunReports(RULE, 1);
    expect(stored?.serviceCalls?.length).toBeLessThanOrEqual(200);
    expect(stored?.warnings.join()).toMatch(/truncated.*serviceCalls 10000/);
    expect((await store.loadWatermark(RULE))?.toISOString()).toBe('2026-11-27T00:00:00.000Z');
  });

  it('stores a report whose every list is long and wide: shorter cuts in turn until it fits, the watermark kept', async () => {
    const { store } = await az.newStore();
    const text = (i: number) => `${i} ${'x'.repeat(1_000)}`;
    const many = <T>(make: (i: number) => T) => Array.from({ length: 5_000 }, (_, i) => make(i));
    const ref = (i: number) => ({ episodeId: `e${i}`, findingId: `f${i}`, sequence: 0, deviceId: `d${i}`, deviceName: text(i), title: 't', reason: 'newDevice', newReportIds: 1, contextComplete: true });
    const report = {
      ...runReport(RULE, '2026-11-28T00:00:00.000Z', 'wide'),
      created: many(ref),
      updated: many(ref),
      suppressed: many((i) => ({ deviceId: `d${i}`, deviceName: text(i), exclusionId: 'x', exclusionIds: ['x'], activities: { x: 3 } })),
      failures: many((i) => ({ deviceId: `d${i}`, deviceName: `n${i}`, step: 'sink' as const, message: text(i) })),
      parked: many((i) => ({ deviceId: `d${i}`, deviceName: `n${i}`, step: 'sink' as const, message: text(i), attempts: 1, givenUp: true, since: '2026-11-27T00:00:00.000Z', state: 'givenUp' as const })),
      rejectedRows: many((i) => ({ row: i, message: text(i) })),
      contextIncomplete: many(text),
      warnings: many(text),
    };
    await store.appendRunReport(report);
    const [stored] = await store.listRunReports(RULE, 1);
    expect(stored?.created).toHaveLength(10);
    expect(stored?.parked).toHaveLength(10);
    expect(stored?.warnings.at(-1)).toMatch(/truncated: lists cut to 10 entries \(created 5000, updated 5000, suppressed 5000, failures 5000, parked 5000, rejectedRows 5000, contextIncomplete 5000, warnings 5000/);
    expect((await store.loadWatermark(RULE))?.toISOString()).toBe('2026-11-28T00:00:00.000Z');
  });
});
