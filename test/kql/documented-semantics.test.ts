// Issue 13, "what was wrong": one table per defect class, each case written from the Microsoft doc page
// it cites (https://learn.microsoft.com/kusto/query/<page>). Values that Kusto prints as text (datetimes,
// timespans) are compared through tostring(), which is itself one of the classes.
import { describe, expect, it } from 'vitest';
import { KqlBindError, lint } from '../../src/kql/index.js';
import { run, scalar } from './helpers.js';

const DOCS = 'https://learn.microsoft.com/kusto/query/';

/** [expression, expected value of `print v = <expression>`, doc page] */
type Case = readonly [string, unknown, string];

function scalarCases(title: string, cases: readonly Case[]) {
  describe(title, () => {
    it.each(cases)('%s → %j (%s)', async (expr, expected, page) => {
      expect(DOCS + page).toMatch(/^https:\/\/learn\.microsoft\.com\/kusto\/query\/[a-z/-]+$/);
      expect(await scalar(expr)).toEqual(expected);
    });
  });
}

scalarCases('replace_regex(source, lookup_regex, rewrite_pattern)', [
  [`replace_regex('Number is 1', @'is (\\d+)', @'was: \\1')`, 'Number was: 1', 'replace-regex-function'],
  [`replace_regex('abc123', @'\\d', 'x')`, 'abcxxx', 'replace-regex-function'],
  [`replace_regex('a1b2', @'(\\w)(\\d)', @'\\2\\1')`, '1a2b', 'replace-regex-function'],
  [`replace_regex('ab', 'b', @'<\\0>')`, 'a<b>', 'replace-regex-function'],
  [`replace_regex('cost $5', 'cost', 'price')`, 'price $5', 'replace-regex-function'],
]);

scalarCases('endofday/endofweek/endofmonth/endofyear: the last tick of the period', [
  ['tostring(endofday(datetime(2017-01-01 10:10:17)))', '2017-01-01T23:59:59.9999999Z', 'endofday-function'],
  ['tostring(endofday(datetime(2017-01-01 10:10:17), -1))', '2016-12-31T23:59:59.9999999Z', 'endofday-function'],
  ['tostring(endofday(datetime(2017-01-01 10:10:17), 1))', '2017-01-02T23:59:59.9999999Z', 'endofday-function'],
  ['datetime(2017-01-02) <= endofday(datetime(2017-01-01))', false, 'endofday-function'],
  ['datetime(2017-01-01 23:59:59.999) <= endofday(datetime(2017-01-01))', true, 'endofday-function'],
  ['tostring(endofweek(datetime(2017-01-01 10:10:17)))', '2017-01-07T23:59:59.9999999Z', 'endofweek-function'],
  ['tostring(endofmonth(datetime(2017-01-01 10:10:17)))', '2017-01-31T23:59:59.9999999Z', 'endofmonth-function'],
  ['tostring(endofmonth(datetime(2024-02-10), 0))', '2024-02-29T23:59:59.9999999Z', 'endofmonth-function'],
  ['tostring(endofyear(datetime(2017-01-01 10:10:17)))', '2017-12-31T23:59:59.9999999Z', 'endofyear-function'],
]);

scalarCases('array_sort_asc / array_sort_desc: numbers numerically, nulls last', [
  ['array_sort_asc(dynamic([10, 9, 2, 100]))', [2, 9, 10, 100], 'array-sort-asc-function'],
  ['array_sort_asc(dynamic([null, "b", "a"]))', ['a', 'b', null], 'array-sort-asc-function'],
  ['array_sort_asc(dynamic([null, "b", "a"]), false)', [null, 'a', 'b'], 'array-sort-asc-function'],
  ['array_sort_desc(dynamic([10, null, 9, 2, 100]))', [100, 10, 9, 2, null], 'array-sort-desc-function'],
  ['array_sort_desc(dynamic([10, null, 9]), false)', [null, 10, 9], 'array-sort-desc-function'],
  // "different types: numeric, string, guid, all other elements", in both directions
  ['array_sort_asc(dynamic([1, "a", 2.5, null, true, "B"]))', [1, 2.5, 'B', 'a', true, null], 'array-sort-asc-function'],
  ['array_sort_desc(dynamic([1, "a", 2.5, null, true, "B"]))', [2.5, 1, 'a', 'B', true, null], 'array-sort-desc-function'],
]);

