/**
 * Issue 14: a run that cannot finish within the Function's timeout checkpoints. It stops starting
 * batches once its time budget is spent (a budget injected here, so no test waits for a clock),
 * stores what it finished, leaves the watermark where it was and says `partial`; the next run finds
 * the finished devices unchanged and continues with the rest: nothing lost, nothing raised twice.
 */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { HOUR, RecordingSink, RowsBackend, SettableClock, hitRows, hunt, testRule } from '../support/hunt.js';
import type { RunBudget } from '../../src/core/ports.js';

const az = useAzurite();
const rule = testRule();

/** Exhausted after `checks` questions: the pipeline asks before each slice and each batch of 100. */
function budgetOf(checks: number): RunBudget & { asked: number } {
  return {
    asked: 0,
    exhausted() {
      this.asked += 1;
      return this.asked > checks;
    },
  };
}

describe('a run that reaches its time budget', () => {
  it('stops between batches, keeps the watermark, and the next runs continue until every device is raised exactly once', async () => {
    const { store } = await az.newStore();
    const backend = new RowsBackend(hitRows(350));
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    const run = (budget?: RunBudget) => hunt({ backend, state: store, sink, clock, rule, deps: budget ? { budget } : {} });

    // One slice check and two batch checks pass: 200 devices are written, 150 deferred.
    const first = await run(budgetOf(3));
    expect(first).toMatchObject({ status: 'partial', deferred: 150 });
    expect(first.created).toHaveLength(200);
    expect(first.watermark).toBeUndefined();
    expect(await store.loadWatermark(rule.id)).toBeUndefined();
    expect(first.warnings.join('\n')).toMatch(/time budget reached: 150 device\(s\) left for the next run/);
    expect((await store.listRunReports(rule.id, 1))[0]).toMatchObject({ status: 'partial', deferred: 150 });

    clock.advance(HOUR);
    const second = await run(budgetOf(2));
    expect(second).toMatchObject({ status: 'partial', unchanged: 200, deferred: 50 });
    expect(second.created).toHaveLength(100);

    clock.advance(HOUR);
    const third = await run();
    expect(third).toMatchObject({ status: 'succeeded', unchanged: 300, deferred: 0 });
    expect(third.created).toHaveLength(50);
    expect(third.watermark).toBe(third.window.end);

    expect(sink.incidents.size).toBe(350);
    expect(sink.detections).toHaveLength(350);
    expect((await store.loadDevices(rule.id)).size).toBe(350);
  });

  it('a budget spent before the first slice writes nothing and defers every device', async () => {
    const { store } = await az.newStore();
    const report = await hunt({ backend: new RowsBackend(hitRows(5)), state: store, sink: new RecordingSink(), clock: new SettableClock(new Date('2026-11-20T12:00:00Z')), rule, deps: { budget: budgetOf(0) } });
    expect(report).toMatchObject({ status: 'partial', deferred: 5, created: [] });
    expect((await store.loadDevices(rule.id)).size).toBe(0);
  });
});
