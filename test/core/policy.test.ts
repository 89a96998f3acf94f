/** Every row of the dedupe policy, through the whole pipeline, with state on Azurite. */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { DAY, EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';
import { episodeIdFor } from '../../src/core/ids.js';
import { createExclusionEvaluator, parseExclusionsText } from '../../src/exclusions/index.js';
import { runHunt } from '../../src/core/hunt.js';
import { createIncidentRenderer } from '../../src/incidents/index.js';
import type { ContextEnricher } from '../../src/core/ports.js';
import type { DeviceContext } from '../../src/core/model.js';

const az = useAzurite();
const T0 = new Date('2026-11-20T12:00:00Z');

async function setup(ruleOverrides = {}) {
  const { store, table } = await az.newStore();
  const backend = new EventBackend();
  const sink = new RecordingSink();
  const clock = new SettableClock(T0);
  const rule = testRule(ruleOverrides);
  const run = () => hunt({ backend, state: store, sink, clock, rule });
  return { store, table, backend, sink, clock, rule, run };
}

describe('dedupe policy', () => {
  it('new device: one incident with the deterministic id of the rule and the device', async () => {
    const { backend, sink, run, rule } = await setup();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 101), event('dev1', '2026-11-20T11:20:00Z', 102));
    const report = await run();
    const expectedId = episodeIdFor(rule.id, 'dev1', undefined);
    expect(report.created).toEqual([expect.objectContaining({ episodeId: expectedId, sequence: 0, deviceId: 'dev1', reason: 'newDevice', newReportIds: 2 })]);
    expect(report.created[0]?.title).toBeTruthy();
    expect([...sink.incidents.keys()]).toEqual([expectedId]);
  });

  it('known device, no new evidence: nothing written, nothing raised, counted unchanged', async () => {
    const { store, backend, sink, clock, run, rule } = await setup();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 101));
    await run();
    const before = await store.readDevice(rule.id, 'dev1');
    const callsBefore = sink.calls.length;
    clock.advance(HOUR);
    const report = await run();
    expect(report).toMatchObject({ hits: 1, unchanged: 1, created: [], updated: [] });
    expect(sink.calls.length).toBe(callsBefore);
    expect((await store.readDevice(rule.id, 'dev1'))?.etag).toBe(before?.etag);
  });

  it('new evidence on an open incident within the look-back: update plus a comment with only the new evidence', async () => {
    const { backend, sink, clock, run } = await setup();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 101));
    const first = await run();
    const incidentId = first.created[0]!.episodeId;
    backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 202));
    clock.advance(HOUR);
    const second = await run();
    expect(second.updated).toEqual([expect.objectContaining({ episodeId: incidentId, sequence: 1, reason: 'update', newReportIds: 1 })]);
    expect(sink.incidents.size).toBe(1);
    expect(sink.incidents.get(incidentId)?.lastActivity.toISOString()).toBe('2026-11-20T12:30:00.000Z');
    const comments = [...sink.comments.values()];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.incidentId).toBe(incidentId);
    expect(comments[0]?.message).toContain('202');
    expect(comments[0]?.message).not.toContain('101');
  });

  it('keeps the status the SOC set when updating', async () => {
    const { backend, sink, clock, run } = await setup();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 101));
    const incidentId = (await run()).created[0]!.episodeId;
    sink.incidents.set(incidentId, { ...sink.incidents.get(incidentId)!, status: 'Active' });
    backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 202));
    clock.advance(HOUR);
    await run();
    expect(sink.incidents.get(incidentId)?.status).toBe('Active');
  });

  it('incident closed by the SOC: new evidence opens a new incident that refers to the previous one', async () => {
    const { backend, sink, clock, run } = await setup();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 101));
    const firstId = (await run()).created[0]!.episodeId;
    sink.close(firstId);
    backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 202));
    clock.advance(HOUR);
    const report = await run();
    expect(report.created).toEqual([expect.objectContaining({ reason: 'closed', previousEpisodeId: firstId, newReportIds: 2 })]);
    const secondId = report.created[0]!.episodeId;
    expect(secondId).not.toBe(firstId);
    expect(sink.incidents.get(firstId)?.status).toBe('Closed');
    expect(sink.incidentsFor('dev1')).toHaveLength(2);
    // The next new evidence goes to the new incident.
    backend.events.push(event('dev1', '2026-11-20T13:30:00Z', 303));
    clock.advance(HOUR);
    expect((await run()).updated).toEqual([expect.objectContaining({ episodeId: secondId, reason: 'update' })]);
  });

  it('incident closed, reopenClosedIncident: the same incident is reopened with a comment', async () => {
    const { backend, sink, clock, run } = await setup({ grouping: { lookbackDurationMs: 7 * DAY, reopenClosedIncident: true } });
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 101));
    const firstId = (await run()).created[0]!.episodeId;
    sink.close(firstId);
    backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 202));
    clock.advance(HOUR);
    const report = await run();
    expect(report.updated).toEqual([expect.objectContaining({ episodeId: firstId, reason: 'reopen' })]);
    expect(sink.incidents.get(firstId)?.status).toBe('Active');
    expect(sink.incidents.size).toBe(1);
    expect(sink.comments.size).toBe(1);
  });

  it('grouping look-back expired: a new incident referring to the previous one, even though it is still open', async () => {
    const { backend, sink, clock, run } = await setup({ grouping: { lookbackDurationMs: 2 * DAY, reopenClosedIncident: false } });
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 101));
    const firstId = (await run()).created[0]!.episodeId;
    clock.advance(3 * DAY);
    backend.events.push(event('dev1', new Date(clock.now().getTime() - HOUR), 202));
    const report = await run();
    expect(report.created).toEqual([expect.objectContaining({ reason: 'lookbackExpired', previousEpisodeId: firstId })]);
    expect(sink.incidents.get(firstId)?.status).toBe('New');
    expect(sink.incidentsFor('dev1')).toHaveLength(2);
  });

  it('a hit every matching exclusion explains is suppressed: no incident, and state remembers the suppression', async () => {
    const { store, backend, sink, clock, rule } = await setup();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 101), event('dev2', '2026-11-20T11:00:00Z', 102));
    const exclusions = createExclusionEvaluator(
      parseExclusionsText(
        ['exclusions:', '  - id: helpdesk-pc', '    description: helpdesk support PC', '    enabled: true', '    when:', '      field: host.name', '      equals: dev1.contoso.local'].join('\n'),
        'exclusions.yaml',
      ).exclusions,
      { warnShare: 1 },
    );
    const contexts: ContextEnricher = {
      async enrich(_rule, hits) {
        const contexts = new Map<string, DeviceContext>(
          hits.map((h) => [h.deviceId, { files: [], activities: [{ id: `${h.deviceId}-p1`, timestamp: h.firstSeen, fields: { 'host.name': [h.deviceName] } }] }]),
        );
        return { contexts, failed: new Map() };
      },
    };
    const report = await runHunt(
      {
        backend,
        state: store,
        sink,
        renderer: createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' }),
        enricher: contexts,
        exclusions,
        clock,
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      },
      { rule, dryRun: false, runReportRetentionDays: 30 },
    );
    expect(report.suppressed).toEqual([{ deviceId: 'dev1', deviceName: 'dev1.contoso.local', exclusionId: 'helpdesk-pc', exclusionIds: ['helpdesk-pc'], recorded: true, activities: { 'helpdesk-pc': 1 } }]);
    expect(report.created.map((c) => c.deviceId)).toEqual(['dev2']);
    expect(sink.incidentsFor('dev1')).toEqual([]);
    const dev1 = (await store.readDevice(rule.id, 'dev1'))?.state;
    expect(dev1?.episode).toBeUndefined();
    expect(dev1?.reported.reportCount).toBe(0);
    expect(dev1?.suppression).toMatchObject({ exclusionIds: ['helpdesk-pc'], count: 1, reportIds: { recentReportIds: ['101'] } });
  });

  it('dry run: incidents go to the sink it is given, but no state, watermark or run report is written', async () => {
    const { store, backend, sink, clock, rule } = await setup();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 101));
    const report = await hunt({ backend, state: store, sink, clock, rule, dryRun: true });
    expect(report.status).toBe('dryRun');
    expect(report.created).toHaveLength(1);
    expect((await store.loadDevices(rule.id)).size).toBe(0);
    expect(await store.loadWatermark(rule.id)).toBeUndefined();
    expect(await store.listRunReports(rule.id, 5)).toEqual([]);
  });

  it('a device renamed within the window is one hit and one incident', async () => {
    const { backend, sink, run } = await setup();
    backend.events.push(event('dev1', '2026-11-20T10:00:00Z', 1, 'old-name'), event('dev1', '2026-11-20T11:00:00Z', 2, 'new-name'));
    const report = await run();
    expect(report.rows).toBe(2);
    expect(report.hits).toBe(1);
    expect(report.created).toEqual([expect.objectContaining({ deviceName: 'new-name', newReportIds: 2 })]);
    expect(sink.incidents.size).toBe(1);
  });
});
