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
      | summarize c = count(), cv = count(v), s = sum(v), m = make_set(v), l = make_list(v), d = dcount(v) by k`);
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
