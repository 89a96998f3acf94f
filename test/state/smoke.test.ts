import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { EventBackend, RecordingSink, SettableClock, event, hunt, HOUR } from '../support/hunt.js';

const az = useAzurite();

describe('hunt end to end on Azurite', () => {
  it('creates once, then stays unchanged, then updates with new evidence', async () => {
    const { store } = await az.newStore();
    const backend = new EventBackend();
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1), event('dev1', '2026-11-20T11:30:00Z', 2), event('dev2', '2026-11-20T11:40:00Z', 3));
    const first = await hunt({ backend, state: store, sink, clock });
    expect(first.created.map((c) => c.deviceId).sort()).toEqual(['dev1', 'dev2']);
    expect(first.status).toBe('succeeded');
    clock.advance(HOUR);
    const second = await hunt({ backend, state: store, sink, clock });
    expect(second.created).toEqual([]);
    expect(second.unchanged).toBe(2);
    backend.events.push(event('dev1', '2026-11-20T12:45:00Z', 4));
    clock.advance(HOUR);
    const third = await hunt({ backend, state: store, sink, clock });
    expect(third.updated.map((u) => [u.deviceId, u.newReportIds])).toEqual([['dev1', 1]]);
    expect(third.hits).toBe(1); // dev2's only event is behind the window now
    expect(sink.incidents.size).toBe(2);
    expect(sink.comments.size).toBe(1);
  });
});
