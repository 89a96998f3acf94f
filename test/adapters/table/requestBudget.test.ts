/**
 * Cost per run, counted as HTTP requests reaching Table Storage (a loopback proxy in front of
 * Azurite): a run over 2,000 hits with nothing new loads the rule in pages of 1,000 and writes
 * only the watermark and the run report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAzurite, uniqueTableName } from '../../support/azurite.js';
import { useCountingProxy, withTableEndpoint } from '../../support/countingProxy.js';
import { HOUR, RecordingSink, RowsBackend, SettableClock, hunt, testRule } from '../../support/hunt.js';
import { TableStateStore } from '../../../src/adapters/table/tableStateStore.js';
import type { QueryResult } from '../../../src/core/model.js';

const az = useAzurite();
const countingProxy = useCountingProxy(() => az.azurite().tableEndpoint);

function rows(devices: number): QueryResult {
  const columns = ['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count'].map((name) => ({ name, type: 'x' }));
  return {
    columns,
    rows: Array.from({ length: devices }, (_, i) => ({
      DeviceId: `device-${String(i).padStart(5, '0')}`,
      DeviceName: `pc-${i}.contoso.local`,
      FirstSeen: new Date('2026-11-20T10:00:00Z'),
      LastSeen: new Date('2026-11-20T11:00:00Z'),
      Report: [String(5_000_000 + 2 * i), String(5_000_001 + 2 * i)],
      Count: 2,
    })),
  };
}

const summarize = (requests: readonly { method: string; path: string }[]) =>
  requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '').replace(/\(.*\)$/, '(..)')}`).reduce<Record<string, number>>((acc, key) => ({ ...acc, [key]: (acc[key] ?? 0) + 1 }), {});

describe('Table requests per run', () => {
  it('2,000 hits with nothing new: a few reads plus the watermark and run-report writes', async () => {
    const table = az.tableClient(uniqueTableName(), withTableEndpoint(az.azurite().connectionString, countingProxy().endpoint));
    const store = await TableStateStore.open(table);
    const backend = new RowsBackend(rows(2000));
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    const rule = testRule();

    countingProxy().reset();
    const first = await hunt({ backend, state: store, sink, clock, rule });
    expect(first.created).toHaveLength(2000);
    const firstRunRequests = countingProxy().requests.length;
    // Reservations and final states: 20 transactions each; plus load, watermark, report, purge.
    expect(firstRunRequests).toBeLessThanOrEqual(2 * 20 + 6);
    console.log(`first run, 2,000 new devices: ${firstRunRequests} Table requests`, summarize(countingProxy().requests));

    countingProxy().reset();
    clock.advance(HOUR);
    const second = await hunt({ backend, state: store, sink, clock, rule });
    expect(second).toMatchObject({ hits: 2000, unchanged: 2000, created: [], updated: [] });
    const reads = countingProxy().requests.filter((r) => r.method === 'GET');
    const writes = countingProxy().requests.filter((r) => r.method !== 'GET');
    console.log(`second run, 2,000 unchanged: ${countingProxy().requests.length} Table requests`, summarize(countingProxy().requests));
    // 2,001 entities (devices + watermark) in pages of 1,000, and the run-report purge query.
    expect(reads.length).toBeLessThanOrEqual(4);
    // The watermark and the run report; nothing per device.
    expect(writes.length).toBeLessThanOrEqual(2);
    expect(countingProxy().requests.length).toBeLessThanOrEqual(6);
  });

  it('one new report id on 150 of 2,000 devices: two transactions, not 150 writes', async () => {
    const table = az.tableClient(uniqueTableName(), withTableEndpoint(az.azurite().connectionString, countingProxy().endpoint));
    const store = await TableStateStore.open(table);
    const result = rows(2000);
    const backend = new RowsBackend(result);
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    await hunt({ backend, state: store, sink, clock, rule: testRule() });
    backend.result = { ...result, rows: result.rows.map((row, i) => (i < 150 ? { ...row, Report: [...(row.Report as string[]), `new-${i}`] } : row)) };
    countingProxy().reset();
    clock.advance(HOUR);
    const report = await hunt({ backend, state: store, sink, clock, rule: testRule() });
    expect(report.updated).toHaveLength(150);
    const batches = countingProxy().requests.filter((r) => r.method === 'POST' && r.path.includes('$batch'));
    console.log(`150 updated devices: ${countingProxy().requests.length} Table requests`, summarize(countingProxy().requests));
    expect(batches).toHaveLength(2);
    expect(countingProxy().requests.length).toBeLessThanOrEqual(8);
  });
});
