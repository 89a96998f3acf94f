// Tabular operators. Doc pages: https://learn.microsoft.com/en-us/kusto/query/<operator>-operator
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

const T = `datatable(Name:string, Dept:string, Salary:long, Tags:dynamic)[
  'ann', 'eng', 100, dynamic(['a','b']),
  'bob', 'eng', 80, dynamic(['c']),
  'cid', 'ops', 90, dynamic([]),
  'dee', 'ops', long(null), dynamic(null)
]`;

describe('projection operators', () => {
  it('extend adds columns and replaces an existing one in place', async () => {
    const r = await run(`${T} | project Name, Salary | extend Salary = Salary * 2, Bonus = Salary + 1`);
    expect(r.columns.map((c) => c.name)).toEqual(['Name', 'Salary', 'Bonus']);
    expect(r.rows[0]).toEqual({ Name: 'ann', Salary: 200, Bonus: 201 });
  });
  it('project, project-away, project-keep, project-rename', async () => {
    expect((await run(`${T} | project-away Tags, Dept`)).columns.map((c) => c.name)).toEqual(['Name', 'Salary']);
    expect((await run(`${T} | project-keep Salary, Name`)).columns.map((c) => c.name)).toEqual(['Name', 'Salary']);
    expect((await run(`${T} | project-rename Pay = Salary`)).columns.map((c) => c.name)).toEqual(['Name', 'Dept', 'Pay', 'Tags']);
    expect((await run(`${T} | project N = toupper(Name), Salary | take 1`)).rows).toEqual([{ N: 'ANN', Salary: 100 }]);
  });
});

describe('summarize', () => {
  // https://learn.microsoft.com/en-us/kusto/query/summarize-operator
  it('groups with aggregates and default column names', async () => {
    const r = await run(`${T} | summarize count(), sum(Salary), max(Salary), avg(Salary), dcount(Name), countif(Salary > 85) by Dept`);
    expect(r.columns.map((c) => c.name)).toEqual(['Dept', 'count_', 'sum_Salary', 'max_Salary', 'avg_Salary', 'dcount_Name', 'countif_']);
    expect(r.rows).toEqual([
      { Dept: 'eng', count_: 2, sum_Salary: 180, max_Salary: 100, avg_Salary: 90, dcount_Name: 2, countif_: 1 },
      { Dept: 'ops', count_: 2, sum_Salary: 90, max_Salary: 90, avg_Salary: 90, dcount_Name: 2, countif_: 1 },
    ]);
  });
  it('bin() groups datetimes into fixed buckets and keeps the column name', async () => {
    const r = await run(`datatable(T:datetime)[datetime(2026-01-01T00:10:00Z), datetime(2026-01-01T00:50:00Z), datetime(2026-01-01T01:05:00Z)]
      | summarize n = count() by bin(T, 1h)`);
    expect(r.rows).toEqual([
      { T: new Date('2026-01-01T00:00:00Z'), n: 2 },
      { T: new Date('2026-01-01T01:00:00Z'), n: 1 },
    ]);
  });
  it('arg_max / arg_min carry the other columns of the winning row', async () => {
    const r = await run(`${T} | summarize arg_max(Salary, Name) by Dept`);
    expect(r.rows).toEqual([
      { Dept: 'eng', Salary: 100, Name: 'ann' },
      { Dept: 'ops', Salary: 90, Name: 'cid' },
    ]);
    const star = await run(`${T} | summarize arg_min(Salary, *) by Dept`);
    expect(star.columns.map((c) => c.name)).toEqual(['Dept', 'Salary', 'Name', 'Tags']);
    expect(star.rows[0]).toEqual({ Dept: 'eng', Salary: 80, Name: 'bob', Tags: ['c'] });
  });
  // https://learn.microsoft.com/es-mx/azure/data-explorer/kusto/query/take-any-aggregation-function
  it('take_any picks one row per group; the deprecated any() prefixes any_', async () => {
    const r = await run(`${T} | summarize take_any(Name) by Dept`);
    expect(r.rows).toEqual([{ Dept: 'eng', Name: 'ann' }, { Dept: 'ops', Name: 'cid' }]);
    const multi = await run(`${T} | summarize take_any(Name, Salary) by Dept`);
    expect(multi.rows).toEqual([{ Dept: 'eng', Name: 'ann', Salary: 100 }, { Dept: 'ops', Name: 'cid', Salary: 90 }]);
    const star = await run(`${T} | project Dept, Name | summarize take_any(*) by Dept`);
    expect(star.columns.map((c) => c.name)).toEqual(['Dept', 'Name']);
    expect((await run(`${T} | summarize any(Name) by Dept`)).columns.map((c) => c.name)).toEqual(['Dept', 'any_Name']);
  });
  it('take_any of one column prefers a non-empty value', async () => {
    const r = await run(`datatable(k:string, v:string)['a', '', 'a', 'x'] | summarize take_any(v) by k`);
    expect(r.rows).toEqual([{ k: 'a', v: 'x' }]);
  });
});

