import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadRule } from '../../src/rules/load.js';
import { RuleError } from '../../src/rules/ruleError.js';
import { thrown } from '../support/thrown.js';

const seedRulePath = 'rules/ammyy-file-signature.yaml';
const upstreamPath = path.resolve('test/fixtures/rmm-rules/Ammyy/rmm_Ammyy_filesig.yaml');

function writeRule(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'rule-')), 'rule.yaml');
  writeFileSync(file, text);
  return file;
}

const problemsOf = (file: string): string[] => thrown(() => loadRule(file), RuleError).message.split('\n');

describe('the seed rule', () => {
  it('keeps the upstream rule as published', () => {
    const rule = loadRule(seedRulePath);
    // The upstream file has a YAML indentation defect (dataTypes); compare its fields by text.
    const upstream = readFileSync(upstreamPath, 'utf8').replace(/\r\n/g, '\n');
    expect(rule.id).toBe('7c20af02-4bce-4d6d-b609-3ddf5ca4fb59');
    expect(upstream).toContain(`id: ${rule.id}\n`);
    expect(upstream).toContain(`name: ${rule.name}\n`);
    expect(upstream).toContain(`tactics: ${rule.tactics.join()}\n`);
    expect(upstream).toContain(`relevantTechniques: ${rule.relevantTechniques.join()}\n`);
    const indentedQuery = rule.query.trimEnd().split('\n').map((line) => `  ${line}`).join('\n');
    expect(upstream).toContain(`query: |\n${indentedQuery}`);
    const indentedDescription = rule.description.trimEnd().split('\n').map((line) => `    ${line}`).join('\n');
    expect(upstream).toContain(`description: |\n${indentedDescription}`);
    expect(rule.requiredDataConnectors).toEqual([{ connectorId: 'MicrosoftThreatProtection', dataTypes: ['DeviceFileCertificateInfo'] }]);
  });

  it('has the hunter fields with their documented defaults', () => {
    const rule = loadRule(seedRulePath);
    expect(rule.severity).toBe('Medium');
    expect(rule.queryFrequencyMs).toBe(3_600_000);
    expect(rule.queryPeriodMs).toBe(5 * 86_400_000);
    expect(rule.grouping).toEqual({ lookbackDurationMs: 7 * 86_400_000, reopenClosedIncident: false });
    expect(rule.window).toEqual({ overlapMs: 3_600_000, ingestionDelayMs: 15 * 60_000 });
  });

  it('applies the defaults when a rule omits the hunter fields', () => {
    const seed = parse(readFileSync(seedRulePath, 'utf8')) as Record<string, unknown>;
    const minimal = ['id', 'name', 'description', 'requiredDataConnectors', 'tactics', 'relevantTechniques', 'query'];
    const file = writeRule(JSON.stringify(Object.fromEntries(minimal.map((key) => [key, seed[key]]))));
    const rule = loadRule(file);
    expect(rule.severity).toBe('Medium');
    expect(rule.queryPeriodMs).toBe(5 * 86_400_000);
    expect(rule.grouping.lookbackDurationMs).toBe(7 * 86_400_000);
  });
});

describe('bad rule files', () => {
  const seedText = () => readFileSync(seedRulePath, 'utf8');

  it('names the file, the field, and its line and column', () => {
    const file = writeRule(seedText().replace('severity: Medium', 'severity: Critical').replace('queryPeriod: P5D', 'queryPeriod: 5 days'));
    const problems = problemsOf(file);
    const lineOf = (needle: string) => seedText().split('\n').findIndex((line) => line.startsWith(needle)) + 1;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(new RegExp(`^${file.replaceAll('/', '\\/')}:${lineOf('severity:')}:11: rule-field: severity: `));
    expect(problems[1]).toMatch(new RegExp(`:${lineOf('queryPeriod:')}:14: rule-field: queryPeriod: must be an ISO 8601 duration`));
  });

  it('reports YAML syntax errors with their position', () => {
    const problems = problemsOf(writeRule('id: x\nname: [unclosed\n'));
    expect(problems[0]).toMatch(/rule\.yaml:\d+:\d+: yaml-/);
  });

  it('reports a missing query', () => {
    const file = writeRule(seedText().replace(/query: \|[\s\S]*?\n\n/, '\n'));
    expect(problemsOf(file).join('\n')).toMatch(/rule-field: query: /);
  });
});
