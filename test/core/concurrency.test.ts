/** Two runs at once (a timer and a manual run) on the same table and the same incident sink. */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { RecordingSink, SettableClock, event, hunt, testRule, EventBackend } from '../support/hunt.js';
import { TableStateStore } from '../../src/adapters/table/tableStateStore.js';
import type { Detection } from '../../src/core/detection.js';
import type { DetectionSink } from '../../src/core/ports.js';

const az = useAzurite();
const rule = testRule();

describe('two concurrent runs', () => {
  it('racing freely over 250 new devices (three transactions each) raise each incident once', async () => {
    const { table } = await az.newStore();
    // Two processes: two clients, two stores, on the same table.
    const storeA = await TableStateStore.open(az.tableClient(table.tableName));
    const storeB = await TableStateStore.open(az.tableClient(table.tableName));
    const backend = new EventBackend();
    for (let i = 0; i < 250; i++) backend.events.push(event(`dev${i}`, new Date(Date.parse('2026-11-20T11:00:00Z') + i * 1000), 1000 + i));
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    const [a, b] = await Promise.all([hunt({ backend, state: storeA, sink, clock, rule }), hunt({ backend, state: storeB, sink, clock, rule })]);
    expect(a.status).toBe('succeeded');
    expect(b.status).toBe('succeeded');
    expect(sink.incidents.size).toBe(250);
    for (let i = 0; i < 250; i++) expect(sink.incidentsFor(`dev${i}`)).toHaveLength(1);
    const devices = await storeA.loadDevices(rule.id);
    expect(devices.size).toBe(250);
    expect([...devices.values()].every((d) => sink.incidents.has(d.state.episode!.episodeId) && d.state.reported.reportCount === 1)).toBe(true);
    // Each device was created by one run and found done by the other: nothing counted twice.
    expect(a.created.length + b.created.length + a.updated.length + b.updated.length).toBeGreaterThanOrEqual(250);
    expect(a.created.length + b.created.length).toBeLessThanOrEqual(250);
  });

  it('a run that starts while another is between its sink write and its state write names the same episode, and counts it once', async () => {
    const { store } = await az.newStore();
    const backend = new EventBackend();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1));
    const shared = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    // A late, earlier event arrives between the two runs' queries: the second run's hit differs, its episode does not.
    let second: Promise<Awaited<ReturnType<typeof hunt>>> | undefined;
    const pausingSink: DetectionSink = {
      name: 'pausing',
      async write(detections: readonly Detection[]) {
        const written = await shared.write(detections);
        if (!second) {
          backend.events.push(event('dev1', '2026-11-20T10:30:00Z', 2));
          second = hunt({ backend, state: store, sink: shared, clock, rule });
          await second;
        }
        return written;
      },
    };
    const first = await hunt({ backend, state: store, sink: pausingSink, clock, rule });
    const secondReport = await second!;
    expect(shared.incidents.size).toBe(1);
    // The second run found the episode in the sink: a resumed write, not a second incident, not counted as created.
    expect(secondReport.created).toEqual([]);
    expect(secondReport.updated).toEqual([expect.objectContaining({ reason: 'resumed', episodeId: [...shared.incidents.keys()][0] })]);
    // The first run lost the ETag race and found its work already done.
    expect(first.created.length + first.unchanged + first.updated.length).toBe(1);
    const device = (await store.readDevice(rule.id, 'dev1'))!.state;
    expect(device.reported.reportCount).toBe(2);
    expect(shared.incidents.has(device.episode!.episodeId)).toBe(true);
  });
});
