// Result column names and types, checked against Kusto.Language (@kusto/language-service-next): the
// names a query's later operators and its readers depend on. Issue 13: d["k"] is d_k,
// make_list(tostring(d.k)) is list_d_k, arg_max(a*2, b) is max_ and b, unnamed print columns are
// print_<position>, duplicate aggregates are max_x and max_x1; int + int is long; union names.
// The rules live in src/kql/binder/columns.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalogue, lint } from '../../src/kql/index.js';
import { loadOfficialKusto, type OfficialKusto } from './corpus/official-kusto.js';
import { run } from './helpers.js';

const T = `datatable(s:string, d:dynamic, n:long, i:int, a:long, b:long)['x', dynamic({"k": "v"}), 1, 2, 3, 4]`;

const QUERIES = [
  `${T} | extend d["k"]`,
  `${T} | extend d.k, d["k"].z, d[0], d.k[1]`,
  `${T} | summarize make_list(tostring(d.k))`,
  `${T} | summarize make_set(tolower(s)), dcount(tostring(d.k)), min(strlen(s)), sum(toint(n))`,
  `${T} | summarize arg_max(a*2, b)`,
  `${T} | summarize arg_min(a*2, b)`,
  `${T} | summarize arg_max(a, b*2, b+1)`,
  `${T} | summarize arg_max(a*1, b*2)`,
  `${T} | summarize arg_max(a, b), arg_min(a, b)`,
  `${T} | summarize arg_max(a, *) by b`,
  `${T} | summarize x = arg_max(a, b)`,
  `${T} | summarize max(a), max(a)`,
  `${T} | summarize max(a), max_a = count()`,
  `${T} | summarize max_a = count(), max(a)`,
  `${T} | summarize count(), count() by count_ = a`,
  `${T} | summarize max(b) by max_b = a`,
  `${T} | summarize take_any(b) by b`,
  `${T} | summarize take_any(a*2, b)`,
  `${T} | summarize x = take_any(a)`,
  `${T} | summarize any(a, b), any(a*2)`,
  `${T} | summarize take_any(*) by a`,
  `${T} | summarize count() by tolower(s), tostring(d.k), strlen(s), bin(n, 2)`,
  // scalar expressions over aggregates: an aggregation inside is named as it would be alone (tostring(count()) is count_)
  `${T} | summarize Rate = 100.0 * countif(a > 1) / count(), M = max(a) - min(a), S = strcat("n=", tostring(count())) by b`,
  `${T} | summarize count() * 2, max(a) + 1, tostring(count()), bin(max(a), 2), -count()`,
  `${T} | summarize tolong(max(a)), toint(sum(i)), round(avg(a), 2), dcount(s) / toreal(count())`,
  `${T} | summarize make_set(s)[0], make_bag(d).k, iff(count() > 1, "many", "one")`,
  `${T} | summarize max(a) * 2, max(a)`,
  `${T} | summarize max(a) * 2 by Column1 = b`,
  `${T} | summarize count() * 2 by b * 2`,
  `${T} | summarize 1, x = 2 by a`,
  `${T} | summarize take_any(a) + 1, strcat(take_any(s), "x"), tostring(take_any(s)), tostring(any(s))`,
  `print 1, 2, x = 3, 4`,
  `print x = 1, 2, print_1 = 3`,
  `${T} | project tolower(s), strlen(s), bin(n, 2), floor(n, 2), iff(true, s, s), n + 1`,
  `${T} | project n, toint(n)`,
  `${T} | project toint(n), n`,
  `${T} | project n, n1 = 1, toint(n)`,
  `${T} | project d_k = 1, d.k`,
  `${T} | project array_sort_asc(d), split(s, ",")`,
  `${T} | distinct tolower(s), tostring(d.k)`,
  `${T} | extend a*2, a+1`,
  `${T} | extend p = i + i, q = i * i, r = i / i, t = i % i, v = i + 1.5`,
  `${T} | project -i, -n, -1.5, -1s`,
  `${T} | mv-expand d.k`,
  `${T} | mv-expand with_itemindex=a d`,
  `${T} | mv-expand kind=array with_itemindex=ix d to typeof(string), e = d`,
  `print extract("x=([0-9.]+)", 1, "x=45.6", typeof(real))`,
  `union (datatable(x:long)[1]), (datatable(x:string, x_long:string)["a", "b"])`,
  `union (datatable(x:long, x_string:long)[1, 2]), (datatable(x:string)["a"])`,
  `union (datatable(x:long, z:long)[1, 1]), (datatable(y:long, x:string)[1, 'a'])`,
  `union (datatable(x:int)[1]), (datatable(x:long)[1]), (datatable(x:real)[1.0])`,
  `union (print x = toint(1) + toint(2)), (print x = 5)`,
  `DeviceInfo | join kind=inner (DeviceInfo | project DeviceId, DeviceName) on DeviceId`,
  `${T} | project-away d*`,
  `${T} | project-keep *`,
];

/** Both analyzers reject these (and for the same name). */
const REJECTED = [
  `DeviceInfo | project DeviceName, DeviceName`,
  `${T} | summarize a = max(b) by a`,
  `${T} | extend x = 1, x = 2`,
  `${T} | extend z = 1, w = z`,
  `${T} | project x = 1, x = 2`,
  `${T} | summarize sum(count())`,
  `${T} | summarize max(a) + b by b`,
  `${T} | summarize count() + toint(i)`,
];

let official: OfficialKusto;
beforeAll(() => {
  official = loadOfficialKusto(defaultCatalogue);
});

describe('column names and types agree with Kusto.Language', () => {
  it.each(QUERIES)('%s', async (query) => {
    expect(official.diagnostics(query)).toEqual([]);
    expect(lint(query)).toEqual([]);
    const r = await run(query);
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(official.resultColumns(query));
  });

  it.each(REJECTED)('both reject %s', (query) => {
    const theirs = official.diagnostics(query);
    const ours = lint(query);
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours.map((d) => `${d.line}:${d.col}`)).toEqual(theirs.map((d) => `${d.line}:${d.col}`));
  });
});
