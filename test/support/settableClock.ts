import type { Clock } from '../../src/core/ports.js';

/** A clock the test moves: stopped at one instant (as a run sees it) until the test advances it, e.g. to the next due run. */
export function settableClock(start: Date): Clock & { advance(ms: number): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
  };
}
