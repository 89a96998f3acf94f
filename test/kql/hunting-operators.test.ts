// Operators that public hunting queries use (issue 13). Each block cites the Microsoft doc page it
// follows; result columns are checked against Kusto.Language where it infers them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDataDir } from '../../src/data/index.js';
import { defaultCatalogue, evaluate, KqlBindError, KqlRuntimeError, lint } from '../../src/kql/index.js';
import { dataDir } from '../data/dataDirs.js';
import { loadOfficialKusto, type OfficialKusto } from './corpus/official-kusto.js';
import { NOW, run } from './helpers.js';

const names = (r: { columns: readonly { name: string }[] }) => r.columns.map((c) => c.name);

describe('project-reorder', () => {
  // https://learn.microsoft.com/kusto/query/project-reorder-operator
  const T = 'datatable(b:long, a:long, B:long, a10:long, a9:long)[1, 2, 3, 4, 5]';
  it.each([
    ['a9, b', ['a9', 'b', 'a', 'B', 'a10']],
    ['a*', ['a', 'a10', 'a9', 'b', 'B']],
    ['* asc', ['a', 'a10', 'a9', 'b', 'B']],
    ['* desc', ['b', 'B', 'a9', 'a10', 'a']],
    ['* granny-asc', ['a', 'a9', 'a10', 'b', 'B']],
    ['B, a* desc', ['B', 'a9', 'a10', 'a', 'b']],
  ])('%s', async (args, expected) => {
    const r = await run(`${T} | project-reorder ${args}`);
    expect(names(r)).toEqual(expected);
    expect(r.rows[0]).toEqual({ b: 1, a: 2, B: 3, a10: 4, a9: 5 });
  });

  it('a name or pattern that matches no column is an error at its position', () => {
    expect(lint('DeviceInfo | project-reorder NoSuch')[0]).toMatchObject({ code: 'KQL102', col: 30 });
    expect(lint('DeviceInfo | project-reorder NoSuch*')[0]).toMatchObject({ code: 'KQL102', col: 30 });
  });
});

describe('render', () => {
  // https://learn.microsoft.com/kusto/query/render-operator: render only tells a client how to draw the table
  it('is accepted and ignored, and the result says so', async () => {
    const r = await run(`datatable(x:long)[1, 2] | render timechart with (title='t') | where x > 1`);
    expect(r.rows).toEqual([{ x: 2 }]);
    expect(r.notes).toEqual(['render timechart was ignored: the local engine returns the table, not a chart']);
    expect(lint('DeviceInfo | summarize count() by DeviceName | render barchart')).toEqual([]);
  });
});

describe('user-defined functions and invoke', () => {
  // https://learn.microsoft.com/kusto/query/functions/user-defined-functions
  it('scalar functions take arguments from the caller row, with defaults', async () => {
    const r = await run(`let f = (a:long, b:long = 10) { a * b }; datatable(x:long)[1, 2] | extend y = f(x), z = f(x, 2)`);
    expect(r.rows).toEqual([{ x: 1, y: 10, z: 2 }, { x: 2, y: 20, z: 4 }]);
  });

  it('tabular functions take tables; invoke passes its input as the first argument', async () => {
    // https://learn.microsoft.com/kusto/query/invoke-operator
    const q = `let above = (T:(x:long), n:long = 1) { T | where x > n };
      let t = datatable(x:long)[1, 2, 3];
      union (t | invoke above(2) | extend k = 'invoke'), (above(t) | extend k = 'call')`;
    expect((await run(q)).rows).toEqual([{ x: 3, k: 'invoke' }, { x: 2, k: 'call' }, { x: 3, k: 'call' }]);
    const star = `let firstTwo = (T:(*)) { T | take 2 }; datatable(x:long, y:string)[1, 'a', 2, 'b', 3, 'c'] | invoke firstTwo()`;
    expect((await run(star)).rows).toEqual([{ x: 1, y: 'a' }, { x: 2, y: 'b' }]);
  });

  it('a function without parameters may be named without parentheses', async () => {
    expect((await run(`let f = () { datatable(x:long)[1, 2] | take 1 }; f`)).rows).toEqual([{ x: 1 }]);
    expect((await run(`let one = () { 1 }; print v = one + one()`)).rows).toEqual([{ v: 2 }]);
  });

  it('a body has its own lets and sees the lets before it, not the caller columns', async () => {
    const r = await run(`let k = 100; let f = (a:long) { let twice = a * 2; twice + k }; print v = f(1)`);
    expect(r.rows).toEqual([{ v: 102 }]);
    expect(lint(`let f = () { DeviceName }; DeviceInfo | extend x = f()`)[0]).toMatchObject({ code: 'KQL102', col: 14 });
  });

  it.each([
    [`let f = (a:long) { a }; print f()`, 'KQL105', /the argument 'a' is missing/],
    [`let f = (a:long) { a }; print f(1, 2)`, 'KQL105', /takes 1 argument, got 2/],
    [`let f = (a:long) { a }; print f('x')`, 'KQL104', /'a' is long, not string/],
    [`let f = (T:(x:long)) { T }; DeviceInfo | invoke f()`, 'KQL104', /needs a column x:long/],
    [`let f = (a:long) { a }; DeviceInfo | invoke f()`, 'KQL104', /first parameter is a table/],
  ])('%s is refused', (query, code, message) => {
    const d = lint(query);
    expect(d[0]?.code).toBe(code);
    expect(d[0]!.message).toMatch(message);
  });
});

