/**
 * Cost per run, counted as HTTP requests reaching Table Storage (a loopback proxy in front of
 * Azurite), as the storage account bills them (a transaction is one request). Issue 14's budget:
 * at most ceil(changed / 100) + 2 writes per run, and only the run report when nothing changed.
 * New devices are written once each (no reservation: the episode id needs none), in transactions
 * of 100; the watermark rides in the run report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAzurite, uniqueTableName } from '../../support/azurite.js';
import { useCountingProxy, withTableEndpoint } from '../../support/countingProxy.js';
import { HOUR, RecordingSink, RowsBackend, SettableClock, hitRows, hunt, testRule } from '../../support/hunt.js';
import { TableStateStore } from '../../../src/adapters/table/tableStateStore.js';

const az = useAzurite();
const countingProxy = useCountingProxy(() => az.azurite().tableEndpoint);

const summarize = (requests: readonly { method: string; path: string }[]) =>
  requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '').replace(/\(.*\)$/, '(..)')}`).reduce<Record<string, number>>((acc, key) => ({ ...acc, [key]: (acc[key] ?? 0) + 1 }), {});

const isWrite = (r: { method: string }) => r.method !== 'GET';

async function countingStore() {
  const table = az.tableClient(uniqueTableName(), withTableEndpoint(az.azurite().connectionString, countingProxy().endpoint));
  return TableStateStore.open(table);
}

describe('Table requests per run', () => {
  for (const devices of [100, 1_000, 10_000]) {
    it(`${devices.toLocaleString('en-US')} new devices: at most ceil(${devices} / 100) + 2 writes; the same hits again: only the run report`, async () => {
      const store = await countingStore();
      const backend = new RowsBackend(hitRows(devices));
      const sink = new RecordingSink();
      const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
      const rule = testRule();

      countingProxy().reset();
      const first = await hunt({ backend, state: store, sink, clock, rule });
      expect(first.created).toHaveLength(devices);
      const firstWrites = countingProxy().requests.filter(isWrite).length;
      console.log(`${devices} new devices: ${countingProxy().requests.length} Table requests, ${firstWrites} writes`, summarize(countingProxy().requests));
      expect(firstWrites).toBeLessThanOrEqual(Math.ceil(devices / 100) + 2);

      countingProxy().reset();
      clock.advance(HOUR);
      const second = await hunt({ backend, state: store, sink, clock, rule });
      expect(second).toMatchObject({ hits: devices, unchanged: devices, created: [], updated: [] });
      console.log(`${devices} unchanged: ${countingProxy().requests.length} Table requests`, summarize(countingProxy().requests));
      expect(countingProxy().requests.filter(isWrite)).toHaveLength(1);
      // Devices in pages of 1,000, the newest run reports (the watermark), the purge query.
      expect(countingProxy().requests.filter((r) => r.method === 'GET').length).toBeLessThanOrEqual(Math.ceil(devices / 1000) + 2);
    }, 300_000);
  }

  it('one new report id on 150 of 2,000 devices: two transactions and the report, not 150 writes', async () => {
    const store = await countingStore();
    const result = hitRows(2000);
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
    expect(countingProxy().requests.filter(isWrite)).toHaveLength(3);
    expect(countingProxy().requests.length).toBeLessThanOrEqual(7);
  });

  it('expired run reports are purged once a day in one transaction, not one delete per run', async () => {
    const store = await countingStore();
    const backend = new RowsBackend(hitRows(1));
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    const rule = testRule();
    const deletes: number[] = [];
    // Hourly runs for 33 days with 30 days of retention.
    for (let run = 0; run < 33 * 24; run++) {
      countingProxy().reset();
      await hunt({ backend, state: store, sink, clock, rule });
      deletes.push(countingProxy().requests.filter((r) => r.method === 'POST' && r.path.includes('$batch')).length);
      clock.advance(HOUR);
    }
    const runsWithPurge = deletes.filter((n) => n > 0).length;
    console.log(`33 days of hourly runs: ${runsWithPurge} purge transactions`);
    expect(runsWithPurge).toBeLessThanOrEqual(3);
    expect((await store.listRunReports(rule.id, 1000)).length).toBeLessThanOrEqual(31 * 24 + 1);
  }, 300_000);
});
