// Anything outside the supported set fails at bind time with a positioned "not supported" error.
import { describe, expect, it } from 'vitest';
import { KqlBindError, lint } from '../../src/kql/index.js';
import { run } from './helpers.js';

describe('not supported', () => {
  it.each([
    ['DeviceInfo | sample 10', 1, 14, /'sample' operator is not supported/],
    ['DeviceInfo | evaluate autocluster()', 1, 23, /'autocluster' plugin is not supported/],
    ['DeviceInfo\n| parse kind=fuzzy DeviceName with a "." b', 2, 14, /parse kind 'fuzzy' is not supported/],
    ['DeviceInfo | extend h = parse_xml(DeviceName)', 1, 25, /'parse_xml\(\)' is not supported/],
    ['DeviceInfo | summarize stdev(OSBuild)', 1, 24, /'stdev' is not supported/],
    ['DeviceInfo | facet by DeviceName', 1, 14, /'facet' operator is not supported/],
    ['set notruncation;\nprint 1', 1, 1, /'set' statements are not supported/],
    ['DeviceInfo | join kind=fancy (DeviceInfo) on DeviceId', 1, 24, /join kind 'fancy' is not supported/],
    // silently ignoring these would change results: refuse them instead
    ['union withsource=T DeviceInfo, DeviceProcessEvents', 1, 18, /union withsource= is not supported/],
    ['DeviceInfo | union kind=fancy DeviceProcessEvents', 1, 25, /union kind 'fancy' is not supported/],
    // valid Kusto that used to be a syntax error or an "unknown" name (issue 13: refused as not supported)
    ['DeviceInfo | where * has "ammyy"', 1, 20, /'\*' as an operand .* is not supported/],
    ['table("DeviceInfo") | take 1', 1, 1, /'table\(\)' is not supported/],
    ['database("db").DeviceInfo | take 1', 1, 1, /'database\(\)' is not supported/],
    ['DeviceInfo | summarize count() by bin_at(Timestamp, 1h, datetime(2020-01-01))', 1, 35, /'bin_at\(\)' is not supported/],
    ['print strcat_array(dynamic([1, 2]), ",")', 1, 7, /'strcat_array\(\)' is not supported/],
    ['DeviceInfo | summarize stdevif(OSBuild, true)', 1, 24, /'stdevif' is not supported/],
    // count() is documented without an argument (count-aggregation-function); the official analyzer also
    // takes a bool, whose meaning is not documented
    ['DeviceInfo | summarize count(OSBuild > 1)', 1, 30, /count\(predicate\) is not supported/],
  ])('%s', async (query, line, col, message) => {
    const d = lint(query);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'KQL106', line, col });
    expect(d[0]!.message).toMatch(message);
    await expect(run(query)).rejects.toBeInstanceOf(KqlBindError);
  });

  it('unknown functions and misplaced aggregates have their own codes', () => {
    expect(lint('print nosuch(1)')[0]).toMatchObject({ code: 'KQL103', col: 7 });
    expect(lint('DeviceInfo | where count() > 1')[0]).toMatchObject({ code: 'KQL109', col: 20 });
    expect(lint("print strlen('a', 'b')")[0]).toMatchObject({ code: 'KQL105', col: 7 });
    expect(lint("print 1 + 'a'")[0]).toMatchObject({ code: 'KQL104', col: 9 });
    // as the official analyzer: count() takes no value to count
    expect(lint('DeviceInfo | summarize count(DeviceName)')[0]).toMatchObject({ code: 'KQL104', col: 30 });
  });
});
