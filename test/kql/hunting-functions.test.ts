// Functions that public hunting queries use (issue 13), each case checked against the Microsoft doc page
// it cites; result column names and types are checked against Kusto.Language.
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalogue, lint } from '../../src/kql/index.js';
import { loadOfficialKusto, type OfficialKusto } from './corpus/official-kusto.js';
import { run, scalar } from './helpers.js';

const DOCS = 'https://learn.microsoft.com/kusto/query/';

/** [expression, expected value, doc page] */
const SCALARS: readonly (readonly [string, unknown, string])[] = [
  ['base64_decode_tostring("S3VzdG8=")', 'Kusto', 'base64-decode-tostring-function'],
  // "decode a base64 string that was generated from invalid UTF-8 encoding returns null" (a string: '')
  ['base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")', '', 'base64-decode-tostring-function'],
  ['base64_decode_tostring("not base64!")', '', 'base64-decode-tostring-function'],
  ['base64_decodestring("S3VzdG8=")', 'Kusto', 'base64-decode-tostring-function'],
  ['base64_encode_tostring("Kusto")', 'S3VzdG8=', 'base64-encode-tostring-function'],
  ['base64_decode_toarray("S3VzdG8=")', [75, 117, 115, 116, 111], 'base64-decode-toarray-function'],
  ['url_encode(@"https://www.bing.com/hello world")', 'https%3a%2f%2fwww.bing.com%2fhello+world', 'url-encode-function'],
  ['url_encode_component(@"https://www.bing.com/hello world")', 'https%3a%2f%2fwww.bing.com%2fhello%20world', 'url-encode-component-function'],
  ['url_decode(@"https%3a%2f%2fwww.bing.com%2f")', 'https://www.bing.com/', 'url-decode-function'],
  ['hash_sha256("World")', '78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524', 'sha256-hash-function'],
  ['hash_md5("World")', 'f5a7924e621e84c9280a9a27e1bcb7f6', 'md5-hash-function'],
  [
    'parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")',
    { Scheme: 'scheme', Host: 'host', Port: '1234', Path: '/this/is/a/path', Username: 'username', Password: 'password', 'Query Parameters': { k1: 'v1', k2: 'v2' }, Fragment: 'fragment' },
    'parse-url-function',
  ],
  [
    // not absolute: every part empty (https://github.com/microsoft/Kusto-Query-Language/issues/112)
    'parse_url("www.ammyy.com/download")',
    { Scheme: '', Host: '', Port: '', Path: '', Username: '', Password: '', 'Query Parameters': {}, Fragment: '' },
    'parse-url-function',
  ],
  ['tostring(parse_url("https://rl.ammyy.com/files/AA_v3.exe?x=1").Host)', 'rl.ammyy.com', 'parse-url-function'],
  ['parse_urlquery("k1=v1&k2=v2&k3=v3")', { 'Query Parameters': { k1: 'v1', k2: 'v2', k3: 'v3' } }, 'parse-urlquery-function'],
  [`extract_json("$.name", '{"name": "John", "age": 30, "city": "New York"}')`, 'John', 'extract-json-function'],
  [`extractjson("$.age", '{"name": "John", "age": 30}')`, '30', 'extract-json-function'],
  [`extract_json("$.hosts[1].name", '{"hosts": [{"name": "a"}, {"name": "b"}]}')`, 'b', 'jsonpath'],
  [`extract_json("$['a b']", '{"a b": {"c": 1}}')`, '{"c":1}', 'jsonpath'],
  [`extract_json("$.missing", '{"a": 1}')`, '', 'extract-json-function'],
  ['bag_keys(dynamic({"a": 1, "b": {"c": 2}}))', ['a', 'b'], 'bag-keys-function'],
  ['bag_keys(dynamic([1, 2]))', null, 'bag-keys-function'],
  ['bag_has_key(dynamic({"a": 1, "b": {"c": 2}}), "b")', true, 'bag-has-key-function'],
  ['bag_has_key(dynamic({"a": 1, "b": {"c": 2}}), "$.b.c")', true, 'bag-has-key-function'],
  ['bag_has_key(dynamic({"a": 1}), "c")', false, 'bag-has-key-function'],
  [
    "bag_merge(dynamic({ 'A1':12, 'B1':2, 'C1':3}), dynamic({ 'A2':81, 'B2':82, 'A1':1}))",
    { A1: 12, B1: 2, C1: 3, A2: 81, B2: 82 },
    'bag-merge-function',
  ],
  ['bag_remove_keys(dynamic({"key1": 123, "key2": "abc"}), dynamic(["key1"]))', { key2: 'abc' }, 'bag-remove-keys-function'],
  ['bag_remove_keys(dynamic({"a": {"b": 1, "c": 2}}), dynamic(["$.a.b"]))', { a: { c: 2 } }, 'bag-remove-keys-function'],
  ['extract_all(@"(\\d+)", "a set of numbers: 123, 567 and 789")', ['123', '567', '789'], 'extract-all-function'],
  [
    'extract_all(@"(\\w)(\\w+)(\\w)", dynamic([1,3]), "82b8be2d-dfa7-4bd1-8f63-24ad26d31449")',
    [['8', 'd'], ['d', '7'], ['4', '1'], ['8', '3'], ['2', '9']],
    'extract-all-function',
  ],
  [
    `extract_all(@"(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)", dynamic(['first',2,'last']), "82b8be2d-dfa7")`,
    [['8', '2b8be2', 'd'], ['d', 'fa', '7']],
    'extract-all-function',
  ],
  ['extract_all(@"(\\d+)", "no digits")', null, 'extract-all-function'],
  ['min_of(10, 1, -3, 17)', -3, 'min-of-function'],
  ['min_of(int(null), 3)', 3, 'min-of-function'],
  ['max_of(2.5, 1, int(null))', 2.5, 'max-of-function'],
  ["max_of('a', 'b')", 'b', 'max-of-function'],
  ["strcmp('abc', 'abd')", -1, 'strcmp-function'],
  ["strcmp('b', 'a')", 1, 'strcmp-function'],
  ['array_slice(dynamic([1,2,3]), 1, 2)', [2, 3], 'array-slice-function'],
  ['array_slice(dynamic([1,2,3,4,5]), 2, -1)', [3, 4, 5], 'array-slice-function'],
  ['array_slice(dynamic([1,2,3,4,5]), -3, -2)', [3, 4], 'array-slice-function'],
  ['array_reverse(dynamic([1, "a", 3]))', [3, 'a', 1], 'array-reverse-function'],
  ['array_sum(dynamic([1, 2.5]))', 3.5, 'array-sum-function'],
  ['array_sum(dynamic([1, "a"]))', null, 'array-sum-function'],
  ['set_union(dynamic([1, 2, 3]), dynamic([2, 4]))', [1, 2, 3, 4], 'set-union-function'],
  ['set_intersect(dynamic([1, 2, 3]), dynamic([3, 2, 5]))', [2, 3], 'set-intersect-function'],
  ['set_difference(dynamic([1, 2, 3]), dynamic([2]), dynamic([5, 1]))', [3], 'set-difference-function'],
  ['pow(2, 10)', 1024, 'pow-function'],
  ['sqrt(-1)', null, 'sqrt-function'],
  ['log10(1000)', 3, 'log10-function'],
  ['log(0)', null, 'log-function'],
  ["ipv4_is_match('192.168.1.1/24', '192.168.1.255')", true, 'ipv4-is-match-function'],
  ["ipv4_is_match('192.168.1.1', '192.168.1.0', 31)", true, 'ipv4-is-match-function'],
  ["ipv4_is_match('192.168.1.1', '192.168.2.1')", false, 'ipv4-is-match-function'],
  ["ipv4_compare('127.0.0.1', '127.0.0.2')", -1, 'ipv4-compare-function'],
  ["ipv4_compare('192.168.1.1', '192.168.1.255', 24)", 0, 'ipv4-compare-function'],
  ["parse_ipv4('127.0.0.1')", 2130706433, 'parse-ipv4-function'],
  ["parse_ipv4('192.1.168.1/16')", 3221291008, 'parse-ipv4-function'],
  ["parse_ipv4('not an ip')", null, 'parse-ipv4-function'],
];

