/** Two runs at once (a timer and a manual run) on the same table and the same incident sink. */
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { RecordingSink, SettableClock, event, hunt, testRule, EventBackend } from '../support/hunt.js';
import { TableStateStore } from '../../src/adapters/table/tableStateStore.js';
import type { IncidentDraft } from '../../src/core/model.js';

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
    const state = await storeA.loadRule(rule.id);
    expect(state.devices.size).toBe(250);
    expect([...state.devices.values()].every((d) => d.state.episode?.incidentWritten && d.state.evidence.reportCount === 1)).toBe(true);
  });

  it('a run that starts while another is between reserving and writing the incident reuses the reserved incident', async () => {
    const { store } = await az.newStore();
    const backend = new EventBackend();
    backend.events.push(event('dev1', '2026-11-20T11:00:00Z', 1));
    const shared = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    // A later event arrives between the two runs' queries: the second run's hit differs.
    let second: Promise<unknown> | undefined;
    const pausingSink = {
      name: 'pausing',
      getStatus: (id: string) => shared.getStatus(id),
      addComment: (c: Parameters<RecordingSink['addComment']>[0]) => shared.addComment(c),
      async upsert(draft: IncidentDraft) {
        if (!second) {
          backend.events.push(event('dev1', '2026-11-20T10:30:00Z', 2));
          second = hunt({ backend, state: store, sink: shared, clock, rule });
          await second;
        }
        return shared.upsert(draft);
      },
    };
    const first = await hunt({ backend, state: store, sink: pausingSink, clock, rule });
    const secondReport = (await second) as Awaited<ReturnType<typeof hunt>>;
    expect(shared.incidents.size).toBe(1);
    expect(secondReport.created).toEqual([expect.objectContaining({ reason: 'resumed', incidentId: first.created[0]?.incidentId ?? expect.any(String) })]);
    // The first run lost the ETag race and found its work already done.
    expect(first.created.length + first.unchanged).toBe(1);
    const device = (await store.readDevice(rule.id, 'dev1'))!.state;
    expect(device.evidence.reportCount).toBe(2);
    expect(shared.incidents.has(device.episode!.incidentId)).toBe(true);
  });
});