describe('parse and parse-where', () => {
  // https://learn.microsoft.com/kusto/query/parse-operator (the doc's own examples, with ISO datetimes)
  const EVENTS = `datatable(EventText:string)[
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=2016-02-17T08:40:01Z, releaseTime=2016-02-17T08:40:01Z, previousLockTime=2016-02-17T08:39:01Z)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=nonValidLongValue, sliceNumber=16, lockTime=2016-02-17T08:41:00Z, releaseTime=nonValidDateTime, previousLockTime=2016-02-17T08:40:00Z)"]`;

  it('kind=simple: all delimiters must appear and every column must convert, else all columns are null', async () => {
    const r = await run(`${EVENTS} | parse EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices:long * "sliceNumber=" sliceNumber:long * "releaseTime=" releaseTime:datetime "," * | project-away EventText`);
    expect(r.rows).toEqual([
      { resourceName: 'PipelineScheduler', totalSlices: 27, sliceNumber: 23, releaseTime: new Date('2016-02-17T08:40:01Z') },
      { resourceName: '', totalSlices: null, sliceNumber: null, releaseTime: null },
    ]);
  });

  it('kind=relaxed: a column that does not convert is null, the others keep their values', async () => {
    const r = await run(`${EVENTS} | parse kind=relaxed EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices:long ", sliceNumber=" sliceNumber:long * "releaseTime=" releaseTime:datetime "," * | project-away EventText`);
    expect(r.rows[1]).toEqual({ resourceName: 'PipelineScheduler', totalSlices: null, sliceNumber: 16, releaseTime: null });
  });

  it('kind=regex is greedy unless flags has U; i ignores case', async () => {
    const greedy = await run(`${EVENTS} | take 1 | parse kind=regex EventText with * "resourceName=" resourceName ',' * | project resourceName`);
    expect(greedy.rows[0]!['resourceName']).toBe('PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=2016-02-17T08:40:01Z, releaseTime=2016-02-17T08:40:01Z');
    const lazy = await run(`${EVENTS} | take 1 | parse kind=regex flags=Ui EventText with * "RESOURCENAME=" resourceName ',' * | project resourceName`);
    expect(lazy.rows[0]!['resourceName']).toBe('PipelineScheduler');
    const groups = await run(`${EVENTS} | take 1 | parse kind=regex EventText with "(.*?)[a-zA-Z]*=" resourceName @", totalSlices=\\s*\\d+\\s*.*?sliceNumber=" sliceNumber:long ".*" | project resourceName, sliceNumber`);
    expect(groups.rows[0]).toEqual({ resourceName: 'PipelineScheduler', sliceNumber: 23 });
  });

  it('kind=simple takes the first occurrence of each constant and scans hostile text once', async () => {
    const r = await run(`print s = 'a=1, b=2, a=3' | parse s with * "a=" x:long "," *`);
    expect(r.rows[0]!['x']).toBe(1);
    // telemetry is attacker-controlled: a long text that almost matches a many-part pattern stays cheap
    const hostile = 'ab'.repeat(50_000);
    const h = await run(`print s = '${hostile}' | parse s with * "a" x "b" y "a" z "c" *`);
    expect(h.rows[0]).toMatchObject({ x: '', y: '', z: '' });
  });

  it('parse-where keeps only the rows that match', async () => {
    // https://learn.microsoft.com/kusto/query/parse-where-operator
    const r = await run(`${EVENTS} | parse-where EventText with * "totalSlices=" totalSlices:long "," * | project totalSlices`);
    expect(r.rows).toEqual([{ totalSlices: 27 }]);
  });

  it.each([
    [`DeviceInfo | parse DeviceName with DeviceId "." *`, 'KQL108', 36],
    [`DeviceInfo | parse kind=fuzzy DeviceName with a`, 'KQL106', 25],
    [`DeviceInfo | parse DeviceName with a * "." b`, 'KQL104', 38],
    [`DeviceInfo | parse flags=i DeviceName with a`, 'KQL104', 26],
  ])('%s is refused at its position', (query, code, col) => {
    expect(lint(query)[0]).toMatchObject({ code, col });
  });
});

