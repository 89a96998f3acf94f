// Semantics checked against Microsoft's documentation; each block cites the page it follows.
import { describe, expect, it } from 'vitest';
import { run, scalar } from './helpers.js';

describe('has family: term matching', () => {
  // https://learn.microsoft.com/kusto/query/datatypes-string-operators
  // "each string value is broken into maximal sequences of alphanumeric characters, and each of those
  // sequences is made into a term"; `has` is case-insensitive, `has_cs` case-sensitive.
  it.each([
    [`'North America' has 'america'`, true],
    [`'North America' has 'meric'`, false],
    [`'Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun' has 'c1db'`, true],
    [`'Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun' has 'Explorer'`, false],
    [`'www.ammyy.com/download' has 'ammyy.com'`, true],
    [`'www.notammyy.com' has 'ammyy.com'`, false],
    [`'ammyy.community' has 'ammyy.com'`, false],
    [`'North America' has_cs 'America'`, true],
    [`'North America' has_cs 'america'`, false],
    [`'North America' !has 'america'`, false],
    [`'North America' !has_cs 'america'`, true],
    [`'North America' hasprefix 'amer'`, true],
    [`'North America' hasprefix 'orth'`, false],
    [`'North America' hassuffix 'rica'`, true],
    [`'North America' hassuffix 'Amer'`, false],
    [`'Krämer IT Solutions GmbH' has 'Krämer IT Solutions GmbH'`, true],
    [`'Krämerx IT' has 'Krämer'`, false],
  ])('%s → %s', async (expr, expected) => {
    expect(await scalar(expr)).toBe(expected);
  });

  // https://learn.microsoft.com/en-in/azure/data-explorer/kusto/query/has-any-operator
  it('has_any matches any term; has_all needs every term', async () => {
    expect(await scalar(`'NORTH CAROLINA' has_any ('CAROLINA', 'DAKOTA')`)).toBe(true);
    expect(await scalar(`'NORTH CAROLINA' has_any (dynamic(['south', 'north']))`)).toBe(true);
    expect(await scalar(`'NORTH CAROLINA' has_any ('CAROL')`)).toBe(false);
    expect(await scalar(`'NORTH CAROLINA' has_all ('north', 'carolina')`)).toBe(true);
    expect(await scalar(`'NORTH CAROLINA' has_all ('north', 'dakota')`)).toBe(false);
  });

  it('has_any takes the first column of a tabular expression (double parentheses)', async () => {
    const r = await run(`let urls = datatable(URI:string, Tool:string)['ammyy.com','ammyy', 'anydesk.com','anydesk'];
      datatable(RemoteUrl:string)['https://ammyy.com/x', 'notanydesk.com', 'relay.anydesk.com:443']
      | where RemoteUrl has_any ((urls | distinct URI))`);
    expect(r.rows.map((x) => x['RemoteUrl'])).toEqual(['https://ammyy.com/x', 'relay.anydesk.com:443']);
  });
});

describe('contains / startswith / endswith: substrings', () => {
  // https://learn.microsoft.com/kusto/query/datatypes-string-operators
  it.each([
    [`'FabriKam' contains 'BRik'`, true],
    [`'Fabrikam' !contains 'xyz'`, true],
    [`'FabriKam' contains_cs 'Kam'`, true],
    [`'FabriKam' contains_cs 'kam'`, false],
    [`'Fabrikam' startswith 'fab'`, true],
    [`'Fabrikam' startswith_cs 'fab'`, false],
    [`'Fabrikam' endswith 'Kam'`, true],
    [`'Fabrikam' !endswith 'brik'`, true],
    [`'Fabrikam' matches regex 'b.*k'`, true],
  ])('%s → %s', async (expr, expected) => {
    expect(await scalar(expr)).toBe(expected);
  });
});

