/**
 * Table Storage refuses a transaction whose body is over 4 MiB (413 RequestBodyTooLarge), and
 * that is no conflict: the same writes would fail every run and the watermark would never move.
 * Devices with full evidence (1,000 recent ids and the 32 KiB overflow filter, ~60 KB each on the
 * wire) must be split into transactions by size, not only by count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAzurite, uniqueTableName } from '../../support/azurite.js';
import { useCountingProxy, withTableEndpoint } from '../../support/countingProxy.js';
import { TableStateStore } from '../../../src/adapters/table/tableStateStore.js';
import { emptyReportIdSet, addReportIds, OVERFLOW_FILTER_BYTES, type ReportIdSet } from '../../../src/core/reportIdSet.js';
import type { DeviceState } from '../../../src/core/state.js';
import { writtenDeviceState } from '../../support/deviceStates.js';

const az = useAzurite();
const RULE = 'rule-heavy';
const countingProxy = useCountingProxy(() => az.azurite().tableEndpoint);

/** 1,500 ids of 19 digits: the recent list keeps 1,000 of them and the overflow filter is in use. */
function fullEvidence(seed: number): ReportIdSet {
  const ids = Array.from({ length: 1500 }, (_, i) => String(9_000_000_000_000_000 + seed * 10_000 + i));
  return addReportIds(emptyReportIdSet, ids);
}

function heavyDevice(i: number, evidence: ReportIdSet): DeviceState {
  return writtenDeviceState(`heavy-${String(i).padStart(3, '0')}`, `heavy-${i}.contoso.local`, evidence);
}

const batchRequests = () => countingProxy().requests.filter((r) => r.method === 'POST' && r.path.includes('$batch'));

describe('transactions within the 4 MiB request limit', () => {
  it('writes 100 devices with full evidence (create, then update) in a few transactions', async () => {
    const store = await TableStateStore.open(az.tableClient(uniqueTableName(), withTableEndpoint(az.azurite().connectionString, countingProxy().endpoint)));
    const evidence = fullEvidence(1);
    expect(evidence.recentReportIds).toHaveLength(1000);
    expect(evidence.overflowFilter?.length).toBe(OVERFLOW_FILTER_BYTES);
    const devices = Array.from({ length: 100 }, (_, i) => heavyDevice(i, evidence));

    countingProxy().reset();
    const created = await store.writeDevices(RULE, devices.map((state) => ({ state, expectedEtag: undefined })));
    expect(created.map((r) => r.outcome)).toEqual(devices.map(() => 'written'));
    // Split by size (about 3.5 MiB each), not one transaction per device and not one oversized one.
    expect(batchRequests().length).toBeGreaterThanOrEqual(2);
    expect(batchRequests().length).toBeLessThanOrEqual(3);
    expect(countingProxy().requests.length).toBe(batchRequests().length);

    const more = addReportIds(evidence, ['new-1']);
    countingProxy().reset();
    const updated = await store.writeDevices(
      RULE,
      devices.map((state, i) => ({ state: { ...state, reported: more }, expectedEtag: created[i]!.outcome === 'written' ? created[i]!.etag : undefined })),
    );
    expect(updated.map((r) => r.outcome)).toEqual(devices.map(() => 'written'));
    expect(batchRequests().length).toBeLessThanOrEqual(3);

    const loaded = await store.loadDevices(RULE);
    expect(loaded.size).toBe(100);
    expect(loaded.get('heavy-042')?.state.reported.reportCount).toBe(1501);
  });

  it('falls back to single-entity writes when a transaction is still refused as too large', async () => {
    // A store told the limit is far higher than it is sends one oversized transaction: the 413 must not fail the writes.
    const table = az.tableClient(uniqueTableName(), withTableEndpoint(az.azurite().connectionString, countingProxy().endpoint));
    const store = await TableStateStore.open(table, { maxTransactionBytes: 64 * 1024 * 1024 });
    const evidence = fullEvidence(2);
    // 80 devices of ~66 KB: over 5 MiB in one transaction.
    const devices = Array.from({ length: 80 }, (_, i) => heavyDevice(i, evidence));
    countingProxy().reset();
    const results = await store.writeDevices(RULE, devices.map((state) => ({ state, expectedEtag: undefined })));
    expect(results.map((r) => r.outcome)).toEqual(devices.map(() => 'written'));
    expect(batchRequests()).toHaveLength(1);
    expect(countingProxy().requests.filter((r) => r.method !== 'GET').length).toBe(81);
    expect((await store.loadDevices(RULE)).size).toBe(80);
  });
});
