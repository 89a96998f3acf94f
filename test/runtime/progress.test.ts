/**
 * Progress as text (issue 14): devices done of the total and the time left from the phase's own
 * pace, for the CLI's status line and the Function's log, which says how far a run is at most
 * every interval.
 */
import { describe, expect, it } from 'vitest';
import { intervalProgressLog, ProgressTracker } from '../../src/runtime/progress.js';

function clock() {
  const c = { now: 0, nowMs: () => c.now };
  return c;
}

describe('progress tracker', () => {
  it('says the phase, devices done of the total, and the time left at the pace so far', () => {
    const time = clock();
    const tracker = new ProgressTracker(undefined, time.nowMs);
    expect(tracker.describe()).toBeUndefined();
    tracker.begin('enrich', 10_000);
    expect(tracker.describe()).toBe('enriching hits with context: 0 of 10,000 devices (0%)');
    time.now = 2_000;
    tracker.advance('enrich', 4_000);
    expect(tracker.describe()).toBe('enriching hits with context: 4,000 of 10,000 devices (40%), about 3 s left');
    tracker.begin('write', 10_000);
    time.now = 62_000;
    tracker.advance('write', 500);
    expect(tracker.describe()).toBe('writing incidents and state: 500 of 10,000 devices (5%), about 19 min left');
    tracker.advance('write', 9_500);
    expect(tracker.describe()).toBe('writing incidents and state: 10,000 of 10,000 devices (100%)');
  });

  it('ignores advances of a phase that is not the current one, and never counts past the total', () => {
    const tracker = new ProgressTracker();
    tracker.begin('write', 10);
    tracker.advance('enrich', 5);
    tracker.advance('write', 15);
    expect(tracker.position()).toEqual({ phase: 'write', total: 10, done: 10 });
  });
});

describe('the Function\'s progress log', () => {
  it('logs when a phase begins, at most once per interval while it runs, and when it ends', () => {
    const time = clock();
    const lines: string[] = [];
    const progress = intervalProgressLog((line) => lines.push(line), 30_000, time.nowMs);
    progress.begin('write', 1_000);
    for (let i = 0; i < 10; i++) {
      time.now += 10_000;
      progress.advance('write', 100);
    }
    expect(lines).toEqual([
      'progress: writing incidents and state: 0 of 1,000 devices (0%)',
      'progress: writing incidents and state: 300 of 1,000 devices (30%), about 70 s left',
      'progress: writing incidents and state: 600 of 1,000 devices (60%), about 40 s left',
      'progress: writing incidents and state: 900 of 1,000 devices (90%), about 10 s left',
      'progress: writing incidents and state: 1,000 of 1,000 devices (100%)',
    ]);
  });

  it('says nothing for a phase with nothing to do', () => {
    const lines: string[] = [];
    intervalProgressLog((line) => lines.push(line)).begin('enrich', 0);
    expect(lines).toEqual([]);
  });
});
