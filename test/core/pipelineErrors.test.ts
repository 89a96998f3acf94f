import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { RecordingSink, RowsBackend, SettableClock, hunt, testRule } from '../support/hunt.js';
import { testRunReport } from '../support/runReports.js';

const az = useAzurite();
const clock = () => new SettableClock(new Date('2026-11-20T12:00:00Z'));

describe('bad input to the pipeline', () => {
  it('a hunt result without the expected columns is an error naming the rule file, and moves nothing', async () => {
    const { store } = await az.newStore();
    const backend = new RowsBackend({ columns: [{ name: 'DeviceId', type: 'string' }, { name: 'DeviceName', type: 'string' }], rows: [{ DeviceId: 'd', DeviceName: 'n' }] });
    await expect(hunt({ backend, state: store, sink: new RecordingSink(), clock: clock() })).rejects.toThrow(
      /rules\/ammyy-file-signature\.yaml: the hunt query must return columns .*missing FirstSeen, LastSeen, Report, Count/,
    );
    expect(await store.loadWatermark(testRule().id)).toBeUndefined();
  });

  it('a rule that declares no Time_start/Time_end cannot be windowed', async () => {
    const { store } = await az.newStore();
    const rule = testRule({ query: 'DeviceFileCertificateInfo | where Signer has "Ammyy"' });
    await expect(hunt({ backend: new RowsBackend({ columns: [], rows: [] }), state: store, sink: new RecordingSink(), clock: clock(), rule })).rejects.toThrow(
      /rules\/ammyy-file-signature\.yaml: the query must declare let Time_start = \.\.\.; and let Time_end = \.\.\.;/,
    );
  });

  it('two purges racing over the same old run reports both succeed', async () => {
    const { store } = await az.newStore();
    const base = testRunReport({ ruleId: 'r' });
    for (let i = 0; i < 150; i++) {
      const startedAt = new Date(Date.parse('2026-10-01T00:00:00Z') + i * 60_000).toISOString();
      await store.appendRunReport({ ...base, runId: `run-${i}`, startedAt, finishedAt: startedAt });
    }
    const cutoff = new Date('2026-11-01T00:00:00Z');
    const [a, b] = await Promise.all([store.purgeRunReports('r', cutoff), store.purgeRunReports('r', cutoff)]);
    expect(a + b).toBeGreaterThanOrEqual(150);
    expect(await store.listRunReports('r', 10)).toEqual([]);
  });
});
