/**
 * Issue 11's pipeline and state classes through `hunter replay`, as a user meets them: a record the
 * store would refuse (11.2), a malformed hunt row (11.3), a context table that fails (11.4), an
 * update days after the first detection (11.5) and a lost state folder (11.11). Each replay has its
 * own Azurite on its --state folder and writes incidents.jsonl/comments.jsonl to --out.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report.js';
import { runCli } from '../support/cli.js';

const FIXTURE = 'test/fixtures/ammyy-basic';
const TABLES = ['DeviceFileCertificateInfo.jsonl', 'DeviceProcessEvents.jsonl', 'DeviceNetworkEvents.jsonl'];
const wksFin007 = '3f1c2b9a8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b';
const helpdesk = '8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b';
const laptop = 'c0ffee0000000000000000000000000000000113';

interface Incident { incidentId: string; deviceId: string; deviceName: string; description: string }

/** A copy of the sample data and a replay on it with its own state and output folders. */
function workspace() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-faults-'));
  const data = path.join(work, 'data');
  const state = path.join(work, 'state');
  const out = path.join(work, 'out');
  cpSync(FIXTURE, data, { recursive: true });
  const replay = async (now: string): Promise<RunReport> => {
    const run = await runCli(['replay', '--data', data, '--now', now, '--state', state, '--out', out, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as RunReport;
  };
  // The file sink appends: an incident's last line is its current version.
  const incidents = () => [...new Map(readFileSync(path.join(out, 'incidents.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Incident).map((incident) => [incident.incidentId, incident])).values()];
  const edit = (table: string, change: (text: string) => string) => writeFileSync(path.join(data, table), change(readFileSync(path.join(data, table), 'utf8')));
  return { data, state, out, replay, incidents, edit };
}

function certificateRow(timestamp: string, deviceId: string, deviceName: string, reportId: number): string {
  return JSON.stringify({ Timestamp: timestamp, DeviceId: deviceId, DeviceName: deviceName, SHA1: 'b4b3c5ce6b4a1e7c3b9b0c8e2f1a6d5c4b3a2918', IsSigned: true, Signer: 'Ammyy LLC', Issuer: 'DigiCert SHA2 Assured ID Code Signing CA', IsTrusted: true, ReportId: reportId }) + '\n';
}

const ids = (refs: readonly { deviceId: string }[]) => refs.map((ref) => ref.deviceId).sort();

describe('hunter replay on records the state store would refuse (11.2)', () => {
  it('stores every device of the batch: a name with line and paragraph separators, a 40,000-character name', async () => {
    const { replay, edit, state } = workspace();
    // Azurite refused the whole transaction over U+2028 ("Transaction Failed"); Table Storage refuses a property over 64 KiB.
    const separators = JSON.stringify('wks-fin-007\u2028\u2029.contoso.local');
    const huge = JSON.stringify(`srv-${'h'.repeat(40_000)}.contoso.local`);
    for (const table of TABLES) edit(table, (text) => text.replaceAll('"wks-fin-007.contoso.local"', separators).replaceAll('"srv-helpdesk-02.contoso.local"', huge));
    const first = await replay('2026-11-20T12:00:00Z');
    expect(first.status).toBe('succeeded');
    expect(ids(first.created)).toEqual([helpdesk, wksFin007, laptop].sort());
    expect(first.parked).toEqual([]);
    expect(first.created.find((ref) => ref.deviceId === helpdesk)!.deviceName.length).toBeLessThanOrEqual(1024);
    // All three are in state: the same replay again finds nothing new.
    expect(await replay('2026-11-20T12:00:00Z')).toMatchObject({ created: [], updated: [], unchanged: 3 });
    const listed = await runCli(['state', 'list', '--state', state, '--format', 'json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(wksFin007);
    expect(listed.stdout).not.toMatch(/\u2028|\u2029/);
  });
});

describe('hunter replay on a malformed hunt row (11.3)', () => {
  it('skips the row, reports it by row number, and raises every other device', async () => {
    const { data, replay } = workspace();
    appendFileSync(path.join(data, 'DeviceFileCertificateInfo.jsonl'), certificateRow('2026-11-19T10:00:00Z', '', 'ghost.contoso.local', 7001));
    const report = await replay('2026-11-20T12:00:00Z');
    expect(report.status).toBe('succeeded');
    expect(ids(report.created)).toEqual([helpdesk, wksFin007, laptop].sort());
    expect(report.rejectedRows).toEqual([expect.objectContaining({ row: expect.any(Number), message: expect.stringMatching(/DeviceId/) })]);
    expect(report.rejectedRows[0]!.message).not.toMatch(/\.yaml/);
    expect(report.watermark).toBe(report.window.end);
  });
});

describe('hunter replay when the context query fails (11.4)', () => {
  it('raises without context, marked incomplete; once the table is fixed the same episode is updated with its evidence', async () => {
    const { data, replay, incidents } = workspace();
    const processes = path.join(data, 'DeviceProcessEvents.jsonl');
    const good = readFileSync(processes, 'utf8');
    // A torn line that holds one of the tool's hashes: the reader may skip unparsed only the lines that cannot match.
    appendFileSync(processes, '{"Timestamp": "2026-11-18T09:00:00Z", "SHA1": "b4b3c5ce6b4a1e7c3b9b0c8e2f1a6d5c4b3a2918", "DeviceId": \n');
    const broken = await replay('2026-11-20T12:00:00Z');
    expect(ids(broken.created)).toEqual([helpdesk, wksFin007, laptop].sort());
    expect(broken.created.every((ref) => !ref.contextComplete)).toBe(true);
    expect([...broken.contextIncomplete].sort()).toEqual([helpdesk, wksFin007, laptop].sort());
    expect(broken.warnings.join('\n')).toMatch(/without their context/);
    expect(incidents().find((incident) => incident.deviceId === wksFin007)?.description).not.toContain('203.0.113.45');

    // Not recorded as complete: the next run asks again, and the evidence reaches the same incident.
    writeFileSync(processes, good);
    const fixed = await replay('2026-11-20T12:30:00Z');
    expect(fixed.created).toEqual([]);
    expect(fixed.updated.find((ref) => ref.deviceId === wksFin007)).toMatchObject({ episodeId: broken.created.find((ref) => ref.deviceId === wksFin007)!.episodeId, reason: 'contextArrived', contextComplete: true });
    expect(fixed.contextIncomplete).toEqual([]);
    expect(incidents()).toHaveLength(3);
    expect(incidents().find((incident) => incident.deviceId === wksFin007)?.description).toContain('203.0.113.45');
  });
});

describe('hunter replay of an update days after the first detection (11.5)', () => {
  it('keeps the earlier parent process, public IP and report ids in the incident once they have left the window', async () => {
    const { data, replay, incidents } = workspace();
    const first = await replay('2026-11-20T12:00:00Z');
    const episodeId = first.created.find((ref) => ref.deviceId === wksFin007)!.episodeId;
    // Four days on, the 17 and 18 November events are out of the hunt and context window; one new sighting.
    appendFileSync(path.join(data, 'DeviceFileCertificateInfo.jsonl'), certificateRow('2026-11-24T08:00:00Z', wksFin007, 'wks-fin-007.contoso.local', 1010));
    const later = await replay('2026-11-24T12:00:00Z');
    expect(later.window.start > '2026-11-18T09:02:10Z').toBe(true);
    expect(later.updated).toEqual([expect.objectContaining({ deviceId: wksFin007, episodeId, newReportIds: 1 })]);
    const description = incidents().find((incident) => incident.incidentId === episodeId)!.description;
    for (const earlier of ['203.0.113.45', 'jdoe', '1001', '1002', '1010']) expect(description).toContain(earlier);
  });
});

describe('hunter replay after its state folder was lost (11.11)', () => {
  it('writes the same incidents again: none created, none doubled, even when the window no longer holds a device\'s first events', async () => {
    const { state, replay, incidents } = workspace();
    const first = await replay('2026-11-20T12:00:00Z');
    const before = new Map(first.created.map((ref) => [ref.deviceId, ref.episodeId]));
    rmSync(state, { recursive: true, force: true });
    // The new window starts after the helpdesk server's first sighting (16 Nov 13:30) but holds its second (19 Nov).
    const again = await replay('2026-11-21T14:00:00Z');
    expect(again.window.start > '2026-11-16T13:30:00Z').toBe(true);
    expect(again.created).toEqual([]);
    expect(ids(again.updated)).toEqual([helpdesk, wksFin007].sort());
    for (const ref of again.updated) expect(ref.episodeId).toBe(before.get(ref.deviceId));
    expect(incidents()).toHaveLength(3);
  });
});
