/**
 * Every update of an incident gets its own comment, and a retried update rewrites its comment.
 * ReportId repeats per device (unique only with DeviceName and Timestamp), so an update may bring
 * later or earlier activity under ids already known: the report count then stays the same, and a
 * comment named after the count alone would overwrite the previous update's comment.
 */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';
import { CrashingStateStore } from '../support/faultyState.js';

const az = useAzurite();
const rule = testRule();

async function setup() {
  const { store } = await az.newStore();
  const backend = new EventBackend();
  const sink = new RecordingSink();
  const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
  const run = () => hunt({ backend, state: store, sink, clock, rule });
  return { store, backend, sink, clock, run };
}

describe('update comments', () => {
  it('three updates, two of them with no new report id, leave three comments', async () => {
    const { backend, sink, clock, run } = await setup();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1));
    const incidentId = (await run()).created[0]!.episodeId;

    // 1. A new report id.
    clock.advance(HOUR);
    backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 2));
    expect((await run()).updated).toEqual([expect.objectContaining({ episodeId: incidentId, reason: 'update', newReportIds: 1 })]);
    // 2. Later activity under a report id already known: same count, later last seen.
    clock.advance(HOUR);
    backend.events.push(event('dev1', '2026-11-20T13:30:00Z', 2));
    expect((await run()).updated).toEqual([expect.objectContaining({ episodeId: incidentId, reason: 'update', newReportIds: 0 })]);
    // 3. A late-arriving event before the first seen, under a known id: same count, earlier first seen.
    clock.advance(HOUR);
    backend.events.push(event('dev1', '2026-11-20T10:00:00Z', 1));
    expect((await run()).updated).toEqual([expect.objectContaining({ episodeId: incidentId, reason: 'update', newReportIds: 0 })]);

    const comments = [...sink.comments.values()];
    expect(comments).toHaveLength(3);
    expect(new Set(comments.map((c) => c.commentId)).size).toBe(3);
    expect(comments.every((c) => c.incidentId === incidentId)).toBe(true);
    expect(sink.detections.filter((d) => d.text.updateComment !== undefined)).toHaveLength(3);
  });

  it('a retried update (crash after the comment, before the state write) rewrites its own comment', async () => {
    const { store, backend, sink, clock, run } = await setup();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1));
    await run();
    clock.advance(HOUR);
    backend.events.push(event('dev1', '2026-11-20T12:30:00Z', 1));
    await expect(hunt({ backend, state: new CrashingStateStore(store, { method: 'writeDevices', nth: 1 }), sink, clock, rule })).rejects.toThrow(/injected/);
    expect(sink.comments.size).toBe(1);
    clock.advance(HOUR);
    // The retry sees even more activity under the same id: still the same update, the same comment.
    backend.events.push(event('dev1', '2026-11-20T13:00:00Z', 1));
    expect((await run()).updated).toHaveLength(1);
    expect(sink.detections.filter((d) => d.text.updateComment !== undefined)).toHaveLength(2);
    expect(sink.comments.size).toBe(1);
    // And the next, real, update adds a second comment.
    clock.advance(HOUR);
    backend.events.push(event('dev1', '2026-11-20T14:00:00Z', 1));
    expect((await run()).updated).toHaveLength(1);
    expect(sink.comments.size).toBe(2);
  });
});