describe('== vs =~ and in vs in~', () => {
  // https://learn.microsoft.com/kusto/query/datatypes-string-operators ("aBc" == "aBc", "abc" =~ "ABC")
  // https://learn.microsoft.com/en-us/kusto/query/in-operator (in is case-sensitive, in~ is not; nested arrays flatten)
  it.each([
    [`'aBc' == 'aBc'`, true],
    [`'abc' == 'ABC'`, false],
    [`'abc' != 'ABC'`, true],
    [`'abc' =~ 'ABC'`, true],
    [`'aBc' !~ 'xyz'`, true],
    [`'abc' in ('123', '345', 'abc')`, true],
    [`'ABC' in ('123', '345', 'abc')`, false],
    [`'bca' !in ('123', '345', 'abc')`, true],
    [`'Abc' in~ ('123', '345', 'abc')`, true],
    [`'bCa' !in~ ('123', '345', 'ABC')`, true],
    [`2 in (dynamic([1, [2, 3]]))`, true],
    // "Case-insensitive operators are currently supported only for ASCII-text"
    [`'KRÄMER' =~ 'kräMER'`, false],
    [`'KRäMER' =~ 'kräMER'`, true],
    [`'ÄBC' in~ ('äbc')`, false],
  ])('%s → %s', async (expr, expected) => {
    expect(await scalar(expr)).toBe(expected);
  });

  it('in takes the first column of a tabular subquery', async () => {
    const r = await run(`let bad = datatable(Id:string, Note:string)['b','x','c','y'];
      datatable(Id:string)['a','b','c','d'] | where Id in (bad) | where Id !in ((bad | where Note == 'y' | project Id))`);
    expect(r.rows).toEqual([{ Id: 'b' }]);
  });
});

describe('between is inclusive', () => {
  // https://learn.microsoft.com/en-us/kusto/query/between-operator
  // "(expr >= leftRange and expr <= rightRange)"; a timespan right range is allowed when expr is datetime
  it('numbers: both ends included', async () => {
    const r = await run(`datatable(x:long)[49, 50, 52, 55, 56] | where x between (50 .. 55)`);
    expect(r.rows.map((x) => x['x'])).toEqual([50, 52, 55]);
  });
  it('!between excludes the range', async () => {
    const r = await run(`datatable(x:long)[49, 50, 55, 56] | where x !between (50 .. 55)`);
    expect(r.rows.map((x) => x['x'])).toEqual([49, 56]);
  });
  it('datetime with a timespan upper bound means start .. start + span', async () => {
    const r = await run(`datatable(t:datetime)[datetime(2007-07-26T23:59:59Z), datetime(2007-07-27), datetime(2007-07-30), datetime(2007-07-30T00:00:01Z)]
      | where t between (datetime(2007-07-27) .. 3d)`);
    expect(r.rows.map((x) => (x['t'] as Date).toISOString())).toEqual(['2007-07-27T00:00:00.000Z', '2007-07-30T00:00:00.000Z']);
  });
});

describe('nulls and empty strings', () => {
  // https://learn.microsoft.com/en-us/kusto/query/scalar-data-types/null-values
  it('null == null is null, null == value is false, null != value is true', async () => {
    const r = await run(`datatable(val:int)[5, int(null)]
      | extend IsBiggerThan3 = val > 3, IsBiggerThan3OrNull = val > 3 or isnull(val),
               IsEqualToNull = val == int(null), IsNotEqualToNull = val != int(null)`);
    expect(r.rows).toEqual([
      { val: 5, IsBiggerThan3: true, IsBiggerThan3OrNull: true, IsEqualToNull: false, IsNotEqualToNull: true },
      { val: null, IsBiggerThan3: null, IsBiggerThan3OrNull: true, IsEqualToNull: null, IsNotEqualToNull: null },
    ]);
  });
  it('where treats a null predicate as false', async () => {
    const r = await run(`datatable(val:int)[5, int(null)] | where val > 3 or val <= 3`);
    expect(r.rows).toEqual([{ val: 5 }]);
  });
  it('strings are never null: missing strings are empty, isempty/isnotempty test them', async () => {
    const r = await run(`DeviceInfo | project DeviceName, e = isempty(DeviceName), n = isnull(DeviceName), ne = isnotempty(DeviceName)`, {
      DeviceInfo: [{ DeviceId: 'a' }, { DeviceId: 'b', DeviceName: 'pc' }],
    });
    expect(r.rows).toEqual([
      { DeviceName: '', e: true, n: false, ne: false },
      { DeviceName: 'pc', e: false, n: false, ne: true },
    ]);
  });
  it('aggregations ignore nulls', async () => {
    const r = await run(`datatable(k:string, v:long)['a', 1, 'a', long(null), 'a', 1, 'a', 2]
      | summarize c = count(), cv = countif(isnotnull(v)), s = sum(v), m = make_set(v), l = make_list(v), d = dcount(v) by k`);
    expect(r.rows).toEqual([{ k: 'a', c: 4, cv: 3, s: 4, m: [1, 2], l: [1, 1, 2], d: 2 }]);
  });
  it('coalesce returns the first non-null value', async () => {
    expect(await scalar(`coalesce(long(null), 2, 3)`)).toBe(2);
    expect(await scalar(`coalesce('', 'x')`)).toBe('x');
  });
});