scalarCases('countof: overlapping matches of the plain string; kind="regex" counts the matches', [
  ['countof("The cat sat on the mat", "at")', 3, 'countof-function'],
  ['countof("aaa", "a")', 3, 'countof-function'],
  ['countof("aaaa", "aa")', 3, 'countof-function'],
  ['countof("aaaa", "aa", "normal")', 3, 'countof-function'],
  ['countof("aaaa", "aa", "regex")', 2, 'countof-function'],
  ['countof("abcabc", "a.c", "regex")', 2, 'countof-function'],
  ['countof("abcabc", "a.c")', 0, 'countof-function'],
]);

scalarCases('strcat / strcat_delim / tostring / reverse use Kusto text forms of timespans and datetimes', [
  ['strcat(1s)', '00:00:01', 'strcat-function'],
  ['strcat("took ", 90m)', 'took 01:30:00', 'strcat-function'],
  ['strcat(datetime(2020-01-01))', '2020-01-01T00:00:00Z', 'strcat-function'],
  ['strcat_delim("-", 1s, 2, "x")', '00:00:01-2-x', 'strcat-delim-function'],
  ['tostring(1d + 2h)', '1.02:00:00', 'tostring-function'],
  ['tostring(datetime(2020-01-01 10:00:00.5))', '2020-01-01T10:00:00.5000000Z', 'tostring-function'],
  // inside a dynamic value a datetime carries 7 fractional digits, a timespan is its text
  ['tostring(pack_array(datetime(2020-01-01)))', '["2020-01-01T00:00:00.0000000Z"]', 'scalar-data-types/dynamic'],
  ['pack_array(1, "2", 2s)', [1, '2', '00:00:02'], 'pack-array-function'],
  ['reverse(1s)', '10:00:00', 'reverse-function'],
  ['reverse(datetime(2020-01-01))', 'Z00:00:00T10-10-0202', 'reverse-function'],
  ['reverse(123)', '321', 'reverse-function'],
  // datetime and timespan literals inside a dynamic literal are held as their Kusto text
  ['tostring(dynamic({"a": datetime(1970-05-11)}))', '{"a":"1970-05-11T00:00:00.0000000Z"}', 'scalar-data-types/dynamic'],
  ['tostring(dynamic([1s, time(1.02:00:00), datetime(2020-01-01 10:00:00.5)]))', '["00:00:01","1.02:00:00","2020-01-01T10:00:00.5000000Z"]', 'scalar-data-types/dynamic'],
  ['tostring(todatetime(dynamic({"a": datetime(1970-05-11)}).a))', '1970-05-11T00:00:00Z', 'scalar-data-types/dynamic'],
]);

