/**
 * Preparing issue 15: devices and their episodes are kept per detection group (default: the rule
 * itself), while the watermark and run reports stay per rule. Two rules of one group (the
 * file-signature and process rules of one RMM tool) raise one episode per device between them.
 */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';
import { detectionGroupOf } from '../../src/core/detectionGroup.js';
import { episodeIdFor } from '../../src/core/ids.js';

const az = useAzurite();

describe('detection groups', () => {
  it('a rule is its own group unless it names one', () => {
    expect(detectionGroupOf(testRule({ id: 'r1' }))).toBe('r1');
    expect(detectionGroupOf(testRule({ id: 'r1', detectionGroup: 'rmm-ammyy' }))).toBe('rmm-ammyy');
  });

  it('two rules of one group share the episode of a device; each keeps its own watermark and runs', async () => {
    const { store } = await az.newStore();
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    const fileRule = testRule({ id: 'ammyy-filesig', detectionGroup: 'rmm-ammyy' });
    const processRule = testRule({ id: 'ammyy-createproc', detectionGroup: 'rmm-ammyy', queryFrequencyMs: 2 * HOUR });
    const fileEvents = new EventBackend();
    const processEvents = new EventBackend();
    fileEvents.events.push(event('dev1', '2026-11-20T10:00:00Z', 1));
    processEvents.events.push(event('dev1', '2026-11-20T11:00:00Z', 2), event('dev2', '2026-11-20T11:00:00Z', 3));

    const byFile = await hunt({ backend: fileEvents, state: store, sink, clock, rule: fileRule });
    const byProcess = await hunt({ backend: processEvents, state: store, sink, clock, rule: processRule });
    expect(byFile.created).toEqual([expect.objectContaining({ deviceId: 'dev1', episodeId: episodeIdFor('rmm-ammyy', 'dev1', undefined) })]);
    expect(byProcess.groupId).toBe('rmm-ammyy');
    // The process rule's evidence for dev1 is an update of the same episode; dev2 is new.
    expect(byProcess.updated).toEqual([expect.objectContaining({ deviceId: 'dev1', episodeId: byFile.created[0]!.episodeId, sequence: 1, newReportIds: 1 })]);
    expect(byProcess.created.map((c) => c.deviceId)).toEqual(['dev2']);
    expect(sink.incidentsFor('dev1')).toHaveLength(1);

    expect((await store.loadDevices('rmm-ammyy')).size).toBe(2);
    expect((await store.loadDevices('ammyy-filesig')).size).toBe(0);
    expect((await store.loadWatermark('ammyy-filesig'))?.toISOString()).toBe(byFile.window.end);
    expect((await store.loadWatermark('ammyy-createproc'))?.toISOString()).toBe(byProcess.window.end);
    expect((await store.listRunReports('ammyy-filesig', 5)).map((r) => r.runId)).toEqual([byFile.runId]);
  });
});
