// Differential test: our parser and binder accept exactly what the official Kusto language service
// accepts, and report their first error on the same line, on the corpus and on hand-written snippets.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalogue, lint } from '../../src/kql/index.js';
import { loadCorpus } from './corpus/corpus.js';
import { loadOfficialKusto, type OfficialKusto } from './corpus/official-kusto.js';
import { run } from './helpers.js';

let official: OfficialKusto;
beforeAll(() => {
  official = loadOfficialKusto(defaultCatalogue);
});

/** Kusto.Language's codes for syntax errors (KS0xx, and these two); every other code is a semantic error. */
const OFFICIAL_SYNTAX_CODES = new Set(['KS176', 'KS198']);
const officialKind = (code: string) => (/^KS0\d\d$/.test(code) || OFFICIAL_SYNTAX_CODES.has(code) ? 'syntax' : 'semantic');
/** Ours: KQL0xx are parse errors, KQL1xx bind errors; warnings (KQL3xx) are not errors. */
const ourKind = (code: string) => (/^KQL0\d\d$/.test(code) ? 'syntax' : 'semantic');

function ourErrors(query: string) {
  return lint(query).filter((d) => d.severity === 'error');
}

/** The set of problems, each as line:kind (several on one line of one kind count once). */
function problemSet(query: string) {
  return {
    ours: [...new Set(ourErrors(query).map((d) => `${d.line}:${ourKind(d.code)}`))].sort(),
    theirs: [...new Set(official.diagnostics(query).map((d) => `${d.line}:${officialKind(d.code)}`))].sort(),
  };
}

