// ingestion_time(): "the approximate datetime in UTC format indicating when the current record was ingested. This
// function must be used in the context of a table ... Otherwise, this function produces null values."
// (learn.microsoft.com/kusto/query/ingestion-time-function). Offline, a row's ingestion time is its `_TimeReceived`
// (the Log Analytics standard column workspace exports carry).
import { describe, expect, it } from 'vitest';
import { evaluate, KqlError } from '../../src/kql/index.js';
import { memoryTables, NOW } from './helpers.js';

const Received = { name: 'Received', columns: [{ name: 'Id', type: 'string' as const }, { name: '_TimeReceived', type: 'datetime' as const }] };
const Plain = { name: 'Plain', columns: [{ name: 'Id', type: 'string' as const }] };
const tables = memoryTables(
  {
    Received: [
      { Id: 'a', _TimeReceived: new Date('2026-11-22T11:50:00Z') },
      { Id: 'b', _TimeReceived: new Date('2026-11-22T11:58:00Z') },
    ],
    Plain: [{ Id: 'c' }],
  },
  [Received, Plain],
);

describe('ingestion_time()', () => {
  it("is the row's _TimeReceived in the context of a table", async () => {
    const result = await evaluate('Received | extend At = ingestion_time() | where At > ago(5m) | project Id, At', { tables, now: NOW });
    expect(result.rows).toEqual([{ Id: 'b', At: new Date('2026-11-22T11:58:00Z') }]);
    expect(result.columns.find((column) => column.name === 'At')?.type).toBe('datetime');
  });

  it('is null for rows that carry no ingestion time, and outside a table', async () => {
    expect((await evaluate('Plain | extend At = ingestion_time()', { tables, now: NOW })).rows).toEqual([{ Id: 'c', At: null }]);
    expect((await evaluate('print At = ingestion_time()', { tables, now: NOW })).rows).toEqual([{ At: null }]);
  });

  it('takes no arguments', async () => {
    await expect(evaluate('Received | extend At = ingestion_time(1)', { tables, now: NOW })).rejects.toThrow(KqlError);
  });
});