describe('scalar functions', () => {
  it.each(SCALARS)('%s → %j (%s)', async (expr, expected, page) => {
    expect(page).toBeTruthy();
    expect(await scalar(expr)).toEqual(expected);
  });
});

const NUMBERS = 'datatable(x:long, g:string, ok:bool)[1,"a",true, 2,"a",false, 3,"b",true, 4,"a",true, 5,"c",false, long(null),"a",true]';

/** [aggregation, expected value over NUMBERS, doc page] */
const AGGREGATES: readonly (readonly [string, unknown, string])[] = [
  // nearest rank: the smallest value with P% of the data at or below it; 0 is the minimum
  ['percentile(x, 50)', 3, 'percentiles-aggregation-function'],
  ['percentile(x, 0)', 1, 'percentiles-aggregation-function'],
  ['percentile(x, 100)', 5, 'percentiles-aggregation-function'],
  ['percentile(x, 81)', 5, 'percentiles-aggregation-function'],
  ['percentile(x, 80)', 4, 'percentiles-aggregation-function'],
  ['percentiles_array(x, 5, 50, 95)', [1, 3, 5], 'percentiles-aggregation-function'],
  ['percentiles_array(x, dynamic([5, 50]))', [1, 3], 'percentiles-aggregation-function'],
  ['dcountif(g, ok)', 2, 'dcountif-aggregation-function'],
  ['count_distinct(g)', 3, 'count-distinct-aggregation-function'],
  ['count_distinctif(g, x > 2)', 3, 'count-distinctif-aggregation-function'],
  ['make_set_if(g, ok)', ['a', 'b'], 'make-set-if-aggregation-function'],
  ['make_set_if(g, ok, 1)', ['a'], 'make-set-if-aggregation-function'],
  ['make_list_if(x, ok)', [1, 3, 4], 'make-list-if-aggregation-function'],
  ['make_bag(bag_pack(g, x))', { a: 1, b: 3, c: 5 }, 'make-bag-aggregation-function'],
  ['make_bag_if(bag_pack(g, x), x > 1)', { a: 2, b: 3, c: 5 }, 'make-bag-if-aggregation-function'],
  ['make_bag(x)', {}, 'make-bag-aggregation-function'],
  ['avgif(x, ok)', 8 / 3, 'avgif-aggregation-function'],
  ['maxif(x, ok)', 4, 'maxif-aggregation-function'],
  ['minif(x, x > 1)', 2, 'minif-aggregation-function'],
  ['sumif(x, ok)', 8, 'sumif-aggregation-function'],
];