scalarCases('format_datetime, datetime_diff, datetime_add', [
  ['format_datetime(datetime(2009-06-15 13:45:30), "y")', '9', 'format-datetime-function'],
  ['format_datetime(datetime(2009-06-15 13:45:30), "yy-M-d h:m:s")', '09-6-15 1:45:30', 'format-datetime-function'],
  ['format_datetime(datetime(2015-12-14 02:03:04.12345), "y-M-d h:m:s.fffffff")', '15-12-14 2:3:4.1234500', 'format-datetime-function'],
  ['datetime_diff("millisecond", datetime(2017-10-30 23:00:10.2025), datetime(2017-10-30 23:00:10.2010))', 1, 'datetime-diff-function'],
  ['datetime_diff("microsecond", datetime(2017-10-30 23:00:10.2025), datetime(2017-10-30 23:00:10.2010))', 1500, 'datetime-diff-function'],
  ['datetime_diff("nanosecond", datetime(2017-10-30 23:00:10.2025), datetime(2017-10-30 23:00:10.2010))', 1500000, 'datetime-diff-function'],
  ['datetime_diff("nanosecond", datetime(2017-10-30 23:00:10), datetime(2017-10-30 23:00:09))', 1000000000, 'datetime-diff-function'],
  ['tostring(datetime_add("month", 1, datetime(2024-01-31)))', '2024-02-29T00:00:00Z', 'datetime-add-function'],
  ['tostring(datetime_add("month", 1, datetime(2023-01-31 10:20:30)))', '2023-02-28T10:20:30Z', 'datetime-add-function'],
  ['tostring(datetime_add("month", -1, datetime(2024-03-31)))', '2024-02-29T00:00:00Z', 'datetime-add-function'],
  ['tostring(datetime_add("quarter", 1, datetime(2024-11-30)))', '2025-02-28T00:00:00Z', 'datetime-add-function'],
  ['tostring(datetime_add("year", 1, datetime(2024-02-29)))', '2025-02-28T00:00:00Z', 'datetime-add-function'],
  ['tostring(datetime_add("day", -1, datetime(2024-03-01)))', '2024-02-29T00:00:00Z', 'datetime-add-function'],
  // a nanosecond is 1/100 of a tick (near 1970, where a double holds single ticks: see src/kql/README.md)
  ['tostring(datetime_add("nanosecond", 100, datetime(1970-01-02)))', '1970-01-02T00:00:00.0000001Z', 'datetime-add-function'],
  ['tostring(datetime_add("nanosecond", 5000, datetime(1970-01-02)))', '1970-01-02T00:00:00.0000050Z', 'datetime-add-function'],
  ['tostring(datetime_add("microsecond", 5, datetime(1970-01-02)))', '1970-01-02T00:00:00.0000050Z', 'datetime-add-function'],
  ['datetime_diff("nanosecond", datetime_add("nanosecond", 5000, datetime(1970-01-02)), datetime(1970-01-02))', 5000, 'datetime-add-function'],
]);

scalarCases('toint is 32-bit; int + int is long', [
  ['toint("123")', 123, 'toint-function'],
  ['toint(2.3)', 2, 'toint-function'],
  ['toint(2147483647)', 2147483647, 'toint-function'],
  ['toint(2147483648)', null, 'toint-function'],
  ['toint("4294967296")', null, 'toint-function'],
  ['toint(-2147483648)', -2147483648, 'toint-function'],
  ['tolong(4294967296)', 4294967296, 'tolong-function'],
  // text that is not a real literal (JavaScript's Number() would read hexadecimal) does not convert
  ['todouble("1e3")', 1000, 'todouble-function'],
  ['todouble("0x10")', null, 'todouble-function'],
  ['toreal("0b1")', null, 'todouble-function'],
  ['todouble("")', null, 'todouble-function'],
]);

scalarCases('indexof with start, length and occurrence', [
  ['indexof("abcdefg", "cde")', 2, 'indexof-function'],
  ['indexof("abcdefg", "cde", 1, 4)', 2, 'indexof-function'],
  ['indexof("abcdefg", "cde", 1, 2)', -1, 'indexof-function'],
  ['indexof("abcdefg", "cde", 3, 4)', -1, 'indexof-function'],
  ['indexof("abcdefg", "cde", -5)', 2, 'indexof-function'],
  ['indexof(1234567, 5, 1, 4)', 4, 'indexof-function'],
  ['indexof("abcdefg", "cde", 2, -1)', 2, 'indexof-function'],
  ['indexof("abcdefgabcdefg", "cde", 1, 10, 2)', 9, 'indexof-function'],
  ['indexof("abcdefgabcdefg", "cde", 1, -1, 3)', -1, 'indexof-function'],
  ['indexof("abcdefg", "cde", 1, -2)', null, 'indexof-function'],
]);