describe('make_set / make_list', () => {
  // https://learn.microsoft.com/pt-br/azure/data-explorer/kusto/query/make-set-aggregation-function
  // "array of the set of distinct values"; optional maxSize limits the number of elements
  it('de-duplicates and honours the size limit', async () => {
    const r = await run(`datatable(v:string)['a','b','a','c','b','d'] | summarize s = make_set(v), s2 = make_set(v, 2), l2 = make_list(v, 3)`);
    expect(r.rows).toEqual([{ s: ['a', 'b', 'c', 'd'], s2: ['a', 'b'], l2: ['a', 'b', 'a'] }]);
  });
});

describe('datetime and timespan arithmetic', () => {
  // https://learn.microsoft.com/en-us/azure/kusto/query/datetime-timespan-arithmetic
  it('datetime - datetime is a timespan; datetime ± timespan is a datetime', async () => {
    const r = await run(`print a = datetime(1997-06-25) - datetime(1910-06-11), b = datetime(1910-06-11) + 1d, c = 1d + 2d, d = 1d / 5h, e = 1.5 * 1h, f = 1h / 1s`);
    expect(r.columns.map((c) => c.type)).toEqual(['timespan', 'datetime', 'timespan', 'real', 'timespan', 'real']);
    expect(r.rows[0]).toEqual({
      a: (Date.UTC(1997, 5, 25) - Date.UTC(1910, 5, 11)),
      b: new Date('1910-06-12T00:00:00Z'),
      c: 3 * 86_400_000,
      d: 4.8,
      e: 5_400_000,
      f: 3600,
    });
  });
  it('now() and ago() are fixed for the whole query', async () => {
    const r = await run(`print a = now(), b = ago(1h), c = now(-5d)`);
    expect(r.rows[0]).toEqual({
      a: new Date('2026-11-22T12:00:00Z'),
      b: new Date('2026-11-22T11:00:00Z'),
      c: new Date('2026-11-17T12:00:00Z'),
    });
  });
  it('timespan literals', async () => {
    const r = await run(`print a = 5d, b = 1h, c = 30m, d = 10s, e = 100ms, f = timespan(1.02:03:04), g = 1.5h`);
    expect(r.rows[0]).toEqual({ a: 432_000_000, b: 3_600_000, c: 1_800_000, d: 10_000, e: 100, f: 93_784_000, g: 5_400_000 });
  });
});

describe('count() is long', () => {
  // https://learn.microsoft.com/en-us/kusto/query/count-aggregation-function ("Returns ... as long")
  it('count() and the count operator return long', async () => {
    const a = await run(`datatable(x:int)[1,2,3] | summarize n = count()`);
    const b = await run(`datatable(x:int)[1,2,3] | count`);
    expect(a.columns).toEqual([{ name: 'n', type: 'long' }]);
    expect(b.columns).toEqual([{ name: 'Count', type: 'long' }]);
    expect([a.rows[0]!['n'], b.rows[0]!['Count']]).toEqual([3, 3]);
  });
  it('summarize count() without by over no rows returns one row with 0', async () => {
    const r = await run(`datatable(x:int)[1] | where x > 5 | summarize count()`);
    expect(r.rows).toEqual([{ count_: 0 }]);
  });
});