describe('column_ifexists', () => {
  // https://learn.microsoft.com/kusto/query/column-ifexists-function
  it('is the column when the row has it, else the default', async () => {
    const r = await run(`datatable(a:string)['x'] | project v = column_ifexists('a', 'none'), w = column_ifexists('b', 'none')`);
    expect(r.rows).toEqual([{ v: 'x', w: 'none' }]);
    expect(lint(`DeviceInfo | project column_ifexists(DeviceName, '')`)[0]).toMatchObject({ code: 'KQL110' });
  });
});

describe('aggregation functions', () => {
  it.each(AGGREGATES)('%s → %j (%s)', async (agg, expected, page) => {
    expect(page).toBeTruthy();
    const r = await run(`${NUMBERS} | summarize v = ${agg}`);
    expect(r.rows[0]!['v']).toEqual(expected);
  });

  it('make_bag keeps the first value of a key that several rows carry (Kusto picks any one)', async () => {
    const r = await run(`datatable(k:string, v:long)['a', 1, 'a', 2] | summarize b = make_bag(bag_pack(k, v))`);
    expect(r.rows[0]!['b']).toEqual({ a: 1 });
  });

  it('percentile needs a constant percentile from 0 to 100', async () => {
    await expect(run(`${NUMBERS} | summarize percentile(x, 101)`)).rejects.toThrow(/constant number from 0 to 100/);
    await expect(run(`${NUMBERS} | summarize percentile(x, x)`)).rejects.toThrow(/constant number from 0 to 100/);
  });

  it('the *if variants need a bool predicate as their second argument', () => {
    expect(lint('DeviceInfo | summarize dcountif(DeviceName, 1)')[0]).toMatchObject({ code: 'KQL104', col: 45 });
    expect(lint('DeviceInfo | summarize sumif(DeviceName, true)')[0]!.message).toMatch(/sumif\(\) needs a number/);
  });
});

describe('result columns are named and typed as Kusto.Language infers them', () => {
  let official: OfficialKusto;
  beforeAll(() => {
    official = loadOfficialKusto(defaultCatalogue);
  });

  it.each([
    'DeviceInfo | summarize percentile(OSBuild, 50), percentile(OSBuild, 99.5), percentiles_array(OSBuild, 5, 95), percentile(Timestamp, 50)',
    'DeviceInfo | summarize dcountif(DeviceId, OSBuild > 1), make_set_if(DeviceId, OSBuild > 1), make_list_if(DeviceId, true), count_distinct(DeviceId) by OSPlatform',
    'DeviceInfo | summarize make_bag(LoggedOnUsers), make_bag_if(bag_pack("k", DeviceName), true), avgif(OSBuild, true), maxif(OSBuild, true), minif(Timestamp, true), count_distinctif(DeviceId, true), sumif(OSBuild, true)',
    'print base64_decode_tostring("aGk="), base64_encode_tostring("a"), base64_decode_toarray("aGk="), url_decode("a"), url_encode("a"), url_encode_component("a"), hash_sha256("a"), hash_md5("a")',
    'print min_of(1, 2), max_of(1.5, 2), strcmp("a", "b"), array_slice(dynamic([1]), 0, 0), array_reverse(dynamic([])), array_sum(dynamic([1])), set_union(dynamic([]), dynamic([])), set_intersect(dynamic([]), dynamic([])), set_difference(dynamic([]), dynamic([])), exp(1), log(2), log2(2), log10(2), sqrt(2), pow(2, 2), ipv4_is_match("1.1.1.1", "1.1.1.1"), ipv4_compare("1.1.1.1", "1.1.1.2"), parse_ipv4("1.1.1.1")',
    'print parse_url("http://a"), parse_urlquery("a=1"), extract_json("$.a", "{}"), extractjson("$.a", "{}"), bag_keys(dynamic({})), bag_has_key(dynamic({}), "a"), bag_merge(dynamic({}), dynamic({})), bag_remove_keys(dynamic({}), dynamic([])), extract_all(@"(a)", "a")',
  ])('%s', (query) => {
    const ours = lint(query);
    expect(ours).toEqual([]);
    expect(official.diagnostics(query)).toEqual([]);
    return run(query).then((r) => expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(official.resultColumns(query)));
  });
});

it('cites its documentation', () => {
  expect(DOCS).toMatch(/^https:\/\/learn\.microsoft\.com\/kusto\/query\/$/);
});