function compare(query: string) {
  const ours = ourErrors(query);
  const theirs = official.diagnostics(query);
  return {
    oursAccepts: ours.length === 0,
    theirsAccepts: theirs.length === 0,
    ourFirstLine: ours[0]?.line,
    theirLines: theirs.map((d) => d.line),
    detail: { ours: ours.map((d) => `${d.line}:${d.col} ${d.message}`), theirs: theirs.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`) },
  };
}

function expectAgreement(query: string) {
  const c = compare(query);
  expect(c.oursAccepts, JSON.stringify(c.detail)).toBe(c.theirsAccepts);
  if (!c.oursAccepts) expect(c.theirLines, JSON.stringify(c.detail)).toContain(c.ourFirstLine);
}

const VALID = [
  `DeviceInfo | take 10`,
  `let a = 1; let b = a + 2; print b`,
  `DeviceProcessEvents\n| where Timestamp > ago(1d)\n| where FileName in~ ('a.exe', 'B.EXE')\n| project Timestamp, DeviceName`,
  `DeviceNetworkEvents | where RemoteUrl has_any ('x.com', 'y.com') | summarize count() by bin(Timestamp, 1h), DeviceId`,
  `DeviceNetworkEvents | extend Host = tostring(split(trim_start(@'http[s]?://', RemoteUrl), '/')[0]) | distinct Host`,
  `let t = datatable(U:string, T:string)['a','b','c','d']; DeviceNetworkEvents | where RemoteUrl has_any ((t | distinct U))`,
  `DeviceInfo | join kind=leftouter (DeviceNetworkEvents | summarize n = count() by DeviceId) on DeviceId | project DeviceId, n`,
  `DeviceInfo | lookup kind=leftouter (IdentityInfo | project AccountUpn, Department) on $left.DeviceName == $right.AccountUpn`,
  `DeviceFileEvents | top 5 by FileSize desc nulls last | project-away SHA1, MD5`,
  `DeviceInfo | summarize arg_max(Timestamp, *) by DeviceId`,
  `DeviceInfo | mv-expand LoggedOnUsers | extend u = tostring(LoggedOnUsers.UserName)`,
  `union DeviceProcessEvents, DeviceFileEvents | where Timestamp between (ago(1d) .. now()) | count`,
  `let m = materialize(DeviceInfo | summarize by DeviceId); m | join kind=inner m on DeviceId`,
  `print x = iff(1 > 2, 'a', 'b'), y = case(true, 1, 2), z = coalesce(int(null), 3), w = datetime_diff('day', now(), ago(2d))`,
  `print ipv4_is_in_range('10.1.2.3', '10.0.0.0/8'), ipv4_is_private('8.8.8.8'), array_length(pack_array(1, 2))`,
  `DeviceInfo | where DeviceName !in ('a', 'b') and DeviceName !has 'test' | project-rename Name = DeviceName`,
  `DeviceProcessEvents | where ProcessCommandLine matches regex @'(?i)ammyy' | sort by Timestamp asc`,
  `print d = datetime(2026-01-01T00:00:00Z) + 1d, s = format_datetime(now(), 'yyyy-MM-dd')`,
];

const INVALID = [
  `DeviceInfo | where`,
  `DeviceInfo | where DeviceName has_any ('a', 'b',)`,
  `DeviceInfo\n| summarize count() by NoSuchColumn`,
  `NoSuchTable | take 1`,
  `DeviceInfo | where DeviceName == 'a' and`,
  `DeviceInfo | project DeviceName,`,
  `DeviceInfo | take 1 |`,
  `let x = ; print 1`,
  `DeviceInfo | where nosuchfunction(DeviceName)`,
  `DeviceInfo\n| extend x = DeviceName +\n| take 1`,
  `print x = 'unterminated`,
  `DeviceInfo | join kind=inner (DeviceNetworkEvents) on NoSuchColumn`,
  `DeviceInfo | where count() > 1`,
  `DeviceInfo | sumarize count()`,
];

/** Type rules and edge cases: valid or not, we must agree with the official binder. */
const EDGE = [
 `DeviceInfo | where DeviceName > 5`,
 `DeviceInfo | where OSBuild == '5'`,
 `DeviceInfo | where DeviceName == 5`,
 `DeviceInfo | extend x = OSBuild + 'a'`,
 `DeviceInfo | where Timestamp > 5`,
 `DeviceInfo | where Timestamp > ago(1d) and DeviceName`,
 `DeviceInfo | where isempty(OSBuild)`,
 `DeviceInfo | summarize make_set(DeviceName, 'x')`,
 `DeviceInfo | project DeviceName, DeviceName`,
 `DeviceInfo | extend a = 1, a = 2`,
 `print strlen(5)`,
 `print tolower(5)`,
 `print substring('abc', '1')`,
 `DeviceInfo | where DeviceName in (1, 2)`,
 `DeviceInfo | where DeviceName has 5`,
 `DeviceInfo | where OSBuild has '5'`,
 `DeviceInfo | where DeviceName contains 'a' | take 'x'`,
 `DeviceInfo | top 5 by`,
 `DeviceInfo | join DeviceInfo on`,
 `DeviceInfo | summarize by`,
 `DeviceInfo | sort by DeviceName asc nulls`,
 `DeviceInfo | where DeviceName matches regex 5`,
 `print iff(1, 2, 3)`,
 `print iff(true, 2, 'a')`,
 `print case(true, 1, 'a')`,
 `print coalesce(1, 'a')`,
 `DeviceInfo | mv-expand DeviceName`,
 `DeviceInfo | where LoggedOnUsers has 'x'`,
 `DeviceInfo | where DeviceName between (1 .. 2)`,
 `DeviceInfo | where Timestamp between (ago(1d) .. 'x')`,
 `print bin(now(), 'x')`,
 `print datetime_diff('day', now(), 5)`,
 `print ago('x')`,
 `print now(5)`,
 `print split(5, ',')`,
 `print array_length('x')`,
 `print toint(dynamic([1]))`,
 `print tostring()`,
 `print x = 1 | where x == 1 | project y`,
 `let T = DeviceInfo; T | where DeviceName == 'a' | union T | count`,
 `DeviceInfo | where not(DeviceName)`,
 `DeviceInfo | where DeviceName !has_cs 'a' and DeviceName !contains_cs 'b'`,
 `DeviceInfo | where DeviceName !startswith 'a'`,
 `DeviceInfo | where DeviceName !in~ ('a')`,
 `DeviceInfo | where DeviceName !has_any ('a')`,
 `print -1d`,
 `print 1.5e3, 0x10, 1e-2`,
 `print h'secret'`,
 `print x = dynamic({"a": [1, 2.5, "x", null, true]})`,
 "print ```multi\nline```",
 `print ['my col'] = 1`,
 `DeviceInfo | project ['DeviceName']`,
 `datatable(a:long)[1] | extend b = a | project-away a | project b`,
 `datatable(a:int)[1] | summarize arg_max(a, *)`,
 `print ipv4_is_in_any_range('1.1.1.1', '1.1.1.0/24', '2.2.2.2')`,
 `print pack('a', 1, 'b')`,
 `print bag_pack('a')`,
 `print strcat()`,
 `DeviceInfo | distinct *`,
 `DeviceInfo | count | where Count > 1`,
 `DeviceInfo | where DeviceName == "a" or DeviceName == "b" and OSBuild > 1`,
 `DeviceInfo | lookup kind=leftanti (DeviceInfo) on DeviceId`,
 `DeviceInfo | join kind=fullouter (DeviceInfo) on DeviceId`,
 `DeviceInfo | join kind=rightanti (DeviceInfo) on DeviceId`,
 `DeviceInfo | extend x = LoggedOnUsers[0].UserName`,
 `DeviceInfo | extend x = DeviceName[0]`,
 `DeviceInfo | extend x = DeviceName.foo`,
 `print toscalar(DeviceInfo | count)`,
 `print x = (DeviceInfo | count)`,
 `DeviceInfo | where DeviceName in (DeviceInfo)`,
 `DeviceInfo | where DeviceName in ((DeviceInfo | project DeviceId))`,
 `DeviceInfo | summarize count() by bin(Timestamp, 1h), DeviceName | order by count_`,
 `DeviceInfo | summarize dcount(DeviceId, 2)`,
 `DeviceInfo | summarize take_any(DeviceId, DeviceName)`,
 `DeviceInfo | summarize any(DeviceId, DeviceName)`,
 `DeviceInfo | summarize countif(DeviceName)`,
 `DeviceInfo | summarize sum(DeviceName)`,
 `DeviceInfo | summarize avg(Timestamp)`,
 `DeviceInfo | project Timestamp = format_datetime(Timestamp, 'yyyy')`,
 `print replace_string('a', 'b')`,
 `print extract('a', '1', 'b')`,
 `print trim_start('a')`,
 `DeviceInfo | where Timestamp between (ago(1d)..now()) | where DeviceName has 'x'`,
 `DeviceInfo\n| where DeviceName has 'x'\n| summarize count() by DeviceId\n| where count_ > 5 and`,
];

/**
 * Snippets whose problems we report on the right line but classify differently, asserted so: a
 * misspelt operator Kusto also reads on as an aggregate out of context; a lookup kind Kusto's grammar
 * rejects and our binder does.
 */
const KIND_DIFFERS: Readonly<Record<string, readonly string[]>> = {
  'DeviceInfo | sumarize count()': ['1:syntax'],
  'DeviceInfo | lookup kind=leftanti (DeviceInfo) on DeviceId': ['1:semantic'],
};

function expectSameProblems(q: string) {
  const { ours, theirs } = problemSet(q);
  if (KIND_DIFFERS[q]) {
    expect(ours).toEqual(KIND_DIFFERS[q]);
    expect(theirs).not.toEqual(ours);
  } else {
    expect(ours, JSON.stringify(compare(q).detail)).toEqual(theirs);
  }
}

/**
 * Several problems in one query: the linter reads on past a syntax error and binds on past a semantic
 * one (inside lets too), reporting each problem Kusto.Language reports, on its line, and nothing for
 * the uses of what already failed.
 */
const SEVERAL_PROBLEMS = [
  `let a = DeviceInfo\n| where Nope == 1;\na\n| where Nope2 == 2`,
  `DeviceInfo\n| where\n| project Nope`,
  `let x = ;\nprint y`,
  `DeviceInfo\n| where A == 1\n    and B == 2`,
  `let t = NoTable;\nt\n| where X == 1\n| project Y`,
  `NoTable\n| where X == 1`,
  `DeviceInfo\n| summarize n = count() by Nope\n| where n > 1 and Nope2 == 1`,
  `DeviceInfo\n| extend x = Nope\n| project x, y = Nope2`,
  `DeviceInfo\n| join kind=inner (DeviceNetworkEvents | project DeviceId, Foo) on DeviceId\n| project Bar`,
  `DeviceInfo\n| where DeviceName has_any ("a",)\n| project Nope`,
  `DeviceInfo\n| where DeviceName == "a" |\n| take 1\n| project Nope`,
  `let f = 1;\nDeviceInfo\n| where nosuchfn(DeviceName)\n| extend z = strlen(5)`,
  `DeviceInfo\n| project Nope\n| where Nope == 1\n| summarize count() by Nope, Other`,
  // one problem, and none for the uses of what failed
  `let s = NoColumn;\nprint s, t = 1\n| where s == 1 and Nope == 2`,
];

describe('differential: several problems in one query', () => {
  it.each(SEVERAL_PROBLEMS)('%s', (q) => {
    const { ours, theirs } = problemSet(q);
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours, JSON.stringify(compare(q).detail)).toEqual(theirs);
  });
});

describe('differential: hand-written snippets', () => {
  it.each(VALID)('accepts %s', (q) => {
    expect(lint(q)).toEqual([]);
    expectAgreement(q);
  });
  it.each(INVALID)('rejects %s', (q) => {
    expect(lint(q).length).toBeGreaterThan(0);
    expectAgreement(q);
    expectSameProblems(q);
  });
  it.each(EDGE)('agrees on %s', (q) => {
    expectAgreement(q);
    expectSameProblems(q);
  });
});

describe('differential: RMM corpus', () => {
  const rules = loadCorpus();
  it('reads the whole corpus', () => {
    expect(rules).toHaveLength(168);
  });
  // every problem the official analyzer reports is reported on the same line with the same kind
  // (syntax or semantic), and no other
  it.each(rules.map((r) => [r.file, r] as const))('%s', (_file, rule) => {
    const { ours, theirs } = problemSet(rule.query);
    expect(ours, JSON.stringify(compare(rule.query).detail)).toEqual(theirs);
  });
  it('the two upstream rules with several problems report each (issue 13)', () => {
    const find = (f: string) => rules.find((r) => r.file === f)!.query;
    // an unknown column in the let, then a syntax error four lines later
    expect(problemSet(find('DWService/rmm_DWService_createproc.yaml')).ours).toEqual(['12:syntax', '8:semantic']);
    // two unknown columns
    expect(problemSet(find('DWService/rmm_DWService_netconn.yaml')).ours).toEqual(['16:semantic', '8:semantic']);
  });
});

/**
 * The sound corpus rules with mistakes put in (deterministically): two or more unknown columns on
 * different lines, or a syntax error and an unknown column. The linter must go on past each and report
 * the same set of problems as the official analyzer (issue 13, linter parity beyond the corpus as is).
 */
describe('differential: the sound corpus rules (result columns, and with injected mistakes)', () => {
  const columns = new Set(defaultCatalogue.tableNames().flatMap((t) => defaultCatalogue.schemaOf(t)!.columns.map((c) => c.name)));
  const COLUMN_WORD = /\b[A-Z][A-Za-z0-9]+\b/g;
  const MUTATIONS: readonly [string, (q: string) => string][] = [
    ['1st and 3rd column misspelt', (q) => {
      let k = 0;
      return q.replace(COLUMN_WORD, (m) => (columns.has(m) && (k++ === 0 || k === 3) ? `${m}x` : m));
    }],
    ['every 2nd column misspelt', (q) => {
      let k = 0;
      return q.replace(COLUMN_WORD, (m) => (columns.has(m) && k++ % 2 === 1 ? `${m}Q` : m));
    }],
    ['a syntax error in the first where, the last Device* name misspelt', (q) => {
      const i = q.lastIndexOf('Device');
      return (i >= 0 ? `${q.slice(0, i)}Devize${q.slice(i + 6)}` : q).replace('| where ', '| where ) ');
    }],
  ];
  // the sound rules: those without a known defect (the defective ones are compared as they are, above)
  const defective = new Set(Object.keys(JSON.parse(readFileSync(new URL('../fixtures/kql/corpus-expected-defects.json', import.meta.url), 'utf8')) as object));
  const cases = loadCorpus()
    .filter((rule) => !defective.has(rule.file))
    .flatMap((rule) => MUTATIONS.map(([what, mutate]) => [`${rule.file}: ${what}`, mutate(rule.query)] as const).filter(([, m]) => m !== rule.query));
  it('mutates every sound rule', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
  });
  // the result columns (names and types) of every sound rule, run here over empty tables
  it.each(loadCorpus().filter((rule) => !defective.has(rule.file)).map((r) => [r.file, r.query] as const))('result columns of %s', async (_file, query) => {
    const result = await run(query);
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual(official.resultColumns(query));
  });
  it.each(cases)('%s', (_name, mutated) => {
    const { ours, theirs } = problemSet(mutated);
    expect(theirs.length).toBeGreaterThan(0);
    if (ours.join() !== theirs.join()) expect(ours, JSON.stringify(compare(mutated).detail)).toEqual(theirs);
  });
});
