/**
 * Issue 15's end-to-end check: the whole RMM pack enabled, replayed over a fixture that mixes tools and
 * look-alikes, raises one incident per tool per device. A device hit by a tool's file, process and network
 * rules is one episode (created by the first rule, updated by the others), even though each table numbers
 * its events with the same ReportId; a second replay raises nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

interface Ref { episodeId: string; deviceName: string; title: string; newReportIds?: number }
interface PackReplay { runs: { ruleName: string; status: string; created: Ref[]; updated: Ref[]; unchanged: number }[] }

describe('hunter replay with the RMM pack', () => {
  it('raises one incident per tool per device over a fixture mixing tools, and nothing on the next run', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-pack-'));
    const replay = async () => {
      const run = await runCli(['replay', '--data', 'test/fixtures/rmm-mixed', '--rule', 'rules/rmm', '--state', path.join(work, 'state'), '--out', path.join(work, 'out'), '--format', 'json']);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as PackReplay;
    };

    const first = await replay();
    expect(first.runs).toHaveLength(167);
    expect(first.runs.every((run) => run.status === 'succeeded')).toBe(true);
    const raised = first.runs.filter((run) => run.created.length + run.updated.length > 0);
    const actions = raised.flatMap((run) => [
      ...run.created.map((ref) => `${run.ruleName.split(' - ').slice(1).join(' - ')}: created ${ref.deviceName}`),
      ...run.updated.map((ref) => `${run.ruleName.split(' - ').slice(1).join(' - ')}: updated ${ref.deviceName} (+${ref.newReportIds})`),
    ]);
    expect(actions).toEqual([
      'AnyDesk - Create Process: created wks-a.contoso.local',
      'AnyDesk - Create Process: created wks-b.contoso.local',
      // ReportId 100 in the certificate and network tables is not the process event 100 already raised.
      'AnyDesk - File Signature: updated wks-a.contoso.local (+1)',
      'AnyDesk - Network Connection: updated wks-a.contoso.local (+1)',
      'TeamViewer - File Signature: created wks-a.contoso.local',
    ]);
    const episodes = new Set(raised.flatMap((run) => [...run.created, ...run.updated].map((ref) => ref.episodeId)));
    expect(episodes.size).toBe(3);

    const incidents = readFileSync(path.join(work, 'out', 'incidents.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { title: string });
    expect(incidents.map((incident) => incident.title).sort()).toEqual([
      'AnyDesk remote access tool (T1219) on wks-a.contoso.local',
      'AnyDesk remote access tool (T1219) on wks-b.contoso.local',
      'TeamViewer remote access tool (T1219) on wks-a.contoso.local',
    ]);

    // hunter runs over the pack: the newest run of each rule, one line per rule.
    const runs = await runCli(['runs', '--out', path.join(work, 'out'), '--rule', 'rules/rmm']);
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout).toMatch(/^167 rules, .*: the newest run of each \(167 have run\)\n/);
    expect(runs.stdout).toMatch(/\nRemote Management and Monitoring tool - AnyDesk - Create Process +succeeded +\S+ +2 +2 +0 +0 +0 /);

    const again = await replay();
    expect(again.runs.flatMap((run) => [...run.created, ...run.updated])).toEqual([]);
    expect(again.runs.reduce((sum, run) => sum + run.unchanged, 0)).toBe(5);
    // 167 rules twice: about 8 s of CPU per replay, several times that on a loaded machine.
  }, 300_000);

  it('applies an exclusion only to the rules it names: AnyDesk as the IT support tool leaves TeamViewer raised', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-pack-'));
    const exclusions = path.join(work, 'exclusions.yaml');
    writeFileSync(
      exclusions,
      ['exclusions:', '  - id: anydesk-is-it-support', '    description: AnyDesk is the service desk tool', '    enabled: true', '    rules: [rmm-anydesk]', '    when:', '      field: process.name', '      equals: AnyDesk.exe', ''].join('\n'),
    );
    const run = await runCli(['replay', '--data', 'test/fixtures/rmm-mixed', '--rule', 'rules/rmm/AnyDesk,rules/rmm/TeamViewer', '--exclusions', exclusions, '--state', path.join(work, 'state'), '--out', path.join(work, 'out'), '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const { runs } = JSON.parse(run.stdout) as { runs: { ruleName: string; created: Ref[]; suppressed: { deviceName: string; exclusionIds: string[] }[] }[] };
    const byRule = Object.fromEntries(runs.map((r) => [r.ruleName.split(' - ').slice(1).join(' - '), r]));
    expect(byRule['AnyDesk - Create Process']!.created).toEqual([]);
    expect(byRule['AnyDesk - Create Process']!.suppressed.map((s) => [s.deviceName, s.exclusionIds])).toEqual([
      ['wks-a.contoso.local', ['anydesk-is-it-support']],
      ['wks-b.contoso.local', ['anydesk-is-it-support']],
    ]);
    expect(byRule['TeamViewer - File Signature']!.created.map((ref) => ref.deviceName)).toEqual(['wks-a.contoso.local']);
  }, 300_000);
});