// "you can provide arbitrary expressions for both the aggregation and grouping expressions"
// (https://learn.microsoft.com/kusto/query/summarize-operator): an output may be any scalar expression whose
// columns are read only inside aggregation calls; names and types are checked against Kusto.Language in
// column-naming.test.ts.
describe('summarize: scalar expressions over aggregates', () => {
  const CASES: readonly (readonly [query: string, rows: readonly Record<string, unknown>[]])[] = [
    [
      `${T} | summarize Rate = 100.0 * countif(Salary > 85) / count(), Spread = max(Salary) - min(Salary), S = strcat("n=", tostring(count())) by Dept`,
      [{ Dept: 'eng', Rate: 50, Spread: 20, S: 'n=2' }, { Dept: 'ops', Rate: 50, Spread: 0, S: 'n=2' }],
    ],
    [`${T} | summarize count() * 2`, [{ Column1: 8 }]],
    [`${T} | summarize -count(), tostring(count()), bin(max(Salary), 50)`, [{ Column1: -4, count_: '4', max_Salary: 100 }]],
    [`${T} | summarize x = 1 by Dept`, [{ Dept: 'eng', x: 1 }, { Dept: 'ops', x: 1 }]],
    [`${T} | summarize iff(count() > 1, "many", "one"), make_set(Name)[0] by Dept`, [{ Dept: 'eng', Column1: 'many', set_Name_0: 'ann' }, { Dept: 'ops', Column1: 'many', set_Name_0: 'cid' }]],
    // one aggregation written twice is one column and one part of an expression
    [`${T} | summarize max(Salary) * 2, max(Salary)`, [{ Column1: 200, max_Salary: 100 }]],
    // over no rows: the aggregation defaults (0, '' for a string), then the expression
    [`${T} | where false | summarize c = count() * 2, m = strcat("m", max(Name))`, [{ c: 0, m: 'm' }]],
    [`let k = 10; ${T} | summarize count() * k + toscalar(${T} | count)`, [{ Column1: 44 }]],
    [`${T} | summarize Column1 = count() by Dept | summarize max(Column1) * 2`, [{ Column1: 4 }]],
    // take_any of one expression is a single value (preferring a non-empty one, as alone)
    [`${T} | summarize strcat(take_any(Name), "!"), take_any(Salary) + 1 by Dept`, [{ Dept: 'eng', Column1: 'ann!', Column2: 101 }, { Dept: 'ops', Column1: 'cid!', Column2: 91 }]],
  ];
  it.each(CASES)('%s', async (query, rows) => {
    expect((await run(query)).rows).toEqual(rows);
  });

  // as Kusto.Language reports them: KS236 "The name 'Salary' is not an aggregate or scalar function." at the
  // name, KS144 "The aggregate function 'count' is not allowed in this context." at the inner call
  const REFUSED: readonly (readonly [query: string, code: string, message: RegExp, at: string])[] = [
    [`${T} | summarize max(Salary) + Salary by Dept`, 'KQL102', /'Salary' is read outside an aggregation/, '+ Salary'],
    [`${T} | summarize strlen(Name)`, 'KQL102', /'Name' is read outside an aggregation/, 'Name)'],
    [`${T} | summarize sum(count())`, 'KQL109', /'count\(\)' cannot be used inside another aggregation/, 'count())'],
    [`${T} | summarize arg_max(Salary, Name) + 1`, 'KQL106', /arg_max\(\) makes several columns/, 'arg_max(Salary, Name) +'],
  ];
  it.each(REFUSED)('refuses %s', async (query, code, message, at) => {
    const error = await run(query).then(() => undefined, (e: unknown) => e as { code: string; message: string; offset: number });
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
    const expected = query.indexOf(at) + (at.startsWith('+ ') ? 2 : 0);
    expect(error!.offset).toBe(expected);
  });
});

describe('row selection and ordering', () => {
  it('distinct, count, take/limit', async () => {
    expect((await run(`${T} | distinct Dept`)).rows).toEqual([{ Dept: 'eng' }, { Dept: 'ops' }]);
    expect((await run(`${T} | count`)).rows).toEqual([{ Count: 4 }]);
    expect((await run(`${T} | take 2`)).rows.length).toBe(2);
    expect((await run(`${T} | limit 3`)).rows.length).toBe(3);
  });
  // https://learn.microsoft.com/en-us/kusto/query/sort-operator: default is descending; nulls last when descending, first when ascending
  it('sort defaults to descending with nulls last; asc puts nulls first', async () => {
    expect((await run(`${T} | sort by Salary | project Name`)).rows.map((x) => x['Name'])).toEqual(['ann', 'cid', 'bob', 'dee']);
    expect((await run(`${T} | order by Salary asc | project Name`)).rows.map((x) => x['Name'])).toEqual(['dee', 'bob', 'cid', 'ann']);
    expect((await run(`${T} | sort by Dept asc, Salary desc | project Name`)).rows.map((x) => x['Name'])).toEqual(['ann', 'bob', 'cid', 'dee']);
  });
  it('top N by expression', async () => {
    expect((await run(`${T} | top 2 by Salary | project Name`)).rows.map((x) => x['Name'])).toEqual(['ann', 'cid']);
    expect((await run(`${T} | top 1 by Salary asc nulls last | project Name`)).rows.map((x) => x['Name'])).toEqual(['bob']);
  });
});