describe('mv-expand legacy syntax and mv-apply', () => {
  it('mvexpand is mv-expand', async () => {
    // https://learn.microsoft.com/kusto/query/mv-expand-operator#legacy-syntax
    const r = await run(`datatable(a:long, b:dynamic)[1, dynamic([10, 20])] | mvexpand b to typeof(long)`);
    expect(r.rows).toEqual([{ a: 1, b: 10 }, { a: 1, b: 20 }]);
  });

  // https://learn.microsoft.com/kusto/query/mv-apply-operator: "the two largest values in each array"
  it('applies the subquery to each row expanded, with the item index', async () => {
    const r = await run(`datatable(xs:dynamic)[dynamic([5, 1, 7]), dynamic([3])]
      | mv-apply with_itemindex=i x = xs to typeof(long) on (top 2 by x)`);
    expect(r.rows).toEqual([
      { xs: [5, 1, 7], x: 7, i: 2 },
      { xs: [5, 1, 7], x: 5, i: 0 },
      { xs: [3], x: 3, i: 0 },
    ]);
    const sums = await run(`datatable(id:long, xs:dynamic)[1, dynamic([1, 2]), 2, dynamic([])] | mv-apply xs to typeof(long) on (summarize total = sum(xs))`);
    expect(sums.rows).toEqual([{ id: 1, total: 3 }, { id: 2, total: 0 }]);
  });
});

describe('serialize and window functions', () => {
  // https://learn.microsoft.com/kusto/query/window-functions, row-number-function, prev-function, next-function
  const T = 'datatable(k:string, v:long)["a", 3, "a", 1, "b", 2]';
  it('row_number, prev and next read the serialized order', async () => {
    const r = await run(`${T} | sort by v asc | extend n = row_number(), p = prev(v), q = next(v, 1, -1), r = row_number(10, k != prev(k))`);
    expect(r.rows).toEqual([
      { k: 'a', v: 1, n: 1, p: null, q: 2, r: 10 },
      { k: 'b', v: 2, n: 2, p: 1, q: 3, r: 10 },
      { k: 'a', v: 3, n: 3, p: 2, q: -1, r: 10 },
    ]);
    const s = await run(`${T} | serialize i = row_number(), before = prev(k, 2)`);
    expect(s.rows.map((x) => [x['i'], x['before']])).toEqual([[1, ''], [2, ''], [3, 'a']]);
  });

  it('refuses window functions on a row set that is not serialized', () => {
    expect(lint(`${T} | extend n = row_number()`)[0]).toMatchObject({ code: 'KQL106', col: 66 });
    expect(lint(`${T} | sort by v | summarize count() by k | extend n = prev(k)`)[0]!.message).toMatch(/prev\(\) needs a serialized row set/);
  });
});