describe('strings are never null', () => {
  // https://learn.microsoft.com/kusto/query/scalar-data-types/null-values
  // "The string data type doesn't support null values." Every place a string cell can be left without a
  // value (union fills, outer-join and lookup fills, computed strings, summarize defaults) holds ''.
  it('union (outer) fills a string column an input lacks with the empty string', async () => {
    const q = `datatable(a:string, b:long)['x', 1] | union (datatable(a:string, c:string)['y', ''])`;
    const r = await run(`${q} | where c == '' | count`);
    expect(r.rows).toEqual([{ Count: 2 }]);
    const g = await run(`${q} | summarize n = count() by c`);
    expect(g.rows).toEqual([{ c: '', n: 2 }]);
    // non-string columns an input lacks stay null
    expect((await run(`${q} | where isnull(b) | count`)).rows).toEqual([{ Count: 1 }]);
  });

  it('leftouter, rightouter and fullouter joins and lookup fill the unmatched side with empty strings', async () => {
    const L = `datatable(K:string, A:long)['x', 1, 'z', 2]`;
    const R = `datatable(K:string, S:string, B:long)['x', 'sx', 10, 'w', 'sw', 20]`;
    const left = await run(`${L} | join kind=leftouter (${R}) on K | where A == 2`);
    expect(left.rows).toEqual([{ K: 'z', A: 2, K1: '', S: '', B: null }]);
    const right = await run(`${L} | join kind=rightouter (${R}) on K | where B == 20`);
    expect(right.rows).toEqual([{ K: '', A: null, K1: 'w', S: 'sw', B: 20 }]);
    const full = await run(`${L} | join kind=fullouter (${R}) on K | summarize n = count() by S`);
    expect(full.rows.find((x) => x['S'] === '')).toEqual({ S: '', n: 1 });
    const lookup = await run(`${L} | lookup (${R}) on K | where S == '' | project K`);
    expect(lookup.rows).toEqual([{ K: 'z' }]);
  });

  it('a computed string that would be null is the empty string (iff, member access, datatable null, take_any over nothing)', async () => {
    expect(await scalar(`iff(true, tostring(dynamic(null)), 'x')`)).toBe('');
    expect(await scalar(`isnull(tostring(dynamic(null)))`)).toBe(false);
    const r = await run(`datatable(d:dynamic)[dynamic({"a":1})] | extend s = iff(false, 'x', tostring(d.missing)) | where s == '' | count`);
    expect(r.rows).toEqual([{ Count: 1 }]);
    const m = await run(`datatable(s:string, n:long)['a', 1] | where n > 5 | summarize m = max(s), t = take_any(s)`);
    expect(m.rows).toEqual([{ m: '', t: '' }]);
  });
});

describe('datetime text formats (UTC)', () => {
  // https://learn.microsoft.com/kusto/query/scalar-data-types/datetime ("Supported formats": ISO 8601,
  // RFC 822, RFC 850, Sortable; "A datetime value in Kusto is always in the UTC time zone").
  const utc = (s: string) => new Date(s).getTime();
  it.each([
    ['2014-05-25T08:20:03.123456Z', '2014-05-25T08:20:03.123Z'],
    ['2014-05-25T08:20:03.123456', '2014-05-25T08:20:03.123Z'],
    ['2014-05-25T08:20', '2014-05-25T08:20:00.000Z'],
    ['2014-11-08 15:55:55.123456Z', '2014-11-08T15:55:55.123Z'],
    ['2014-11-08 15:55:55', '2014-11-08T15:55:55.000Z'],
    ['2014-11-08 15:55', '2014-11-08T15:55:00.000Z'],
    ['2014-11-08', '2014-11-08T00:00:00.000Z'],
    ['2014-11-08T15:55:55+02:00', '2014-11-08T13:55:55.000Z'],
    ['Sat, 8 Nov 14 15:05:02 GMT', '2014-11-08T15:05:02.000Z'],
    ['Sat, 8 Nov 14 15:05:02', '2014-11-08T15:05:02.000Z'],
    ['Sat, 8 Nov 14 15:05', '2014-11-08T15:05:00.000Z'],
    ['8 Nov 14 15:05:02 GMT', '2014-11-08T15:05:02.000Z'],
    ['8 Nov 14 15:05', '2014-11-08T15:05:00.000Z'],
    ['Saturday, 08-Nov-14 15:05:02 GMT', '2014-11-08T15:05:02.000Z'],
    ['Saturday, 08-Nov-14 15:05', '2014-11-08T15:05:00.000Z'],
    ['2014-11-8 15:05:25', '2014-11-08T15:05:25.000Z'],
    ['2014-11-8 15:05:25 GMT', '2014-11-08T15:05:25.000Z'],
    ['2014-11-8T15:05', '2014-11-08T15:05:00.000Z'],
  ])('todatetime(%j) is %s', async (text, iso) => {
    expect(await scalar(`todatetime('${text}')`)).toEqual(new Date(iso));
    expect(((await scalar(`todatetime('${text}')`)) as Date).getTime()).toBe(utc(iso));
  });

  it.each(['Version 2026', 'build 2026 abc', 'Nov 2026', '2026-02-30', '2026-11-21T24:00:00Z', '21/11/2026', 'Sat, 8 Foo 14 15:05', 'yesterday'])(
    'todatetime(%j) is null (no lenient fallback)',
    async (text) => {
      expect(await scalar(`todatetime('${text}')`)).toBeNull();
    },
  );

  it('datetime() literals use the same formats, zone-less values are UTC', async () => {
    expect(await scalar(`datetime(2015-12-31 23:59:59.9)`)).toEqual(new Date('2015-12-31T23:59:59.900Z'));
    expect(await scalar(`datetime(2015-12-31)`)).toEqual(new Date(Date.UTC(2015, 11, 31)));
  });
});