describe('join and lookup', () => {
  // https://learn.microsoft.com/en-us/kusto/query/join-operator
  const L = `datatable(K:string, A:long)['x', 1, 'x', 2, 'y', 3, 'z', 4]`;
  const R = `datatable(K:string, B:long)['x', 10, 'y', 20, 'y', 21, 'w', 30]`;
  it('inner', async () => {
    const r = await run(`${L} | join kind=inner (${R}) on K`);
    expect(r.columns.map((c) => c.name)).toEqual(['K', 'A', 'K1', 'B']);
    expect(r.rows.map((x) => [x['A'], x['B']])).toEqual([[1, 10], [2, 10], [3, 20], [3, 21]]);
  });
  it('default innerunique de-duplicates the left side by key', async () => {
    const r = await run(`${L} | join (${R}) on K`);
    expect(r.rows.map((x) => [x['A'], x['B']])).toEqual([[1, 10], [3, 20], [3, 21]]);
  });
  // strings are never null: the unmatched side's string columns are '' (https://learn.microsoft.com/kusto/query/scalar-data-types/null-values)
  it('leftouter keeps unmatched left rows with nulls (empty strings)', async () => {
    const r = await run(`${L} | join kind=leftouter (${R}) on $left.K == $right.K`);
    expect(r.rows.filter((x) => x['A'] === 4)).toEqual([{ K: 'z', A: 4, K1: '', B: null }]);
  });
  it('leftanti, leftsemi, rightsemi', async () => {
    expect((await run(`${L} | join kind=leftanti (${R}) on K`)).rows).toEqual([{ K: 'z', A: 4 }]);
    expect((await run(`${L} | join kind=leftsemi (${R}) on K`)).rows.map((x) => x['A'])).toEqual([1, 2, 3]);
    expect((await run(`${L} | join kind=rightsemi (${R}) on K`)).rows.map((x) => x['B'])).toEqual([10, 20, 21]);
  });
  it('lookup adds the right columns without repeating the key', async () => {
    const r = await run(`${L} | lookup (datatable(K:string, Name:string)['x','ex','y','why']) on K`);
    expect(r.columns.map((c) => c.name)).toEqual(['K', 'A', 'Name']);
    expect(r.rows.map((x) => x['Name'])).toEqual(['ex', 'ex', 'why', '']);
  });
});

describe('union, mv-expand, as, materialize, let', () => {
  it('union merges columns by name', async () => {
    const r = await run(`union (datatable(a:long)[1]), (datatable(a:long, b:string)[2, 'x'])`);
    // a string column an input lacks is '' (strings are never null)
    expect(r.rows).toEqual([{ a: 1, b: '' }, { a: 2, b: 'x' }]);
    const r2 = await run(`datatable(a:long)[1] | union (datatable(a:long)[2])`);
    expect(r2.rows).toEqual([{ a: 1 }, { a: 2 }]);
  });
  // https://learn.microsoft.com/en-us/kusto/query/mv-expand-operator
  it('mv-expand expands arrays to rows, with a type and a limit', async () => {
    const r = await run(`${T} | mv-expand Tags to typeof(string) | project Name, Tags`);
    expect(r.columns).toEqual([{ name: 'Name', type: 'string' }, { name: 'Tags', type: 'string' }]);
    expect(r.rows).toEqual([{ Name: 'ann', Tags: 'a' }, { Name: 'ann', Tags: 'b' }, { Name: 'bob', Tags: 'c' }, { Name: 'dee', Tags: '' }]); // a Kusto string is never null: null reads as ''
    expect((await run(`${T} | mv-expand Tags limit 1 | project Name`)).rows.map((x) => x['Name'])).toEqual(['ann', 'bob', 'dee']);
  });
  // Same page, "Returns": a null dynamic value yields a single record, an empty array or bag none.
  it('mv-expand keeps a row for null and drops a row for an empty array', async () => {
    const r = await run(`datatable(Name:string, Tags:dynamic)['null', dynamic(null), 'empty', dynamic([]), 'one', dynamic(['x'])] | mv-expand Tags`);
    expect(r.rows).toEqual([{ Name: 'null', Tags: null }, { Name: 'one', Tags: 'x' }]);
  });
  it('materialize evaluates once and can be referenced twice', async () => {
    const r = await run(`let m = materialize(${T} | summarize n = count() by Dept);
      m | join kind=inner (m | where n > 1) on Dept | project Dept, n`);
    expect(r.rows).toEqual([{ Dept: 'eng', n: 2 }, { Dept: 'ops', n: 2 }]);
  });
  it('tabular and scalar lets, toscalar, as', async () => {
    const r = await run(`let limit_ = toscalar(${T} | summarize max(Salary));
      let t = ${T};
      t | where Salary == limit_ | as top1 | project Name`);
    expect(r.rows).toEqual([{ Name: 'ann' }]);
  });
});
