/**
 * Suppressed hits in state (issue 5: "state remembers them, so a later non-excluded activity
 * on the same device still raises"), through the whole pipeline with state on Azurite:
 * recorded once, free when nothing is new, raised with the full evidence when the exclusions
 * stop covering the device, an open incident left as it is, conflicts re-read, dry runs silent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAzurite, uniqueTableName } from '../support/azurite.js';
import { useCountingProxy, withTableEndpoint } from '../support/countingProxy.js';
import { DAY, EventBackend, HOUR, RecordingSink, SettableClock, event, silentLogger, testRule } from '../support/hunt.js';
import { createExclusionEvaluator, createNoExclusionsEvaluator, parseExclusionsText } from '../../src/exclusions/index.js';
import { runHunt } from '../../src/core/hunt.js';
import { createIncidentRenderer } from '../../src/incidents/index.js';
import { EpisodeWriter } from '../../src/core/episodeWriter.js';
import { RunMeter } from '../../src/core/runMeter.js';
import { recordSuppression, withSuppressedEvidence } from '../../src/core/suppression.js';
import { TableStateStore } from '../../src/adapters/table/tableStateStore.js';
import type { ContextEnricher, ExclusionEvaluator } from '../../src/core/ports.js';
import type { DeviceContext, Hit } from '../../src/core/model.js';
import type { StateStore } from '../../src/core/ports.js';
import { HuntRunFailed } from '../../src/core/report.js';
import { CrashingStateStore } from '../support/faultyState.js';

const az = useAzurite();
const countingProxy = useCountingProxy(() => az.azurite().tableEndpoint);

const T0 = new Date('2026-11-20T12:00:00Z');

/** Report ids whose Ammyy process was started by the scheduler; every other one by explorer.exe. */
const scheduled = new Set<string>();

/** One activity per report id, its parent process as `scheduled` says. */
const enricher: ContextEnricher = {
  async enrich(_rule, hits) {
    const contexts = new Map<string, DeviceContext>(
      hits.map((h) => [
        h.deviceId,
        {
          files: [],
          activities: h.reportIds.map((id) => ({
            id: `${h.deviceId}-${id}`,
            timestamp: h.firstSeen,
            fields: { 'host.name': [h.deviceName], 'process.name': ['AA_v3.exe'], 'process.parent.name': [scheduled.has(id) ? 'schtasks.exe' : 'explorer.exe'] },
          })),
        },
      ]),
    );
    return { contexts, failed: new Map() };
  },
};

function exclusionsFile(extra: string[] = []): ExclusionEvaluator {
  const text = [
    'exclusions:',
    '  - id: scheduled-maintenance',
    '    description: maintenance tasks',
    '    enabled: true',
    ...extra,
    '    when:',
    '      field: process.parent.name',
    '      equals: schtasks.exe',
  ].join('\n');
  return createExclusionEvaluator(parseExclusionsText(text, 'exclusions.yaml').exclusions, { warnShare: 1 });
}

