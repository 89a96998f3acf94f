import { describe, expect, it } from 'vitest';
import { hitsFromResult } from '../../src/core/hitRows.js';

const columns = ['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count'].map((name) => ({ name, type: 'x' }));

describe('hitsFromResult', () => {
  it('maps rows and merges a renamed device into one hit per DeviceId', () => {
    const hits = hitsFromResult(
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
      { deviceId: 'd1', deviceName: 'new', firstSeen: new Date('2026-11-01T00:00:00Z'), lastSeen: new Date('2026-11-04T00:00:00Z'), reportIds: ['1', '2', '3'], count: 4 },
    ]);
  });

  it('keeps report ids beyond 2^53 exact when Report arrives as JSON text', () => {
    const row = { DeviceId: 'd', DeviceName: 'n', FirstSeen: new Date(), LastSeen: new Date(), Report: '[12345678901234567890, 7]', Count: 2 };
    expect(hitsFromResult({ columns, rows: [row] }, 'rules/x.yaml')[0]?.reportIds).toEqual(['12345678901234567890', '7']);
  });

  it('names the rule file and the missing columns', () => {
    expect(() => hitsFromResult({ columns: columns.filter((c) => c.name !== 'Report'), rows: [] }, 'rules/x.yaml')).toThrow(
      /rules\/x\.yaml: .*missing Report/,
    );
  });

  it('refuses a Report that is not an array', () => {
    const row = { DeviceId: 'd', DeviceName: 'n', FirstSeen: new Date(), LastSeen: new Date(), Report: 5, Count: 1 };
    expect(() => hitsFromResult({ columns, rows: [row] }, 'rules/x.yaml')).toThrow(/row 1: column Report is not a dynamic array/);
  });
});