scalarCases('extract(..., typeof(T)) converts the captured text', [
  ['extract("x=([0-9.]+)", 1, "hello x=45.6|wo", typeof(real))', 45.6, 'extract-function'],
  ['extract("x=([0-9]+)", 1, "x=12", typeof(long))', 12, 'extract-function'],
  ['extract("x=([0-9]+)", 1, "y=12", typeof(long))', null, 'extract-function'],
  ['tostring(extract("at (.*)$", 1, "at 2020-01-01", typeof(datetime)))', '2020-01-01T00:00:00Z', 'extract-function'],
  ['extract("x=([0-9]+)", 1, "x=12")', '12', 'extract-function'],
]);

describe('arg_max / arg_min over a group whose keys are all null', () => {
  // "Handle nulls": when the expression is null for all rows of a group, one row of the group is picked
  // (https://learn.microsoft.com/kusto/query/arg-max-aggregation-function)
  it.each(['arg_max', 'arg_min'])('%s still returns a row of the group', async (fn) => {
    const r = await run(`datatable(g:string, k:long, v:string)['a', long(null), 'x', 'a', long(null), 'y', 'b', 1, 'z', 'b', long(null), 'w']
      | summarize ${fn}(k, v) by g | order by g asc`);
    expect(r.rows).toHaveLength(2);
    expect(r.rows[0]).toMatchObject({ g: 'a', k: null });
    expect(['x', 'y']).toContain(r.rows[0]!['v']);
    expect(r.rows[1]).toEqual({ g: 'b', k: 1, v: 'z' });
  });
});