describe('sum and sumif default to 0', () => {
  // https://learn.microsoft.com/kusto/query/summarize-operator ("Default values of aggregations":
  // count(), countif(), dcount(), sum(), sumif() ... default to 0; nulls are ignored)
  it('sum() and sumif() over no rows or only nulls are 0', async () => {
    const empty = await run(`datatable(n:long)[1] | where n > 5 | summarize s = sum(n), si = sumif(n, n > 0), c = count()`);
    expect(empty.rows).toEqual([{ s: 0, si: 0, c: 0 }]);
    const nulls = await run(`datatable(n:long, k:string)[long(null), 'a'] | summarize s = sum(n) by k`);
    expect(nulls.rows).toEqual([{ k: 'a', s: 0 }]);
    const some = await run(`datatable(n:long)[1, 2, 3] | summarize s = sum(n), si = sumif(n, n >= 2)`);
    expect(some.rows).toEqual([{ s: 6, si: 5 }]);
  });
});

describe('substring', () => {
  // https://learn.microsoft.com/kusto/query/substring-function ("If a negative number, the substring
  // will be retrieved from the end of the source string"; examples below are the doc's)
  it.each([
    [`substring("123456", 1)`, '23456'],
    [`substring("123456", 2, 2)`, '34'],
    [`substring("ABCD", 0, 2)`, 'AB'],
    [`substring("123456", -2, 2)`, '56'],
    [`substring("123456", -2)`, '56'],
    [`substring("123456", -10, 3)`, '123'],
    [`substring("123456", 10)`, ''],
    [`substring("123456", 4, 10)`, '56'],
  ])('%s → %j', async (expr, expected) => {
    expect(await scalar(expr)).toBe(expected);
  });
});

describe('IPv4 prefix notation', () => {
  // https://learn.microsoft.com/kusto/query/ipv4-is-private-function ("IPv4 strings can be masked using
  // IP-prefix notation"; ipv4_is_private('192.168.1.1/24') == true, ('10.1.2.3/24') == true)
  // https://learn.microsoft.com/kusto/query/ipv4-is-in-range-function and ipv4-is-in-any-range-function (ranges in IP-prefix notation)
  it.each([
    [`ipv4_is_private('192.168.1.1/24')`, true],
    [`ipv4_is_private('10.1.2.3/24')`, true],
    [`ipv4_is_private('202.1.2.3')`, false],
    [`ipv4_is_private('127.0.0.1')`, false],
    [`ipv4_is_private('10.1.2.3/33')`, null],
    [`ipv4_is_in_range('192.168.1.1', '192.168.1.255/24')`, true],
    [`ipv4_is_in_range('192.168.1.1/24', '192.168.1.0/24')`, true],
    [`ipv4_is_in_range('192.168.2.1', '192.168.1.0/24')`, false],
    [`ipv4_is_in_any_range('10.1.2.3/16', '192.168.0.0/16', '10.0.0.0/8')`, true],
    [`ipv4_is_in_any_range('x', '10.0.0.0/8')`, null],
  ])('%s → %s', async (expr, expected) => {
    expect(await scalar(expr)).toBe(expected);
  });
});

