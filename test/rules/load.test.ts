import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadRule } from '../../src/rules/load.js';
import { RuleError } from '../../src/rules/ruleError.js';
import { SHIPPED_RULE_PATH, shippedRuleVariant } from '../support/rules.js';
import { thrown } from '../support/thrown.js';

const upstreamPath = path.resolve('test/fixtures/rmm-rules/Ammyy/rmm_Ammyy_filesig.yaml');
const shippedText = () => readFileSync(SHIPPED_RULE_PATH, 'utf8');

function writeRule(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'rule-')), 'rule.yaml');
  writeFileSync(file, text);
  return file;
}

const problemsOf = (file: string): string[] => thrown(() => loadRule(file), RuleError).message.split('\n');

/** Each top-level field's text exactly as the file writes it (key line and its indented or blank continuation lines). */
function fieldBlocks(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let key: string | undefined;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const top = /^([A-Za-z]\w*):/.exec(line);
    if (top) key = top[1]!;
    else if (line.startsWith('#')) key = undefined;
    if (key !== undefined) blocks.set(key, `${blocks.get(key) ?? ''}${line}\n`);
  }
  return new Map([...blocks].map(([name, block]) => [name, block.trimEnd()]));
}

describe('the shipped rule', () => {
  it('keeps every upstream field byte for byte (requiredDataConnectors aside, whose YAML indentation upstream gets wrong)', () => {
    const upstream = fieldBlocks(readFileSync(upstreamPath, 'utf8'));
    const shipped = fieldBlocks(shippedText());
    expect([...upstream.keys()]).toEqual(['id', 'name', 'description', 'requiredDataConnectors', 'tactics', 'relevantTechniques', 'query']);
    for (const [key, block] of upstream) if (key !== 'requiredDataConnectors') expect(shipped.get(key), key).toBe(block);
    expect(loadRule(SHIPPED_RULE_PATH).requiredDataConnectors).toEqual([{ connectorId: 'MicrosoftThreatProtection', dataTypes: ['DeviceFileCertificateInfo'] }]);
  });

  it('has the hunter fields with their documented defaults', () => {
    const rule = loadRule(SHIPPED_RULE_PATH);
    expect(rule.severity).toBe('Medium');
    expect(rule.queryFrequencyMs).toBe(3_600_000);
    expect(rule.queryPeriodMs).toBe(5 * 86_400_000);
    expect(rule.grouping).toEqual({ lookbackDurationMs: 7 * 86_400_000, reopenClosedIncident: false });
    expect(rule.window).toEqual({ overlapMs: 3_600_000, ingestionDelayMs: 15 * 60_000 });
  });

  it('describes its detection: title and summary formats, labels, the tool, the checklist, the queries beside it, the alert entities', () => {
    const rule = loadRule(SHIPPED_RULE_PATH);
    expect(rule.wording.title).toEqual([{ text: 'Ammyy Admin remote access tool (T1219) on ' }, { column: 'DeviceName' }]);
    expect(rule.wording.summary).toEqual([{ text: expect.stringMatching(/^Files signed by Ammyy were seen on this device\. .* unauthorised remote access\.$/) }]);
    expect(rule.wording.labels).toEqual(['RMM', 'Ammyy', 'T1219', rule.id]);
    expect(rule.wording.triageChecklist.map((item) => /^\*\*([^*]+)\*\*/.exec(item)?.[1])).toEqual([
      'IT remote support?', 'Scheduled maintenance?', 'Administrative audit?', 'Internal file transfer?', 'Managed service provider?',
    ]);
    expect(rule.tool).toEqual({ name: 'Ammyy Admin', fileNames: ['ammyy*', 'AA_v*'], relayDomains: ['ammyy.com'] });
    // The shared query files, with RuleEvents bound to this rule's matched events.
    const events = "let RuleEvents = (DeviceFileCertificateInfo\n| where Timestamp between (Time_start..Time_end)\n| where Signer has 'Ammyy');";
    expect(rule.contextQuery).toBe(readFileSync('rules/queries/binaries.context.kql', 'utf8').replace('let RuleEvents = DeviceFileCertificateInfo;', events));
    expect(rule.deviceQuery).toBe(readFileSync('rules/queries/binaries.device.kql', 'utf8').replace('let RuleEvents = DeviceFileCertificateInfo;', events));
    expect(rule.alertEntities).toEqual(['Host', 'FileHash', 'File', 'Process', 'Account', 'IP', 'URL']);
  });

  it('names its JSON Schema for editors on its first line', () => {
    expect(shippedText().split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/rule.schema.json');
  });

  it('applies the defaults when a rule omits the hunter fields: Sentinel\'s own (the rule name as title, its description as the alert description)', () => {
    const seed = parse(shippedText()) as Record<string, unknown>;
    const minimal = ['id', 'name', 'description', 'requiredDataConnectors', 'tactics', 'relevantTechniques', 'query'];
    const rule = loadRule(writeRule(JSON.stringify(Object.fromEntries(minimal.map((key) => [key, seed[key]])))));
    expect(rule.severity).toBe('Medium');
    expect(rule.queryPeriodMs).toBe(5 * 86_400_000);
    expect(rule.grouping.lookbackDurationMs).toBe(7 * 86_400_000);
    expect(rule.wording).toEqual({
      title: [{ text: `${rule.name} on ` }, { column: 'DeviceName' }],
      summary: [{ text: rule.description.trim() }],
      triageChecklist: [],
      labels: ['T1219', rule.id],
    });
    expect(rule).toMatchObject({ tool: undefined, contextQuery: undefined, deviceQuery: undefined });
    expect(rule.alertEntities).toHaveLength(7);
  });
});

describe('bad rule files', () => {
  const lineOf = (needle: string) => shippedText().split('\n').findIndex((line) => line.trimStart().startsWith(needle)) + 1;

  it('names the file, the field, and its line and column', () => {
    const file = shippedRuleVariant((text) => text.replace('severity: Medium', 'severity: Critical').replace('queryPeriod: P5D', 'queryPeriod: 5 days'));
    const problems = problemsOf(file);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(new RegExp(`^${file.replaceAll('/', '\\/')}:${lineOf('severity:')}:11: rule-field: severity: `));
    expect(problems[1]).toMatch(new RegExp(`:${lineOf('queryPeriod:')}:14: rule-field: queryPeriod: must be an ISO 8601 duration`));
  });

  it('reports YAML syntax errors with their position', () => {
    const problems = problemsOf(writeRule('id: x\nname: [unclosed\n'));
    expect(problems[0]).toMatch(/rule\.yaml:\d+:\d+: yaml-/);
  });

  it('reports a missing query', () => {
    const file = shippedRuleVariant((text) => text.replace(/query: \|[\s\S]*?\n\n/, '\n'));
    expect(problemsOf(file).join('\n')).toMatch(/rule-field: query: /);
  });

  it('checks the title and description formats: only columns every hit has, closed placeholders', () => {
    const file = shippedRuleVariant((text) => text.replace('on {{DeviceName}}', 'on {{Computer}}').replace('Files signed by Ammyy', 'Files {{signed by Ammyy'));
    const problems = problemsOf(file);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`:${lineOf('alertDisplayNameFormat:')}:27: rule-field: alertDetailsOverride\\.alertDisplayNameFormat: \\{\\{Computer\\}\\} is not a column the hunter reads from the hunt result; use \\{\\{DeviceName\\}\\} or \\{\\{DeviceId\\}\\}$`)),
      expect.stringMatching(new RegExp(`:${lineOf('alertDescriptionFormat:')}:27: rule-field: alertDetailsOverride\\.alertDescriptionFormat: has a \\{\\{ without its closing \\}\\}$`)),
    ]);
  });

  it('checks MITRE tactics against Sentinel\'s names and techniques against ATT&CK ids', () => {
    const problems = problemsOf(shippedRuleVariant((text) => text.replace('tactics: CommandAndControl', 'tactics: C2').replace('relevantTechniques: T1219', 'relevantTechniques: [T1219, remote-access]')));
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`:${lineOf('tactics:')}:10: rule-field: tactics: must be a Sentinel tactic: Reconnaissance, .*CommandAndControl`)),
      expect.stringMatching(new RegExp(`:${lineOf('relevantTechniques:')}:29: rule-field: relevantTechniques\\.1: must be a MITRE ATT&CK technique id such as T1219`)),
    ]);
  });

  it('checks the tool: file name patterns, relay DNS names, and no unknown keys', () => {
    const problems = problemsOf(shippedRuleVariant((text) => text.replace("fileNames: ['ammyy*', 'AA_v*']", "fileNames: ['C:\\Tools\\ammyy.exe']").replace('relayDomains: [ammyy.com]', 'relayDomains: [https://ammyy.com]\n  vendor: Ammyy LLC')));
    expect(problems.map((problem) => problem.replace(/^.*?: rule-field: /, ''))).toEqual([
      'tool.fileNames.0: must be a file name pattern such as tool*.exe (no folder)',
      'tool.relayDomains.0: must be a DNS name such as relay.example.com (it matches its subdomains too)',
      expect.stringMatching(/^tool: Unrecognized key: "vendor"/),
    ]);
  });

  it('names a query file it cannot read, at the field that names it', () => {
    const file = shippedRuleVariant((text) => text.replace('contextQueryFile: queries/binaries.context.kql', 'contextQueryFile: missing.context.kql'));
    expect(problemsOf(file)).toEqual([
      `${file}:${lineOf('contextQueryFile:')}:19: rule-field: contextQueryFile: cannot read ${path.join(path.dirname(file), 'missing.context.kql')}: ENOENT`,
    ]);
  });

  it('refuses queries the hunter cannot bind: the hunt query without its window lets, a query file without the device lets', () => {
    const file = shippedRuleVariant((text) => text.replace('  let Time_start = now(-5d);\n', '').replace('deviceQueryFile: queries/binaries.device.kql', 'deviceQueryFile: device.kql'));
    writeFileSync(path.join(path.dirname(file), 'device.kql'), 'let Time_start = ago(1d);\nDeviceInfo | where Timestamp > Time_start');
    expect(problemsOf(file)).toEqual([
      `${file}:${lineOf('query:')}:8: rule-field: query: must declare let Time_start = ...; at the top, so the hunter can bind it`,
      `${file}:${lineOf('deviceQueryFile:') - 1}:18: rule-field: deviceQueryFile: ${path.join(path.dirname(file), 'device.kql')} must declare let Time_end = ...; and let HitDeviceIds = ...; at the top, so the hunter can bind it`,
    ]);
  });
});
