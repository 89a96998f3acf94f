import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const scenarios = readdirSync('test/fixtures/exclusions', { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

interface ReplayReport {
  created: { deviceName: string }[];
  suppressed: { deviceName: string; exclusionIds: string[] }[];
}

describe('hunter replay with the sample exclusions', () => {
  it('covers the five published legitimate-use scenarios', () => {
    expect(scenarios.sort()).toEqual(['admins-routine-audit', 'internal-server-file-transfer', 'it-staff-remote-support', 'msp-managed-service', 'scheduled-maintenance']);
  });

  it.each(scenarios)('%s: suppresses the legitimate use by its own exclusion and raises the look-alike', async (scenario) => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-excl-'));
    const run = await runCli([
      'replay', '--data', path.join('test/fixtures/exclusions', scenario), '--exclusions', 'config/exclusions.sample.yaml',
      '--state', path.join(work, 'state'), '--out', path.join(work, 'out'), '--format', 'json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ReplayReport;
    expect(report.suppressed.length).toBeGreaterThan(0);
    expect(report.suppressed.every((hit) => hit.exclusionIds.join() === scenario)).toBe(true);
    expect(report.created.length).toBeGreaterThan(0);
    const suppressedNames = new Set(report.suppressed.map((hit) => hit.deviceName));
    expect(report.created.filter((incident) => suppressedNames.has(incident.deviceName))).toEqual([]);
  });

  it('raises everything when no exclusion file is given', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-excl-'));
    const run = await runCli(['replay', '--data', 'test/fixtures/exclusions/admins-routine-audit', '--state', path.join(work, 'state'), '--out', path.join(work, 'out'), '--format', 'json']);
    const report = JSON.parse(run.stdout) as ReplayReport;
    expect(report.suppressed).toEqual([]);
    expect(report.created).toHaveLength(4);
  });
});
