import { describe, expect, it } from 'vitest';
import { hitsFromResult } from '../../src/core/hitRows.js';

const columns = ['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count'].map((name) => ({ name, type: 'x' }));

describe('hitsFromResult', () => {
  it('maps rows and merges a renamed device into one hit per DeviceId', () => {
    const { hits } = hitsFromResult(
      {
        columns,
        rows: [
          { DeviceId: 'd1', DeviceName: 'old', FirstSeen: new Date('2026-11-01T00:00:00Z'), LastSeen: new Date('2026-11-02T00:00:00Z'), Report: [1, 2], Count: 2 },
          { DeviceId: 'd1', DeviceName: 'new', FirstSeen: '2026-11-03T00:00:00Z', LastSeen: '2026-11-04T00:00:00Z', Report: '["2","3"]', Count: 2 },
        ],
      },
      'rules/x.yaml',
    );
    expect(hits).toEqual([
      { deviceId: 'd1', deviceName: 'new', firstSeen: new Date('2026-11-01T00:00:00Z'), lastSeen: new Date('2026-11-04T00:00:00Z'), reportIds: ['1', '2', '3'], eventCount: 4 },
    ]);
  });

  it('keeps report ids beyond 2^53 exact when Report arrives as JSON text', () => {
    const row = { DeviceId: 'd', DeviceName: 'n', FirstSeen: new Date(), LastSeen: new Date(), Report: '[12345678901234567890, 7]', Count: 2 };
    expect(hitsFromResult({ columns, rows: [row] }, 'rules/x.yaml').hits[0]?.reportIds).toEqual(['12345678901234567890', '7']);
  });

  it('puts the rule\'s report id scope (its table, for a rule of a detection group) in front of each id', () => {
    const row = { DeviceId: 'd', DeviceName: 'n', FirstSeen: new Date(), LastSeen: new Date(), Report: [7, 7, 8], Count: 3 };
    expect(hitsFromResult({ columns, rows: [row] }, 'rules/x.yaml', 'DeviceProcessEvents').hits[0]?.reportIds).toEqual(['DeviceProcessEvents:7', 'DeviceProcessEvents:8']);
  });

  it('names the rule file and the missing columns', () => {
    expect(() => hitsFromResult({ columns: columns.filter((c) => c.name !== 'Report'), rows: [] }, 'rules/x.yaml')).toThrow(
      /rules\/x\.yaml: .*missing Report/,
    );
  });

  it('skips a row whose Report is not an array, naming the row and its device, and keeps the others', () => {
    const row = { DeviceId: 'd', DeviceName: 'n', FirstSeen: new Date(), LastSeen: new Date(), Report: 5, Count: 1 };
    const good = { ...row, DeviceId: 'd2', Report: [1] };
    const { hits, rejected } = hitsFromResult({ columns, rows: [row, good] }, 'rules/x.yaml');
    expect(hits.map((h) => h.deviceId)).toEqual(['d2']);
    expect(rejected).toEqual([{ row: 1, message: expect.stringMatching(/^hunt result row 1 \(DeviceName "n"\): column Report is not a dynamic array/) }]);
  });

  it('skips rows with an empty, oversized or ill-formed DeviceId, and never names the rule file for them', () => {
    const base = { DeviceName: 'pc', FirstSeen: new Date(), LastSeen: new Date(), Report: [1], Count: 1 };
    const { hits, rejected } = hitsFromResult(
      { columns, rows: [{ ...base, DeviceId: '' }, { ...base, DeviceId: 'x'.repeat(1025) }, { ...base, DeviceId: 'a\ud800' }, { ...base, DeviceId: 'ok' }] },
      'rules/x.yaml',
    );
    expect(hits.map((h) => h.deviceId)).toEqual(['ok']);
    expect(rejected.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(rejected.map((r) => r.message).join('\n')).not.toContain('rules/x.yaml');
    expect(rejected[0]?.message).toMatch(/column DeviceId is empty/);
    expect(rejected[1]?.message).toMatch(/1025 characters/);
  });

  it('bounds a hostile device name (40,000 characters) and makes it well-formed', () => {
    const row = { DeviceId: 'd', DeviceName: `${'n'.repeat(40_000)}\ud800`, FirstSeen: new Date(), LastSeen: new Date(), Report: [1], Count: 1 };
    const name = hitsFromResult({ columns, rows: [row] }, 'rules/x.yaml').hits[0]!.deviceName;
    expect(name.length).toBeLessThanOrEqual(1024);
    expect(name.endsWith('…')).toBe(true);
  });
});