function setup(store: StateStore) {
  const backend = new EventBackend();
  const sink = new RecordingSink();
  const clock = new SettableClock(T0);
  // A short query period keeps these windows independent of how far back a regular run re-reads
  // (at most the query period, or the watermark minus the overlap).
  const rule = testRule({ queryPeriodMs: 2 * HOUR });
  let exclusions = exclusionsFile();
  const run = (dryRun = false) =>
    runHunt(
      { backend, state: store, sink, renderer: createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' }), enricher, exclusions, clock, logger: silentLogger },
      { rule, dryRun, runReportRetentionDays: 30 },
    );
  return {
    backend,
    sink,
    clock,
    rule,
    run,
    setExclusions(next: ExclusionEvaluator) {
      exclusions = next;
    },
  };
}

describe('suppressed hits in state', () => {
  it('records a suppressed device: exclusion ids, report ids, count and time; no incident, no reported evidence', async () => {
    const { store } = await az.newStore();
    const { backend, sink, run, rule } = setup(store);
    scheduled.add('s-101').add('s-102');
    backend.events.push(event('sup1', '2026-11-20T10:30:00Z', 's-101'), event('sup1', '2026-11-20T11:00:00Z', 's-102'));
    const report = await run();
    expect(report.created).toEqual([]);
    expect(report.suppressed).toEqual([{ deviceId: 'sup1', deviceName: 'sup1.contoso.local', exclusionId: 'scheduled-maintenance', exclusionIds: ['scheduled-maintenance'], recorded: true, activities: { 'scheduled-maintenance': 2 } }]);
    expect(sink.calls).toEqual([]);
    const state = (await store.readDevice(rule.id, 'sup1'))!.state;
    expect(state.episode).toBeUndefined();
    expect(state.reported).toEqual({ recentReportIds: [], reportCount: 0, overflowFilter: undefined });
    expect(state.firstSeen).toBeUndefined();
    expect(state.suppression).toEqual({
      lastSuppressedAt: T0,
      firstSeen: new Date('2026-11-20T10:30:00Z'),
      lastSeen: new Date('2026-11-20T11:00:00Z'),
      exclusionIds: ['scheduled-maintenance'],
      reportIds: { recentReportIds: ['s-101', 's-102'], reportCount: 2, overflowFilter: undefined },
      count: 1,
    });
  });

  it('suppressed again with nothing new: no device write (request count), the report still lists it', async () => {
    const table = az.tableClient(uniqueTableName(), withTableEndpoint(az.azurite().connectionString, countingProxy().endpoint));
    const store = await TableStateStore.open(table);
    const { backend, clock, run, rule } = setup(store);
    for (let i = 0; i < 300; i++) {
      const id = `q-${i}`;
      scheduled.add(id);
      backend.events.push(event(`quiet${i}`, '2026-11-20T11:00:00Z', id));
    }
    countingProxy().reset();
    const first = await run();
    expect(first.suppressed).toHaveLength(300);
    const batchesFirst = countingProxy().requests.filter((r) => r.method === 'POST' && r.path.includes('$batch'));
    console.log(`300 devices suppressed the first time: ${countingProxy().requests.length} Table requests (${batchesFirst.length} transactions)`);
    expect(batchesFirst).toHaveLength(3);
    const before = await store.readDevice(rule.id, 'quiet7');

    // Same activity, same exclusion, an hour later (the overlap re-reads it).
    clock.advance(HOUR);
    countingProxy().reset();
    const second = await run();
    expect(second.suppressed).toHaveLength(300);
    expect(second.suppressed.every((s) => s.recorded === false)).toBe(true);
    const writes = countingProxy().requests.filter((r) => r.method !== 'GET');
    console.log(`300 devices suppressed again, nothing new: ${countingProxy().requests.length} Table requests`, countingProxy().requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`));
    // Load (1 page), run-report purge query; watermark and run report: nothing per device.
    expect(writes.length).toBeLessThanOrEqual(2);
    expect(countingProxy().requests.length).toBeLessThanOrEqual(4);
    expect((await store.readDevice(rule.id, 'quiet7'))?.etag).toBe(before?.etag);
  });

  it('a later activity no exclusion covers raises one incident with the report ids seen while suppressed', async () => {
    const { store } = await az.newStore();
    const { backend, sink, clock, run, rule } = setup(store);
    scheduled.add('m-201');
    backend.events.push(event('mix1', '2026-11-20T11:00:00Z', 'm-201'));
    expect((await run()).suppressed).toHaveLength(1);
    clock.set('2026-11-20T13:00:00Z');
    expect((await run()).suppressed).toEqual([expect.objectContaining({ deviceId: 'mix1', recorded: false })]);

    // Later the window no longer reaches m-201; a shell starts Ammyy.
    clock.set('2026-11-20T16:00:00Z');
    backend.events.push(event('mix1', '2026-11-20T15:00:00Z', 'm-202'));
    const report = await run();
    expect(Date.parse(report.window.start)).toBeGreaterThan(Date.parse('2026-11-20T11:00:00Z'));
    expect(report.suppressed).toEqual([]);
    expect(report.created).toEqual([expect.objectContaining({ deviceId: 'mix1', reason: 'newDevice', newReportIds: 2 })]);
    const [incident] = sink.incidentsFor('mix1');
    expect(incident?.description).toContain('m-201');
    expect(incident?.description).toContain('m-202');
    expect(incident?.firstActivity).toEqual(new Date('2026-11-20T11:00:00Z'));
    expect(incident?.description).toMatch(/Earlier suppressed by `scheduled-maintenance` \(1 run, last 2026-11-20 12:00:00 UTC\).*Report ids seen while suppressed \(1\): `m-201`/);
    const state = (await store.readDevice(rule.id, 'mix1'))!.state;
    expect(state.episode?.sequence).toBe(0);
    expect(state.reported.recentReportIds).toEqual(['m-201', 'm-202']);
    expect(state.firstSeen).toEqual(new Date('2026-11-20T11:00:00Z'));
    // The suppression stays as history; its ids are reported now, so nothing is raised twice.
    expect(state.suppression?.count).toBe(1);
    clock.advance(HOUR);
    const again = await run();
    expect(again).toMatchObject({ created: [], updated: [], suppressed: [], unchanged: 1 });
  });

  it('the exclusion expired: the same activity is raised with everything seen while suppressed', async () => {
    const { store } = await az.newStore();
    const { backend, sink, clock, run, rule, setExclusions } = setup(store);
    scheduled.add('y-401').add('y-402');
    backend.events.push(event('exp1', '2026-11-20T10:30:00Z', 'y-401'), event('exp1', '2026-11-20T11:00:00Z', 'y-402'));
    setExclusions(exclusionsFile(['    expires: 2026-11-20']));
    expect((await run()).suppressed.map((s) => s.deviceId)).toEqual(['exp1']);

    // Next day the dated exclusion no longer applies; the window (from the watermark) still reaches y-402 only.
    clock.set('2026-11-21T00:30:00Z');
    const expired = await run();
    expect(Date.parse(expired.window.start)).toBeGreaterThan(Date.parse('2026-11-20T10:30:00Z'));
    expect(expired.suppressed).toEqual([]);
    expect(expired.created).toEqual([expect.objectContaining({ deviceId: 'exp1', newReportIds: 2 })]);
    const description = sink.incidentsFor('exp1')[0]?.description ?? '';
    expect(description).toContain('y-401');
    expect(description).toContain('y-402');
    expect((await store.readDevice(rule.id, 'exp1'))?.state.reported.reportCount).toBe(2);
  });

  it('the exclusion removed from the file: the suppressed device is raised on its next hit', async () => {
    const { store } = await az.newStore();
    const { backend, sink, clock, run, rule, setExclusions } = setup(store);
    scheduled.add('z-501');
    backend.events.push(event('rm1', '2026-11-20T11:00:00Z', 'z-501'));
    expect((await run()).suppressed.map((s) => s.deviceId)).toEqual(['rm1']);
    setExclusions(createNoExclusionsEvaluator());
    clock.advance(HOUR);
    const removed = await run();
    expect(removed.created).toEqual([expect.objectContaining({ deviceId: 'rm1', reason: 'newDevice' })]);
    expect(sink.incidentsFor('rm1')[0]?.description).toContain('z-501');
    expect((await store.readDevice(rule.id, 'rm1'))?.state.reported.recentReportIds).toEqual(['z-501']);
  });

  it('an open incident whose new evidence is all excluded stays as it is; the suppression is recorded and raised with the next non-excluded update', async () => {
    const { store } = await az.newStore();
    const { backend, sink, clock, run, rule } = setup(store);
    backend.events.push(event('open1', '2026-11-20T10:30:00Z', 'o-601'));
    const first = await run();
    const incidentId = first.created[0]!.episodeId;
    const before = await store.readDevice(rule.id, 'open1');

    clock.set('2026-11-20T14:00:00Z');
    scheduled.add('o-602');
    backend.events.push(event('open1', '2026-11-20T13:00:00Z', 'o-602'));
    sink.calls.length = 0;
    const suppressedRun = await run();
    expect(Date.parse(suppressedRun.window.start)).toBeGreaterThan(Date.parse('2026-11-20T10:30:00Z'));
    // Every activity of this window is excluded (o-601 is outside it): nothing sent to the sink.
    expect(suppressedRun.suppressed).toEqual([expect.objectContaining({ deviceId: 'open1', episodeId: incidentId, recorded: true })]);
    expect(suppressedRun.updated).toEqual([]);
    expect(sink.calls).toEqual([]);
    const after = (await store.readDevice(rule.id, 'open1'))!.state;
    expect(after.reported).toEqual(before!.state.reported);
    expect(after.lastSeen).toEqual(before!.state.lastSeen);
    expect(after.episode).toEqual(before!.state.episode);
    expect(after.suppression?.reportIds.recentReportIds).toEqual(['o-602']);

    clock.set('2026-11-20T16:00:00Z');
    backend.events.push(event('open1', '2026-11-20T15:00:00Z', 'o-603'));
    const update = await run();
    expect(update.updated).toEqual([expect.objectContaining({ episodeId: incidentId, reason: 'update', newReportIds: 2 })]);
    const comment = [...sink.comments.values()].at(-1)!;
    expect(comment.message).toContain('o-602');
    expect(comment.message).toContain('o-603');
    expect(comment.message).toContain('Earlier suppressed by `scheduled-maintenance`');
    expect((await store.readDevice(rule.id, 'open1'))?.state.reported.recentReportIds).toEqual(['o-601', 'o-602', 'o-603']);
  });

  it('dry run: suppressions are reported (as would be recorded) but nothing is written', async () => {
    const { store } = await az.newStore();
    const { backend, run, rule } = setup(store);
    scheduled.add('d-701');
    backend.events.push(event('dry1', '2026-11-20T11:00:00Z', 'd-701'));
    const report = await run(true);
    expect(report.suppressed).toEqual([expect.objectContaining({ deviceId: 'dry1', recorded: true })]);
    expect((await store.loadDevices(rule.id)).size).toBe(0);
    expect(await store.loadWatermark(rule.id)).toBeUndefined();
  });

  it('a suppression write that loses an ETag race re-reads the device and records on top of the winner', async () => {
    const { store } = await az.newStore();
    const rule = testRule();
    const hit = (ids: string[]): Hit => ({ deviceId: 'race1', deviceName: 'race1.local', firstSeen: new Date('2026-11-20T11:00:00Z'), lastSeen: new Date('2026-11-20T11:00:00Z'), reportIds: ids, eventCount: ids.length });
    const [created] = await store.writeDevices(rule.id, [{ state: recordSuppression(undefined, hit(['a']), ['ex1'], T0)!, expectedEtag: undefined }]);
    expect(created?.outcome).toBe('written');
    const stale = await store.readDevice(rule.id, 'race1');
    // Another run records 'b' first.
    await store.writeDevices(rule.id, [{ state: recordSuppression(stale!.state, hit(['a', 'b']), ['ex1'], T0)!, expectedEtag: stale!.etag }]);
    const writer = new EpisodeWriter(
      { state: store, sink: new RecordingSink(), renderer: createIncidentRenderer({ defenderPortalUrl: 'https://x' }), logger: silentLogger, meter: new RunMeter(), budget: undefined },
      { rule, groupId: rule.id, dryRun: false, now: new Date(T0.getTime() + DAY), expectsContext: false },
    );
    const recorded = await writer.recordSuppressions([{ hit: hit(['a', 'c']), exclusionIds: ['ex1'], stored: stale, attempt: 1 }]);
    expect([...recorded]).toEqual(['race1']);
    const final = (await store.readDevice(rule.id, 'race1'))!.state.suppression!;
    expect(final.reportIds.recentReportIds).toEqual(['a', 'b', 'c']);
    expect(final.count).toBe(3);
  });
});

describe('suppressed hits: failures and size', () => {
  it('a suppression that cannot be written fails the run without moving the watermark; the retry records it', async () => {
    const { store } = await az.newStore();
    const crashing = setup(new CrashingStateStore(store, { method: 'writeDevices', nth: 1 }));
    const real = setup(store);
    scheduled.add('f-801');
    for (const { backend } of [crashing, real]) backend.events.push(event('fail1', '2026-11-20T11:00:00Z', 'f-801'));
    const failure = await crashing.run().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HuntRunFailed);
    expect((failure as HuntRunFailed).report.failures).toEqual([expect.objectContaining({ deviceId: 'fail1', step: 'state' })]);
    expect(await store.loadWatermark(real.rule.id)).toBeUndefined();
    expect(await store.readDevice(real.rule.id, 'fail1')).toBeUndefined();
    const retry = await real.run();
    expect(retry.suppressed).toEqual([expect.objectContaining({ deviceId: 'fail1', recorded: true })]);
    expect((await store.readDevice(real.rule.id, 'fail1'))?.state.suppression?.count).toBe(1);
  });

  it('thousands of suppressed report ids stay bounded and round-trip through the table', async () => {
    const { store } = await az.newStore();
    const rule = testRule();
    const ids = Array.from({ length: 5000 }, (_, i) => `big-${i}`);
    const hit: Hit = { deviceId: 'big1', deviceName: 'big1.local', firstSeen: T0, lastSeen: T0, reportIds: ids, eventCount: ids.length };
    const state = recordSuppression(undefined, hit, ['ex1'], T0)!;
    const [written] = await store.writeDevices(rule.id, [{ state, expectedEtag: undefined }]);
    expect(written?.outcome).toBe('written');
    const back = (await store.readDevice(rule.id, 'big1'))!.state;
    expect(back.suppression?.reportIds.reportCount).toBe(5000);
    expect(back.suppression?.reportIds.recentReportIds.length).toBeLessThanOrEqual(1000);
    expect(back.suppression?.reportIds.overflowFilter?.length).toBe(32 * 1024);
    // Every id is still recognised: suppressed again with the same ids writes nothing.
    expect(recordSuppression(back, hit, ['ex1'], T0)).toBeUndefined();
  });
});

describe('suppression records, pure', () => {
  const now = new Date('2026-11-21T00:00:00Z');
  const hit = (ids: string[], first = '2026-11-20T10:00:00Z', last = '2026-11-20T11:00:00Z'): Hit => ({ deviceId: 'd', deviceName: 'd.local', firstSeen: new Date(first), lastSeen: new Date(last), reportIds: ids, eventCount: ids.length });

  it('nothing new, same exclusions: nothing to write; other exclusions or wider activity: a new record', () => {
    const state = recordSuppression(undefined, hit(['1', '2']), ['b', 'a', 'a'], now)!;
    expect(state.suppression?.exclusionIds).toEqual(['a', 'b']);
    expect(recordSuppression(state, hit(['2', '1']), ['a', 'b'], now)).toBeUndefined();
    expect(recordSuppression(state, hit(['1']), ['a'], now)?.suppression?.count).toBe(2);
    expect(recordSuppression(state, hit(['1'], '2026-11-20T10:00:00Z', '2026-11-20T12:00:00Z'), ['a', 'b'], now)?.suppression?.lastSeen).toEqual(new Date('2026-11-20T12:00:00Z'));
  });

  it('folding suppressed ids into a raised hit is idempotent and adds nothing once they are reported', () => {
    const state = recordSuppression(undefined, hit(['1']), ['a'], now)!;
    const later = hit(['2'], '2026-11-22T10:00:00Z', '2026-11-22T10:00:00Z');
    const folded = withSuppressedEvidence(later, state);
    expect(folded.reportIds).toEqual(['1', '2']);
    expect(folded.firstSeen).toEqual(new Date('2026-11-20T10:00:00Z'));
    expect(withSuppressedEvidence(folded, state).reportIds).toEqual(['1', '2']);
    const reported = { ...state, reported: { recentReportIds: ['1', '2'], reportCount: 2, overflowFilter: undefined } };
    expect(withSuppressedEvidence(later, reported)).toBe(later);
  });
});