describe('make-series', () => {
  // https://learn.microsoft.com/kusto/query/make-series-operator (the doc's example data)
  const DATA = `datatable(timestamp:datetime, metric:real)[
    datetime(2016-12-31T06:00), 50, datetime(2017-01-01), 4, datetime(2017-01-02), 3, datetime(2017-01-03), 4,
    datetime(2017-01-03T03:00), 6, datetime(2017-01-05), 8, datetime(2017-01-05T13:40), 13, datetime(2017-01-06), 4,
    datetime(2017-01-07), 3, datetime(2017-01-08), 8, datetime(2017-01-08T21:00), 8, datetime(2017-01-09), 2,
    datetime(2017-01-09T12:00), 11, datetime(2017-01-10T05:00), 5]`;
  const RANGE = 'from datetime(2017-01-01) to datetime(2017-01-10) step 1d';

  it('aggregates per bin, with the default where a bin is empty, and the axis last', async () => {
    const r = await run(`${DATA} | make-series avg(metric) on timestamp ${RANGE}`);
    expect(names(r)).toEqual(['avg_metric', 'timestamp']);
    expect(r.rows[0]!['avg_metric']).toEqual([4, 3, 5, 0, 10.5, 4, 3, 8, 6.5]);
    expect((r.rows[0]!['timestamp'] as string[]).map((t) => t.slice(0, 10))).toEqual([
      '2017-01-01', '2017-01-02', '2017-01-03', '2017-01-04', '2017-01-05', '2017-01-06', '2017-01-07', '2017-01-08', '2017-01-09',
    ]);
  });

  it('an empty input gives no row, unless kind=nonempty', async () => {
    expect((await run(`${DATA} | take 0 | make-series avg(metric) default=1.0 on timestamp ${RANGE}`)).rows).toEqual([]);
    const r = await run(`${DATA} | take 0 | make-series kind=nonempty avg(metric) default=1.0 on timestamp ${RANGE}`);
    expect(r.rows[0]!['avg_metric']).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('groups by the by-keys', async () => {
    const r = await run(`datatable(t:datetime, d:string)[datetime(2026-01-01), 'x', datetime(2026-01-01T12:00), 'x', datetime(2026-01-02), 'y']
      | make-series n = count() on t from datetime(2026-01-01) to datetime(2026-01-03) step 1d by d`);
    expect(r.rows.map((x) => [x['d'], x['n']])).toEqual([['x', [2, 0]], ['y', [0, 1]]]);
  });
});

describe('evaluate bag_unpack and pivot', () => {
  // https://learn.microsoft.com/kusto/query/bag-unpack-plugin
  const BAGS = `datatable(d:dynamic)[dynamic({"Name": "John", "Age":20}), dynamic({"Name": "Dave", "Height": 170, "Age":40}), dynamic({"Name": "Jasmine", "Age":30})]`;
  it('unpacks the slots into columns named (and sorted) by slot, typed by their values', async () => {
    const r = await run(`${BAGS} | evaluate bag_unpack(d)`);
    expect(r.columns).toEqual([{ name: 'Age', type: 'long' }, { name: 'Height', type: 'long' }, { name: 'Name', type: 'string' }]);
    expect(r.rows).toEqual([{ Age: 20, Height: null, Name: 'John' }, { Age: 40, Height: 170, Name: 'Dave' }, { Age: 30, Height: null, Name: 'Jasmine' }]);
    const prefixed = await run(`${BAGS} | evaluate bag_unpack(d, 'Property_', ignoredProperties=dynamic(['Height'])) | project Property_Name`);
    expect(prefixed.rows).toEqual([{ Property_Name: 'John' }, { Property_Name: 'Dave' }, { Property_Name: 'Jasmine' }]);
  });

  it('resolves a clash with an input column as columnsConflict says (an error by default)', async () => {
    const T = `datatable(Name:string, d:dynamic)['Old_name', dynamic({"Name": "John", "Age":20})]`;
    expect((await run(`${T} | evaluate bag_unpack(d, columnsConflict='replace_source')`)).rows).toEqual([{ Age: 20, Name: 'John' }]);
    expect((await run(`${T} | evaluate bag_unpack(d, columnsConflict='keep_source')`)).rows).toEqual([{ Name: 'Old_name', Age: 20 }]);
    await expect(run(`${T} | evaluate bag_unpack(d)`)).rejects.toThrow(/slot 'Name' has the name of an input column/);
  });

  it('takes a declared output schema, with * for the input columns', async () => {
    const T = `datatable(d:dynamic, Description:string)[dynamic({"Name": "John", "Age":20, "height":180}), "Student"]`;
    expect((await run(`${T} | evaluate bag_unpack(d) : (*, Name:string, Age:long)`)).rows).toEqual([{ Description: 'Student', Name: 'John', Age: 20 }]);
    expect((await run(`${T} | evaluate bag_unpack(d) : (Age:long)`)).rows).toEqual([{ Age: 20 }]);
  });

  // https://learn.microsoft.com/kusto/query/pivot-plugin
  it('pivot: one column per value, the aggregation per group (count() by default, 0 where a group lacks the value)', async () => {
    const T = `datatable(EventType:string, State:string, Deaths:long)['Wind', 'ALABAMA', 1, 'Wind', 'ALASKA', 2, 'Flood', 'ALABAMA', 3, 'Wind', 'ALABAMA', 4]`;
    const counts = await run(`${T} | project State, EventType | evaluate pivot(State)`);
    expect(counts.rows).toEqual([{ EventType: 'Wind', ALABAMA: 2, ALASKA: 1 }, { EventType: 'Flood', ALABAMA: 1, ALASKA: 0 }]);
    const sums = await run(`${T} | evaluate pivot(State, sum(Deaths), EventType)`);
    expect(sums.rows).toEqual([{ EventType: 'Wind', ALABAMA: 5, ALASKA: 2 }, { EventType: 'Flood', ALABAMA: 3, ALASKA: 0 }]);
    const declared = await run(`${T} | project State, EventType | evaluate pivot(State) : (EventType:string, ALASKA:long)`);
    expect(declared.rows).toEqual([{ EventType: 'Wind', ALASKA: 1 }, { EventType: 'Flood', ALASKA: 0 }]);
  });

  it('lint does not check past an operator whose columns depend on the data', () => {
    expect(lint(`DeviceInfo | evaluate bag_unpack(LoggedOnUsers) | where Anything == 1`)).toEqual([]);
    expect(lint(`DeviceInfo | evaluate bag_unpack(DeviceName)`)[0]).toMatchObject({ code: 'KQL104' });
  });

  it('refuses other plugins by name and position', () => {
    expect(lint(`DeviceInfo | evaluate autocluster()`)[0]).toMatchObject({ code: 'KQL106', col: 23 });
  });
});

describe('externaldata and geo_info_from_ip_address over a data folder', () => {
  it('externaldata reads the file the folder maps the URL to', async () => {
    // https://learn.microsoft.com/kusto/query/externaldata-operator
    const url = 'https://raw.githubusercontent.com/org/repo/main/rmm.csv';
    const dir = dataDir({ 'externaldata.json': JSON.stringify({ [url]: 'lists/rmm.csv' }) });
    mkdirSync(join(dir, 'lists'));
    writeFileSync(join(dir, 'lists', 'rmm.csv'), 'Tool,Domain\nAmmyy,ammyy.com\nAnyDesk,anydesk.com\n');
    const q = `let tools = externaldata(Tool:string, Domain:string) [h@'${url}'] with (format='csv', ignoreFirstRecord=true);
      tools | where Domain endswith '.com' | project Tool`;
    const r = await evaluate(q, { tables: openDataDir(dir), now: NOW });
    expect(r.rows).toEqual([{ Tool: 'Ammyy' }, { Tool: 'AnyDesk' }]);
    await expect(evaluate(`externaldata(x:string) ['https://elsewhere/x.csv']`, { tables: openDataDir(dir), now: NOW })).rejects.toThrow(/externaldata.json has no file for 'https:\/\/elsewhere\/x.csv'/);
  });

  it('without a mapping, externaldata and geo_info_from_ip_address fail at their position, saying why', async () => {
    const e = await run(`print 1 | join (externaldata(x:string) ['https://x/y.csv']) on $left.print_0 == $right.x`).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KqlRuntimeError);
    expect(e).toMatchObject({ code: 'KQL204', line: 1, col: 16 });
    const g = await run(`print g = geo_info_from_ip_address('20.53.203.50')`).catch((x: unknown) => x);
    expect(g).toMatchObject({ code: 'KQL204', col: 11 });
    expect((g as Error).message).toMatch(/geo_info_from_ip_address\(\) has no offline answer/);
  });

  it('geo_info_from_ip_address answers from geoip.json', async () => {
    // https://learn.microsoft.com/kusto/query/geo-info-from-ip-address-function
    const sydney = { country: 'Australia', state: 'New South Wales', city: 'Sydney', latitude: -33.8715, longitude: 151.2006 };
    const dir = dataDir({ 'geoip.json': JSON.stringify({ '20.53.203.0/24': sydney }) });
    const r = await evaluate(`print a = geo_info_from_ip_address('20.53.203.50'), b = geo_info_from_ip_address('10.0.0.1'), c = tostring(geo_info_from_ip_address('20.53.203.1').city)`, { tables: openDataDir(dir), now: NOW });
    expect(r.rows).toEqual([{ a: sydney, b: null, c: 'Sydney' }]);
  });
});

describe('percentiles', () => {
  // https://learn.microsoft.com/kusto/query/percentiles-aggregation-function: one column per percentile
  it('makes one nearest-rank column per percentile', async () => {
    const r = await run(`datatable(x:long, g:string)[1, 'a', 2, 'a', 3, 'a', 4, 'a', 10, 'b'] | summarize percentiles(x, 25, 50, 99.5) by g`);
    expect(r.rows).toEqual([
      { g: 'a', percentile_x_25: 1, percentile_x_50: 2, percentile_x_99_5: 4 },
      { g: 'b', percentile_x_25: 10, percentile_x_50: 10, percentile_x_99_5: 10 },
    ]);
  });
});

describe('still not supported: a clear error naming the construct and its position', () => {
  it.each([
    ['search "ammyy"', 1, 1, /'search' operator is not supported/],
    ['DeviceInfo | search "ammyy"', 1, 14, /'search' operator is not supported/],
    ['find where DeviceName has "x"', 1, 1, /'find' operator is not supported/],
    ['DeviceInfo | evaluate python(typeof(*), "result = df")', 1, 23, /'python' plugin is not supported/],
    ['DeviceInfo | make-series count() on Timestamp in range(ago(1d), now(), 1h)', 1, 47, /on Axis in range\(\.\.\.\) is not supported/],
    ['DeviceInfo | parse-kv DeviceName as (a:string) with (pair_delimiter=",")', 1, 14, /'parse-kv' operator is not supported/],
  ])('%s', async (query, line, col, message) => {
    const d = lint(query);
    expect(d[0]).toMatchObject({ line, col });
    expect(d[0]!.message).toMatch(message);
    await expect(run(query)).rejects.toThrow(message);
  });

  it('a function cannot call itself: its body sees only the lets before it (one error, as Kusto.Language reports)', async () => {
    const d = lint(`let f = (n:long) { f(n) }; print f(1)`);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'KQL103', col: 20 });
    await expect(run(`let f = (n:long) { f(n) }; print f(1)`)).rejects.toBeInstanceOf(KqlBindError);
  });
});

