// Scalar functions and literals. Doc pages: https://learn.microsoft.com/en-us/kusto/query/<name>-function
import { describe, expect, it } from 'vitest';
import { run, scalar } from './helpers.js';

describe('string functions', () => {
  it.each([
    [`tolower('AbC')`, 'abc'],
    [`toupper('AbC')`, 'ABC'],
    [`strlen('héllo')`, 5],
    [`strcat('a', 1, true, 'b')`, 'a1trueb'],
    [`substring('abcdef', 2)`, 'cdef'],
    [`substring('abcdef', 1, 3)`, 'bcd'],
    [`split('a/b/c', '/')`, ['a', 'b', 'c']],
    [`split('a/b/c', '/', 1)`, ['b']],
    [`tostring(split('host:443/path', '/')[0])`, 'host:443'],
    // https://learn.microsoft.com/en-us/kusto/query/trim-start-function
    [`trim_start('https://', 'https://bing.com')`, 'bing.com'],
    [`trim_start(@'http[s]?://', 'http://x.com/a')`, 'x.com/a'],
    [`trim_start(@'[^\\w]+', '- Te st1// $')`, 'Te st1// $'],
    [`trim_end(@'[^\\w]+', 'abc// $')`, 'abc'],
    [`trim(@'\\s+', '  hi  ')`, 'hi'],
    [`replace_string('a.b.c', '.', '-')`, 'a-b-c'],
    [`extract(@'(\\d+)\\.(\\d+)', 2, 'v 12.34')`, '34'],
    [`extract('x(y)', 1, 'nothing')`, ''],
    [`'a' 'b'`, 'ab'],
    [`@'c:\\temp'`, 'c:\\temp'],
    [`"say \\"hi\\""`, 'say "hi"'],
    [`@"say ""hi"""`, 'say "hi"'],
  ])('%s', async (expr, expected) => {
    expect(await scalar(expr)).toEqual(expected);
  });
});

describe('conversion and conditionals', () => {
  it.each([
    [`tostring(123)`, '123'],
    [`tostring(datetime(2026-01-02T03:04:05Z))`, '2026-01-02T03:04:05Z'],
    [`tostring(dynamic({"a":1}))`, '{"a":1}'],
    [`toint('42')`, 42],
    [`toint('4x')`, null],
    [`tolong(3.9)`, 3],
    [`todatetime('2026-01-02T03:04:05Z')`, new Date('2026-01-02T03:04:05Z')],
    [`todatetime('not a date')`, null],
    [`iff(1 > 2, 'y', 'n')`, 'n'],
    [`iif(true, 1, 2)`, 1],
    [`case(1 > 2, 'a', 2 > 1, 'b', 'c')`, 'b'],
    [`case(false, 'a', 'c')`, 'c'],
    [`coalesce(int(null), 7)`, 7],
    [`not(1 == 1)`, false],
  ])('%s', async (expr, expected) => {
    expect(await scalar(expr)).toEqual(expected);
  });
});

describe('datetime functions', () => {
  it.each([
    [`bin(datetime(2026-03-04T05:06:07Z), 1d)`, new Date('2026-03-04T00:00:00Z')],
    [`bin(17, 5)`, 15],
    [`startofday(datetime(2026-03-04T05:06:07Z))`, new Date('2026-03-04T00:00:00Z')],
    [`format_datetime(datetime(2026-03-04T05:06:07.123Z), 'yyyy-MM-dd HH:mm:ss.fff')`, '2026-03-04 05:06:07.123'],
    // https://learn.microsoft.com/en-us/kusto/query/datetime-diff-function: counts boundaries crossed
    [`datetime_diff('day', datetime(2026-03-05T00:00:01Z), datetime(2026-03-04T23:59:59Z))`, 1],
    [`datetime_diff('month', datetime(2026-03-01), datetime(2025-12-31))`, 3],
    [`datetime_diff('hour', datetime(2026-03-01T10:00:00Z), datetime(2026-03-01T08:30:00Z))`, 2],
    [`datetime_add('day', 2, datetime(2026-03-01))`, new Date('2026-03-03T00:00:00Z')],
  ])('%s', async (expr, expected) => {
    expect(await scalar(expr)).toEqual(expected);
  });
});

describe('IPv4 functions', () => {
  it.each([
    [`ipv4_is_in_range('192.168.1.7', '192.168.1.0/24')`, true],
    [`ipv4_is_in_range('192.168.2.7', '192.168.1.0/24')`, false],
    [`ipv4_is_in_range('10.0.0.1', '10.0.0.1')`, true],
    [`ipv4_is_private('172.20.1.1')`, true],
    [`ipv4_is_private('8.8.8.8')`, false],
    [`ipv4_is_private('not an ip')`, null],
    [`ipv4_is_in_any_range('8.8.8.8', '10.0.0.0/8', '8.8.0.0/16')`, true],
    [`ipv4_is_in_any_range('8.8.8.8', dynamic(['10.0.0.0/8', '1.1.1.1']))`, false],
  ])('%s', async (expr, expected) => {
    expect(await scalar(expr)).toEqual(expected);
  });
});

describe('dynamic values', () => {
  it.each([
    [`array_length(dynamic([1,2,3]))`, 3],
    [`array_length(dynamic({"a":1}))`, null],
    [`set_has_element(dynamic(['a','b']), 'b')`, true],
    [`pack_array(1, 'a', true)`, [1, 'a', true]],
    [`bag_pack('k', 1, 'v', 'x')`, { k: 1, v: 'x' }],
    [`pack('k', 1)`, { k: 1 }],
    [`parse_json('{"a":{"b":[1,2]}}').a.b[1]`, 2],
    [`parse_json('{"a":1}')['a']`, 1],
    [`dynamic([1, 2])[-1]`, 2],
    [`dynamic({"x": null}).missing`, null],
  ])('%s', async (expr, expected) => {
    expect(await scalar(expr)).toEqual(expected);
  });
});

describe('datatable and literals', () => {
  it('datatable rows are typed by their declared columns', async () => {
    const r = await run(`datatable(s:string, l:long, r:real, b:bool, d:datetime, t:timespan, g:guid, x:dynamic)[
      'a', 1, 2.5, true, datetime(2026-01-01), 1h, guid(74be27de-1e4e-49d9-b579-fe0b331d3642), dynamic({"k": [1]})
    ]`);
    expect(r.columns.map((c) => c.type)).toEqual(['string', 'long', 'real', 'bool', 'datetime', 'timespan', 'guid', 'dynamic']);
    expect(r.rows[0]).toEqual({
      s: 'a', l: 1, r: 2.5, b: true, d: new Date('2026-01-01T00:00:00Z'), t: 3_600_000,
      g: '74be27de-1e4e-49d9-b579-fe0b331d3642', x: { k: [1] },
    });
  });
  it('accepts a trailing comma after the last datatable value', async () => {
    expect((await run(`datatable(a:long)[1, 2,]`)).rows).toEqual([{ a: 1 }, { a: 2 }]);
  });
});
