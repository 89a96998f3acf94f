// Differential test: our parser and binder accept exactly what the official Kusto language service
// accepts, and report their first error on the same line, on the corpus and on hand-written snippets.
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalogue, lint } from '../../src/kql/index.js';
import { corpusAvailable, loadCorpus } from './corpus/corpus.js';
import { loadOfficialKusto, type OfficialKusto } from './corpus/official-kusto.js';

let official: OfficialKusto;
beforeAll(() => {
  official = loadOfficialKusto(defaultCatalogue);
});

function compare(query: string) {
  const ours = lint(query);
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

describe('differential: hand-written snippets', () => {
  it.each(VALID)('accepts %s', (q) => {
    expect(lint(q)).toEqual([]);
    expectAgreement(q);
  });
  it.each(INVALID)('rejects %s', (q) => {
    expect(lint(q).length).toBeGreaterThan(0);
    expectAgreement(q);
  });
});

describe.skipIf(!corpusAvailable())('differential: RMM corpus', () => {
  const rules = corpusAvailable() ? loadCorpus() : [];
  it.each(rules.map((r) => [r.file, r] as const))('%s', (_file, rule) => {
    expectAgreement(rule.query);
  });
});