describe('result columns match Kusto.Language', () => {
  let official: OfficialKusto;
  let folder: string;
  beforeAll(() => {
    official = loadOfficialKusto(defaultCatalogue);
    folder = dataDir({ 'externaldata.json': JSON.stringify({ 'https://example.com/x.csv': 'x.csv' }), 'x.csv': '', 'geoip.json': '{}' });
  });

  it.each([
    'DeviceInfo | project-reorder DeviceName, Device* desc',
    'DeviceInfo | project-reorder * asc',
    'DeviceInfo | render timechart',
    'DeviceInfo | parse DeviceName with a "." b:long "-" *',
    'DeviceInfo | parse-where kind=regex flags=U DeviceName with a:long "[.]" b',
    'DeviceInfo | mvexpand LoggedOnUsers',
    'DeviceInfo | mv-apply with_itemindex=i u = LoggedOnUsers on (top 1 by tostring(u.UserName))',
    'DeviceInfo | mv-apply LoggedOnUsers on (summarize make_list(LoggedOnUsers))',
    'DeviceInfo | serialize n = row_number(), p = prev(DeviceName) | extend q = next(OSBuild, 2, -1)',
    'DeviceInfo | make-series n = count(), avg(OSBuild) default = 0 on Timestamp from ago(7d) to now() step 1d by DeviceId',
    'DeviceInfo | summarize percentiles(OSBuild, 5, 50, 99.5) by DeviceId',
    'let f = (T:(DeviceId:string), n:long = 2) { T | summarize c = count() by DeviceId | where c > n }; DeviceInfo | invoke f()',
    'let f = (s:string) { strcat(s, "!") }; DeviceInfo | project x = f(DeviceName)',
    'externaldata(Sha256:string, Count:long) [@"https://example.com/x.csv"] with (format="csv", ignoreFirstRecord=true)',
    'DeviceInfo | project DeviceName, LoggedOnUsers | evaluate bag_unpack(LoggedOnUsers) : (*, UserName:string, DomainName:string)',
    'print g = geo_info_from_ip_address("1.2.3.4")',
  ])('%s', async (query) => {
    expect(official.diagnostics(query)).toEqual([]);
    expect(lint(query)).toEqual([]);
    const r = await evaluate(query, { tables: openDataDir(folder), now: NOW });
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(official.resultColumns(query));
  });
});