describe('trim, trim_start, trim_end', () => {
  // https://learn.microsoft.com/kusto/query/trim-function: "Removes all leading and trailing matches of
  // the specified regular expression" (trim("--", "--https://bing.com--") → "https://bing.com").
  // https://learn.microsoft.com/kusto/query/trim-start-function / trim-end-function: the leading / trailing match.
  it.each([
    [`trim("--", "--https://bing.com--")`, 'https://bing.com'],
    [`trim('-', '--x--')`, 'x'],
    [`trim(@"[^\\w]+", "- Te st1// $")`, 'Te st1'],
    [`trim(@"\\s+", " Hello, world! ")`, 'Hello, world!'],
    [`trim_start(@"[^\\w]+", "- Te st1// $")`, 'Te st1// $'],
    [`trim_end(@"[^\\w]+", "- Te st1// $")`, '- Te st1'],
    [`trim_start("https://", "https://bing.com")`, 'bing.com'],
  ])('%s → %j', async (expr, expected) => {
    expect(await scalar(expr)).toBe(expected);
  });

  it('a long run of matches does not backtrack exponentially', async () => {
    const t0 = Date.now();
    expect(await scalar(`trim(@"[^\\w]+", strcat("${'- '.repeat(40)}", "x", "${' /'.repeat(40)}"))`)).toBe('x');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('inline regex flags such as (?i) apply in all three', async () => {
    expect(await scalar(`trim('(?i)ab', 'ABxAB')`)).toBe('x');
    expect(await scalar(`trim_start('(?i)ab', 'ABxAB')`)).toBe('xAB');
    expect(await scalar(`trim_end('(?i)ab', 'ABxAB')`)).toBe('ABx');
  });
});

describe('union of same-named columns with different types', () => {
  // https://learn.microsoft.com/kusto/query/union-operator: with kind=outer "if a column appears in
  // multiple tables and has multiple types, it has a corresponding column for each type in the union's
  // result. This column name is suffixed with a '_' followed by the origin column type."
  it('suffixes every such column with _ and its type', async () => {
    // in order of each name's first appearance, a name's types together, as Kusto.Language orders them
    const r = await run(`union (datatable(x:long, y:string)[1, 'a']), (datatable(x:string, y:string)['s', 'b'])`);
    expect(r.columns).toEqual([
      { name: 'x_long', type: 'long' },
      { name: 'x_string', type: 'string' },
      { name: 'y', type: 'string' },
    ]);
    expect(r.rows).toEqual([{ x_long: 1, y: 'a', x_string: '' }, { x_long: null, y: 'b', x_string: 's' }]);
  });

  it('kind=inner keeps only the columns common to all inputs', async () => {
    // "inner causes the result to have the subset of columns that are common to all of the input tables"
    const r = await run(`datatable(a:long, b:string)[1, 'x'] | union kind=inner (datatable(a:long, c:string, b:long)[2, 'y', 3])`);
    expect(r.columns).toEqual([{ name: 'a', type: 'long' }]);
    expect(r.rows).toEqual([{ a: 1 }, { a: 2 }]);
  });
});

describe('case-insensitive string operators fold ASCII only', () => {
  // https://learn.microsoft.com/kusto/query/contains-operator and https://learn.microsoft.com/kusto/query/in-operator:
  // "Case-insensitive operators are currently supported only for ASCII-text. For non-ASCII comparison,
  // use the tolower() function." The has/contains/startswith/endswith family folds as =~ and in~ do.
  it.each([
    [`'Ä' =~ 'ä'`, false],
    [`'Ä' in~ ('ä')`, false],
    [`'Ä' contains 'ä'`, false],
    [`'xÄy' has 'xäy'`, false],
    [`'Äb' startswith 'äB'`, false],
    [`'bÄ' endswith 'Bä'`, false],
    [`'Ä' has_any ('ä')`, false],
    [`tolower('Ä') contains 'ä'`, true],
    [`'Krämer IT' has 'KRÄMER'`, false],
    [`'Krämer IT' has 'KRäMER'`, true],
    [`'FabriKam' contains 'BRik'`, true],
    [`'Fabrikam' endswith 'Kam'`, true],
    [`'Kelvin' contains '\u212Aelvin'`, false],
  ])('%s → %s', async (expr, expected) => {
    expect(await scalar(expr)).toBe(expected);
  });

  it('holds when the needle is not a constant too', async () => {
    const r = await run(`datatable(h:string, n:string)['Ä', 'ä', 'AB', 'b'] | project c = h contains n, s = h has n`);
    expect(r.rows).toEqual([{ c: false, s: false }, { c: true, s: false }]);
  });
});
