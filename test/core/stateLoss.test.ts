/**
 * Issue 11.11: "after local state loss, a re-run produced a second incident for 146 of 300 devices".
 * The cause: the incident id was derived from the episode's first seen *within the run's window*,
 * and the window is [now - queryPeriod, ...]: a re-run at a later time no longer sees a device's
 * earliest events, so it named the same episode differently. An episode's id now depends only on
 * the device's history (src/core/ids.ts): after the state is lost the re-run rewrites the same
 * incidents, and counts them as updated (the sink had them), not as created.
 */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { DAY, EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';

const az = useAzurite();
const rule = testRule();

/** 300 devices with three signed-file events each, spread over the 7 days before `end` (deterministic). */
function spreadEvents(backend: EventBackend, end: Date): void {
  let x = 7;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  let reportId = 1;
  for (let d = 0; d < 300; d++) {
    // Ending an hour before the first run: every event is already ingested when it runs.
    for (let k = 0; k < 3; k++) backend.events.push(event(`dev${String(d).padStart(3, '0')}`, new Date(end.getTime() - HOUR - Math.floor(next() * 7 * DAY)), reportId++));
  }
}

describe('a re-run after the state was lost', () => {
  for (const later of [0, DAY, 2.5 * DAY]) {
    it(`${later / HOUR} hours later rewrites the same 300 incidents and creates none`, async () => {
      const now = new Date('2026-11-22T00:00:00Z');
      const backend = new EventBackend();
      spreadEvents(backend, now);
      const sink = new RecordingSink();
      const clock = new SettableClock(now);
      const first = await hunt({ backend, state: (await az.newStore()).store, sink, clock, rule });
      const raised = first.created.length;
      expect(raised).toBeGreaterThan(250);

      // The state is gone (a new, empty table); the sink's incidents remain.
      clock.advance(later);
      const again = await hunt({ backend, state: (await az.newStore()).store, sink, clock, rule });
      const seenAgain = again.created.length + again.updated.length;
      expect(seenAgain).toBeGreaterThan(200);
      expect(again.created).toEqual([]);
      expect(again.updated.every((u) => u.reason === 'resumed' && u.sequence === 0)).toBe(true);
      // Not one device has a second incident.
      expect(sink.incidents.size).toBe(raised);
    });
  }
});
