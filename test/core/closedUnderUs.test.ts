/**
 * The SOC owns an incident's status, and may close it at any moment. New activity must never be
 * counted into an incident the SOC has closed (closed → a new episode, or a reopen with
 * reopenClosedIncident), also when the close lands after a run wrote the incident but died before
 * its state write, and when it lands while the pipeline writes (the sink answers `closed` instead
 * of writing; the pipeline reads nothing first).
 */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { DAY, EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';
import { CrashingStateStore } from '../support/faultyState.js';
import type { IncidentStatus } from '../../src/core/model.js';
import type { Detection, DetectionWriteResult } from '../../src/core/detection.js';

const az = useAzurite();

/** The analyst closes the incident while the pipeline writes it. */
class ClosingSink extends RecordingSink {
  readonly closeOnNextWrite = new Set<string>();
  override async write(detections: readonly Detection[]): Promise<DetectionWriteResult[]> {
    for (const detection of detections) if (this.closeOnNextWrite.delete(detection.episodeId)) this.close(detection.episodeId);
    return super.write(detections);
  }
}

async function setup(reopenClosedIncident = false) {
  const { store } = await az.newStore();
  const backend = new EventBackend();
  const sink = new ClosingSink();
  const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
  const rule = testRule({ grouping: { lookbackDurationMs: 7 * DAY, reopenClosedIncident } });
  const run = () => hunt({ backend, state: store, sink, clock, rule });
  return { store, backend, sink, clock, rule, run };
}

type Ctx = Awaited<ReturnType<typeof setup>>;

/** Run 1 writes the incident of dev1, then dies before its state write. */
async function crashAfterIncident(ctx: Ctx): Promise<string> {
  ctx.backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1));
  await expect(hunt({ ...ctx, state: new CrashingStateStore(ctx.store, { method: 'writeDevices', nth: 1 }) })).rejects.toThrow(/injected/);
  const [incident] = ctx.sink.incidentsFor('dev1');
  expect(incident).toBeDefined();
  expect(await ctx.store.readDevice(ctx.rule.id, 'dev1')).toBeUndefined();
  return incident!.incidentId;
}

const writesOf = (sink: RecordingSink, episodeId: string) => sink.detections.filter((d) => d.episodeId === episodeId).length;

/** The device's state points at `episodeId` with `status` in the sink, and a further run has nothing to do. */
async function expectSettled(ctx: Ctx, episodeId: string, status: IncidentStatus, reportCount: number) {
  const device = (await ctx.store.readDevice(ctx.rule.id, 'dev1'))!.state;
  expect(device.episode?.episodeId).toBe(episodeId);
  expect(device.reported.reportCount).toBe(reportCount);
  expect(ctx.sink.incidents.get(episodeId)?.status).toBe(status);
  ctx.clock.advance(HOUR);
  const again = await ctx.run();
  expect(again).toMatchObject({ status: 'succeeded', created: [], updated: [] });
}

describe('an incident the SOC closed never absorbs new activity', () => {
  it('crash after the incident write, then the SOC closes it: new activity is a new episode, the closed incident is left alone', async () => {
    const ctx = await setup();
    const closedId = await crashAfterIncident(ctx);
    ctx.sink.close(closedId);
    ctx.clock.advance(HOUR);
    ctx.backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 2));
    const report = await ctx.run();
    expect(report.status).toBe('succeeded');
    expect(report.created).toEqual([expect.objectContaining({ reason: 'closed', previousEpisodeId: closedId })]);
    const newId = report.created[0]!.episodeId;
    expect(newId).not.toBe(closedId);
    expect(ctx.sink.incidents.get(closedId)?.status).toBe('Closed');
    expect(writesOf(ctx.sink, closedId)).toBe(1);
    expect(ctx.sink.incidentsFor('dev1')).toHaveLength(2);
    await expectSettled(ctx, newId, 'New', 2);
  });

  it('crash after the incident write, then the SOC closes it, reopenClosedIncident: the incident is reopened, counted as updated', async () => {
    const ctx = await setup(true);
    const closedId = await crashAfterIncident(ctx);
    ctx.sink.close(closedId);
    ctx.clock.advance(HOUR);
    ctx.backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 2));
    const report = await ctx.run();
    expect(report.created).toEqual([]);
    expect(report.updated).toEqual([expect.objectContaining({ episodeId: closedId, reason: 'reopen' })]);
    expect(ctx.sink.incidentsFor('dev1')).toHaveLength(1);
    await expectSettled(ctx, closedId, 'Active', 2);
  });

  it('an update whose incident the SOC closes while the pipeline writes: a new episode, no comment on the closed incident', async () => {
    const ctx = await setup();
    ctx.backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1));
    const firstId = (await ctx.run()).created[0]!.episodeId;
    ctx.sink.closeOnNextWrite.add(firstId);
    ctx.clock.advance(HOUR);
    ctx.backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 2));
    const report = await ctx.run();
    expect(report.status).toBe('succeeded');
    expect(report.updated).toEqual([]);
    expect(report.created).toEqual([expect.objectContaining({ reason: 'closed', previousEpisodeId: firstId, newReportIds: 2 })]);
    expect(ctx.sink.incidents.get(firstId)?.status).toBe('Closed');
    expect([...ctx.sink.comments.values()].filter((c) => c.incidentId === firstId)).toEqual([]);
    await expectSettled(ctx, report.created[0]!.episodeId, 'New', 2);
  });

  it('an update whose incident the SOC closes while the pipeline writes, reopenClosedIncident: reopened with one comment', async () => {
    const ctx = await setup(true);
    ctx.backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1));
    const firstId = (await ctx.run()).created[0]!.episodeId;
    ctx.sink.closeOnNextWrite.add(firstId);
    ctx.clock.advance(HOUR);
    ctx.backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 2));
    const report = await ctx.run();
    expect(report.created).toEqual([]);
    expect(report.updated).toEqual([expect.objectContaining({ episodeId: firstId, reason: 'reopen' })]);
    expect(ctx.sink.comments.size).toBe(1);
    await expectSettled(ctx, firstId, 'Active', 2);
  });
});