describe('mv-expand options (https://learn.microsoft.com/kusto/query/mv-expand-operator)', () => {
  it('kind=array expands a property bag into [key, value] arrays; kind=bag (the default) into one-property bags', async () => {
    const bag = `print d = dynamic({"a": 1, "b": 2})`;
    expect((await run(`${bag} | mv-expand kind=array d`)).rows.map((r) => r['d'])).toEqual([['a', 1], ['b', 2]]);
    expect((await run(`${bag} | mv-expand bagexpansion=array d`)).rows.map((r) => r['d'])).toEqual([['a', 1], ['b', 2]]);
    expect((await run(`${bag} | mv-expand d`)).rows.map((r) => r['d'])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('with_itemindex= adds the 0-based index as a long column after the others', async () => {
    const r = await run(`print d = dynamic(['x', 'y']), n = 1 | mv-expand with_itemindex=i d`);
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['d:dynamic', 'n:long', 'i:long']);
    expect(r.rows).toEqual([{ d: 'x', n: 1, i: 0 }, { d: 'y', n: 1, i: 1 }]);
  });

  it('to typeof(T) casts without parsing: the string "1" is not a long', async () => {
    const r = await run(`print d = dynamic(["1", 2, 2.5, true]) | mv-expand d to typeof(long)`);
    expect(r.rows.map((x) => x['d'])).toEqual([null, 2, 2, null]);
    const s = await run(`print d = dynamic(["a", 2]) | mv-expand d to typeof(string)`);
    expect(s.rows.map((x) => x['d'])).toEqual(['a', '2']);
  });

  it('refuses an unknown kind', async () => {
    expect(lint(`print d = dynamic([1]) | mv-expand kind=list d`)[0]).toMatchObject({ code: 'KQL106', col: 41 });
  });
});

describe('make_set over an array column adds the elements', () => {
  // "Set from array column" (https://learn.microsoft.com/kusto/query/make-set-aggregation-function)
  it('flattens arrays into the set', async () => {
    const r = await run(`datatable (Val: int, Arr1: dynamic)[1, dynamic(['A1', 'A2', 'A3']), 5, dynamic(['A2', 'C1']), 7, dynamic(['C2', 'A3']), 5, dynamic(['C2', 'A1'])]
      | summarize Val_set = make_set(Val), Arr1_set = make_set(Arr1)`);
    expect((r.rows[0]!['Val_set'] as number[]).sort()).toEqual([1, 5, 7]);
    expect((r.rows[0]!['Arr1_set'] as string[]).sort()).toEqual(['A1', 'A2', 'A3', 'C1', 'C2']);
  });
  it('make_list keeps each value, arrays included, as one element', async () => {
    // make_list(pack_array(...)) is the documented way to collect pairs
    // (https://learn.microsoft.com/kusto/query/make-list-aggregation-function)
    const r = await run(`datatable(a:long, b:long)[1, 2, 3, 4] | summarize l = make_list(pack_array(a, b))`);
    expect(r.rows[0]!['l']).toEqual([[1, 2], [3, 4]]);
  });
});

describe('sort with null, NaN and infinities (https://learn.microsoft.com/kusto/query/sort-operator)', () => {
  const T = `datatable(x:real)[real(null), real(nan), real(-inf), -5, 0, 5, real(+inf)]`;
  it.each([
    ['asc nulls first', [null, NaN, -Infinity, -5, 0, 5, Infinity]],
    ['desc nulls first', [null, NaN, Infinity, 5, 0, -5, -Infinity]],
    ['asc nulls last', [-Infinity, -5, 0, 5, Infinity, NaN, null]],
    ['desc nulls last', [Infinity, 5, 0, -5, -Infinity, NaN, null]],
    ['asc', [null, NaN, -Infinity, -5, 0, 5, Infinity]],
    ['desc', [Infinity, 5, 0, -5, -Infinity, NaN, null]],
  ])('sort by x %s', async (order, expected) => {
    expect((await run(`${T} | sort by x ${order}`)).rows.map((r) => r['x'])).toEqual(expected);
  });
});

describe('project-away / project-keep take wildcards (https://learn.microsoft.com/kusto/query/project-away-operator)', () => {
  const T = `datatable(AccountName:string, AccountSid:string, DeviceName:string, Sid:string)['a', 'b', 'c', 'd']`;
  it.each([
    [`${T} | project-away Account*`, ['DeviceName', 'Sid']],
    [`${T} | project-away *Sid`, ['AccountName', 'DeviceName']],
    [`${T} | project-away Account*, Sid`, ['DeviceName']],
    [`${T} | project-keep *Name`, ['AccountName', 'DeviceName']],
    [`${T} | project-away *`, []],
  ])('%s', async (query, columns) => {
    expect((await run(query)).columns.map((c) => c.name)).toEqual(columns);
  });
  it('a pattern that matches nothing is an unknown column', () => {
    expect(lint(`${T} | project-away Nothing*`)[0]).toMatchObject({ code: 'KQL102' });
  });
});

describe('extend chaining follows Kusto.Language (https://learn.microsoft.com/kusto/query/extend-operator)', () => {
  it('a column made earlier in the same extend is an unknown name', async () => {
    const q = 'print x = 1 | extend a = 2, b = a';
    expect(lint(q)).toEqual([expect.objectContaining({ code: 'KQL102', col: 33 })]);
    await expect(run(q)).rejects.toBeInstanceOf(KqlBindError);
  });
  it('a later extend sees it', async () => {
    expect((await run('print x = 1 | extend a = 2 | extend b = a')).rows).toEqual([{ x: 1, a: 2, b: 2 }]);
  });
});

describe('union of same-named columns keeps every value (https://learn.microsoft.com/kusto/query/union-operator)', () => {
  it('a suffixed name that collides with a column of that name gets a numeric suffix', async () => {
    const r = await run(`union (datatable(x:long, x_string:long)[1, 2]), (datatable(x:string)['a'])`);
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['x_long:long', 'x_string:string', 'x_string1:long']);
    expect(r.rows).toEqual([{ x_long: 1, x_string: '', x_string1: 2 }, { x_long: null, x_string: 'a', x_string1: null }]);
  });
  it('int + int is long, so it unions with a long column as one column', async () => {
    const r = await run(`union (print x = toint(1) + toint(2)), (print x = 5)`);
    expect(r.columns).toEqual([{ name: 'x', type: 'long' }]);
    expect(r.rows).toEqual([{ x: 3 }, { x: 5 }]);
  });
});

// (externaldata runs over the data folder's mappings, or fails saying why: test/kql/hunting-operators.test.ts)
describe('constructs Kusto has and this engine does not run are refused as not supported, with their position', () => {
  it.each([
    ['search "ammyy"', 1, 1, 'search'],
    ['DeviceInfo\n| search "ammyy"', 2, 3, 'search'],
    ['search in (DeviceInfo) "ammyy" | take 1', 1, 1, 'search'],
    ['find "ammyy"', 1, 1, 'find'],
    ['DeviceInfo | top-nested 3 of DeviceName by count()', 1, 14, 'top-nested'],
    ['range x from 1 to 3 step 1', 1, 1, 'range'],
    ['let t = range x from 1 to 3 step 1;\nt | take 1', 1, 9, 'range'],
    // range() the function, not the operator
    ['print v = range(1, 8, 3)', 1, 11, 'range()'],
  ])('%s', async (query, line, col, construct) => {
    const d = lint(query).filter((x) => x.severity === 'error');
    expect(d[0]).toMatchObject({ code: 'KQL106', line, col });
    expect(d[0]!.message).toContain(`'${construct}'`);
    expect(d[0]!.message).toMatch(/not supported/);
    await expect(run(query)).rejects.toBeInstanceOf(KqlBindError);
  });
});

describe('valid Kusto that returns several columns from one call is refused, not run with one', () => {
  // array_sort_asc(array1, array2, ...) sorts array2 by array1 and returns one column per array
  // (https://learn.microsoft.com/kusto/query/array-sort-asc-function): we return one value per call, so
  // instead of sorting the first array and dropping the others, the call is refused
  it.each([
    ['print x = array_sort_asc(dynamic([1, 3, 2]), dynamic(["a", "b", "c"]))', 1, 46],
    ['print array_sort_desc(dynamic([1, 3, 2]), dynamic(["a", "b", "c"]))[1]', 1, 43],
    ['print x = array_sort_asc(dynamic([1, 3, 2]), dynamic(["a", "b", "c"]), false)', 1, 46],
    ['print (a, b) = array_sort_asc(dynamic([1, 3, 2]), dynamic(["a", "b", "c"]))', 1, 7],
    ['datatable(x:long)[1] | extend (s1, s2) = array_sort_asc(dynamic([1]), dynamic([2]))', 1, 31],
  ])('%s', async (query, line, col) => {
    const d = lint(query);
    expect(d).toEqual([expect.objectContaining({ code: 'KQL106', line, col })]);
    expect(d[0]!.message).toMatch(/not supported/);
    await expect(run(query)).rejects.toBeInstanceOf(KqlBindError);
  });
  it('one array, with or without nulls_last, still runs', async () => {
    expect(await scalar('array_sort_asc(dynamic([3, 1, 2]), false)')).toEqual([1, 2, 3]);
  });
});

describe('dcount is exact here and an estimate in Kusto (https://learn.microsoft.com/kusto/query/dcount-aggregation-function)', () => {
  it('is exact', async () => {
    const r = await run(`datatable(d:string)['a', 'b', 'a', 'c'] | summarize dcount(d)`);
    expect(r.rows).toEqual([{ dcount_d: 3 }]);
  });
  it.each([
    ['DeviceInfo | summarize n = dcount(DeviceId) by OSPlatform | where n > 5', 1, 67],
    ['DeviceInfo\n| summarize dcount(DeviceId) by OSPlatform\n| where 10 <= dcount_DeviceId', 3, 9],
    ['DeviceInfo | summarize n = dcountif(DeviceId, OSBuild > 1) | where n >= 3 and n < 100', 1, 68],
  ])('lint warns when a rule compares a dcount with a threshold: %s', (query, line, col) => {
    const d = lint(query);
    expect(d.filter((x) => x.severity === 'error')).toEqual([]);
    expect(d[0]).toMatchObject({ code: 'KQL301', severity: 'warning', line, col });
    expect(d[0]!.message).toMatch(/estimate in Kusto/);
  });
  it('does not warn about an exact count', () => {
    expect(lint('DeviceInfo | summarize n = count_distinct(DeviceId) | where n > 5')).toEqual([]);
    expect(lint('DeviceInfo | summarize n = dcount(DeviceId) | project n')).toEqual([]);
  });
});
