import { appendFileSync, cpSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

interface IncidentRef { episodeId: string; deviceId: string; deviceName: string; title: string }
interface ReplayReport {
  ruleId: string;
  window: { start: string; end: string };
  hits: number;
  created: IncidentRef[];
  updated: IncidentRef[];
  suppressed: { deviceId: string; exclusionId: string }[];
  unchanged: number;
}

const wksFin007 = '3f1c2b9a8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b';
const laptopMkt113 = 'c0ffee0000000000000000000000000000000113';
const hrWorkstation = 'feedface00000000000000000000000000000042';

function certificateRow(timestamp: string, deviceId: string, deviceName: string, reportId: number): string {
  return JSON.stringify({ Timestamp: timestamp, DeviceId: deviceId, DeviceName: deviceName, SHA1: 'b4b3c5ce6b4a1e7c3b9b0c8e2f1a6d5c4b3a2918', IsSigned: true, Signer: 'Ammyy LLC', Issuer: 'DigiCert SHA2 Assured ID Code Signing CA', IsTrusted: true, ReportId: reportId }) + '\n';
}

describe('hunter replay', () => {
  it('raises each sample device once, then updates and creates only for new evidence', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-replay-'));
    const data = path.join(work, 'data');
    cpSync('test/fixtures/ammyy-basic', data, { recursive: true });
    const replay = async (now: string) => {
      const run = await runCli(['replay', '--data', data, '--now', now, '--state', path.join(work, 'state'), '--out', path.join(work, 'out'), '--format', 'json']);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as ReplayReport;
    };

    const first = await replay('2026-11-20T12:00:00Z');
    expect(first.ruleId).toBe('7c20af02-4bce-4d6d-b609-3ddf5ca4fb59');
    expect(first.window).toMatchObject({ start: '2026-11-15T12:00:00.000Z', end: '2026-11-20T11:45:00.000Z' });
    expect(first.hits).toBe(3);
    expect(first.created.map((incident) => incident.deviceId).sort()).toEqual([wksFin007, '8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b', laptopMkt113]);
    expect(first.updated).toEqual([]);
    const incidentsAfterFirst = readFileSync(path.join(work, 'out', 'incidents.jsonl'), 'utf8');

    // The same look-back again: every device is read again and is unchanged.
    const again = await replay('2026-11-20T12:00:00Z');
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.unchanged).toBe(3);
    expect(readFileSync(path.join(work, 'out', 'incidents.jsonl'), 'utf8')).toBe(incidentsAfterFirst);

    // A day later: new evidence on a known device and a new device.
    const certificates = path.join(data, 'DeviceFileCertificateInfo.jsonl');
    appendFileSync(certificates, certificateRow('2026-11-21T08:00:00Z', wksFin007, 'wks-fin-007.contoso.local', 1004));
    appendFileSync(certificates, certificateRow('2026-11-21T11:00:00Z', hrWorkstation, 'wks-hr-042.contoso.local', 6001));
    const later = await replay('2026-11-21T12:00:00Z');
    expect(later.created.map((incident) => incident.deviceId)).toEqual([hrWorkstation]);
    expect(later.updated.map((incident) => incident.deviceId)).toEqual([wksFin007]);
    expect(later.updated[0]?.episodeId).toBeDefined();
    expect(later.updated[0]?.episodeId).toBe(first.created.find((incident) => incident.deviceId === wksFin007)?.episodeId);
    // The helpdesk server is still inside the 5-day look-back, unchanged; the laptop has left it.
    expect(later.unchanged).toBe(1);

    // Half an hour later the windows overlap: everything is read again, nothing is new.
    const overlapping = await replay('2026-11-21T12:30:00Z');
    expect(overlapping.hits).toBe(3);
    expect(overlapping.created).toEqual([]);
    expect(overlapping.updated).toEqual([]);
    expect(overlapping.unchanged).toBe(3);
  });

  it('prints the incidents as a table by default and starts empty with --fresh', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-replay-'));
    const args = ['replay', '--data', 'test/fixtures/ammyy-basic', '--state', path.join(work, 'state'), '--out', path.join(work, 'out')];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/created 3, updated 0/);
    expect(first.stdout).toContain('wks-fin-007.contoso.local');
    const fresh = await runCli([...args, '--fresh']);
    expect(fresh.stdout).toMatch(/created 3, updated 0/);
  });
});
