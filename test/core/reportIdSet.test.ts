import { describe, expect, it } from 'vitest';
import { emptyReportIdSet, addReportIds, OVERFLOW_FILTER_BYTES, RECENT_REPORT_IDS_MAX, RECENT_REPORT_IDS_MAX_CHARS, unseenReportIds } from '../../src/core/reportIdSet.js';

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(1_000_000_000_000 + from + i));

describe('report id set', () => {
  it('merges as a set: merging the same ids twice changes nothing', () => {
    const once = addReportIds(emptyReportIdSet, ['1', '2', '2', '3']);
    expect(once.reportCount).toBe(3);
    expect(addReportIds(once, ['3', '1'])).toBe(once);
    expect(unseenReportIds(once, ['1', '4', '4'])).toEqual(['4']);
  });

  it('keeps no filter while every id fits in the recent list', () => {
    const evidence = addReportIds(emptyReportIdSet, ids(0, 500));
    expect(evidence.overflowFilter).toBeUndefined();
    expect(evidence.recentReportIds).toHaveLength(500);
  });

  it('bounds the recent list and still recognises every overflowed id as seen', () => {
    let evidence = emptyReportIdSet;
    for (let i = 0; i < 10; i++) evidence = addReportIds(evidence, ids(i * 1000, (i + 1) * 1000));
    expect(evidence.reportCount).toBe(10_000);
    expect(evidence.recentReportIds.length).toBeLessThanOrEqual(RECENT_REPORT_IDS_MAX);
    expect(JSON.stringify(evidence.recentReportIds).length).toBeLessThanOrEqual(RECENT_REPORT_IDS_MAX_CHARS);
    expect(evidence.overflowFilter?.length).toBe(OVERFLOW_FILTER_BYTES);
    expect(unseenReportIds(evidence, ids(0, 10_000))).toEqual([]);
    // Ids never merged: a Bloom filter may take a few for seen, never many.
    const fresh = unseenReportIds(evidence, ids(20_000, 30_000));
    expect(fresh.length).toBeGreaterThan(9_990);
  });

  it('keeps the recent list under the character bound when ids are long', () => {
    const long = Array.from({ length: 400 }, (_, i) => `${'x'.repeat(200)}-${i}`);
    const evidence = addReportIds(emptyReportIdSet, long);
    expect(JSON.stringify(evidence.recentReportIds).length).toBeLessThanOrEqual(RECENT_REPORT_IDS_MAX_CHARS);
    expect(evidence.recentReportIds.at(-1)).toBe(long.at(-1));
    expect(unseenReportIds(evidence, long)).toEqual([]);
  });
});
