/**
 * Issue 11.4: a context query that fails, or returns nothing for a device, never suppresses a
 * detection and is never recorded as complete. The device is raised without it, its context is
 * marked incomplete in state and in the run report, and every run asks again until it arrives:
 * then the same episode is updated with it (re-rendered), or, after CONTEXT_ATTEMPTS runs, it is
 * given up and stays recorded as incomplete.
 */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';
import type { ContextEnricher } from '../../src/core/ports.js';
import type { DeviceContext } from '../../src/core/model.js';
import { CONTEXT_ATTEMPTS } from '../../src/core/episodePlan.js';
import { createExclusionEvaluator, parseExclusionsText } from '../../src/exclusions/index.js';

const az = useAzurite();
const rule = testRule({ contextQuery: 'the enricher below answers instead' });

/** An enricher whose answers the test sets per device: a context, a failure, or nothing. */
class ScriptedEnricher implements ContextEnricher {
  readonly answers = new Map<string, DeviceContext | 'fail'>();
  readonly asked: string[][] = [];
  async enrich(_rule: unknown, hits: readonly { deviceId: string }[]) {
    this.asked.push(hits.map((h) => h.deviceId));
    const contexts = new Map<string, DeviceContext>();
    const failed = new Map<string, string>();
    for (const { deviceId } of hits) {
      const answer = this.answers.get(deviceId);
      if (answer === 'fail') failed.set(deviceId, 'context query failed: DeviceProcessEvents is not a known table');
      else if (answer !== undefined) contexts.set(deviceId, answer);
    }
    return { contexts, failed };
  }
}

const ranFromDownloads: DeviceContext = {
  files: [{ sha1: 'ab'.repeat(20), signer: 'Ammyy LLC', fileName: 'AA_v3.exe', folderPath: 'C:\\Users\\bob\\Downloads' }],
  activities: [
    {
      id: 'p1',
      timestamp: new Date('2026-11-20T10:05:00Z'),
      fields: { 'process.name': ['AA_v3.exe'], 'process.parent.name': ['powershell.exe'], 'user.name': ['CONTOSO\\bob'], 'process.executable': ['C:\\Users\\bob\\Downloads\\AA_v3.exe'] },
      destinations: [{ ip: '203.0.113.45', port: '443' }],
    },
  ],
};

async function setup() {
  const { store } = await az.newStore();
  const backend = new EventBackend();
  const sink = new RecordingSink();
  const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
  const enricher = new ScriptedEnricher();
  const run = (exclusions?: ReturnType<typeof createExclusionEvaluator>) => hunt({ backend, state: store, sink, clock, rule, deps: { enricher }, ...(exclusions ? { exclusions } : {}) });
  return { store, backend, sink, clock, enricher, run };
}

describe('missing context', () => {
  it('a failed context query raises the device anyway, marked incomplete, and the next run re-renders the same episode once it arrives', async () => {
    const { store, backend, sink, clock, enricher, run } = await setup();
    backend.events.push(event('dev1', '2026-11-20T10:00:00Z', 1), event('dev2', '2026-11-20T10:00:00Z', 2));
    enricher.answers.set('dev1', 'fail');
    enricher.answers.set('dev2', ranFromDownloads);
    const first = await run();
    expect(first.status).toBe('succeeded');
    expect(first.created.map((c) => [c.deviceId, c.contextComplete])).toEqual([['dev1', false], ['dev2', true]]);
    expect(first.contextIncomplete).toEqual(['dev1']);
    expect(first.warnings.join('\n')).toMatch(/1 device\(s\) raised or kept without their context/);
    expect(sink.detections.find((d) => d.device.id === 'dev1')?.contextComplete).toBe(false);
    expect((await store.readDevice(rule.id, 'dev1'))?.state.episode?.contextPending).toMatchObject({ attempts: 1, givenUp: false, reason: expect.stringMatching(/not a known table/) });

    // Nothing new in the hunt, but dev1's context is asked for again, and now it is there.
    clock.advance(HOUR);
    enricher.answers.set('dev1', ranFromDownloads);
    const second = await run();
    expect(enricher.asked.at(-1)).toEqual(['dev1']);
    expect(second.updated).toEqual([expect.objectContaining({ deviceId: 'dev1', reason: 'contextArrived', sequence: 1, contextComplete: true })]);
    const incident = sink.incidentsFor('dev1')[0]!;
    expect(incident.description).toContain('powershell.exe');
    expect(incident.description).toContain('203.0.113.45');
    expect((await store.readDevice(rule.id, 'dev1'))?.state.episode?.contextPending).toBeUndefined();

    // Complete now: a run with nothing new asks nothing and writes nothing.
    clock.advance(HOUR);
    const third = await run();
    expect(third).toMatchObject({ unchanged: 2, created: [], updated: [], contextIncomplete: [] });
    expect(enricher.asked).toHaveLength(2);
  });

  it('a device the context query returns nothing for is not recorded as complete either, and is given up after the limit', async () => {
    const { store, backend, clock, enricher, run } = await setup();
    backend.events.push(event('quiet', '2026-11-20T10:00:00Z', 1));
    const first = await run();
    expect(first.created).toEqual([expect.objectContaining({ deviceId: 'quiet', contextComplete: false })]);
    for (let attempt = 2; attempt <= CONTEXT_ATTEMPTS + 1; attempt++) {
      clock.advance(HOUR);
      const report = await run();
      expect(report.created).toEqual([]);
      expect(report.updated).toEqual([]);
      if (attempt <= CONTEXT_ATTEMPTS) expect(report.contextIncomplete).toEqual(['quiet']);
    }
    // Asked once per run up to the limit, then no more; the state still says incomplete.
    expect(enricher.asked).toHaveLength(CONTEXT_ATTEMPTS);
    expect((await store.readDevice(rule.id, 'quiet'))?.state.episode?.contextPending).toMatchObject({ attempts: CONTEXT_ATTEMPTS, givenUp: true });
  });

  it('missing context never lets an exclusion suppress: the device is raised, and the exclusions are judged again once the context arrives', async () => {
    const { backend, enricher, clock, sink, run } = await setup();
    const exclusions = createExclusionEvaluator(
      parseExclusionsText(['exclusions:', '  - id: it-downloads', '    description: IT', '    enabled: true', '    when:', '      field: process.parent.name', '      equals: powershell.exe'].join('\n'), 'exclusions.yaml').exclusions,
      { warnShare: 1 },
    );
    backend.events.push(event('dev1', '2026-11-20T10:00:00Z', 1));
    enricher.answers.set('dev1', 'fail');
    const first = await run(exclusions);
    expect(first.suppressed).toEqual([]);
    expect(first.created).toEqual([expect.objectContaining({ deviceId: 'dev1', contextComplete: false })]);
    clock.advance(HOUR);
    enricher.answers.set('dev1', ranFromDownloads);
    const second = await run(exclusions);
    // The detection exists: it is updated with the context, and the analyst sees the exclusion that matches now.
    expect(second.updated).toEqual([expect.objectContaining({ deviceId: 'dev1', reason: 'contextArrived' })]);
    expect(sink.incidentsFor('dev1')[0]?.description).toContain('it-downloads');
  });
});
