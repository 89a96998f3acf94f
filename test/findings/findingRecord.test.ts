import { describe, expect, it } from 'vitest';
import { accountParts, ALERT_DESCRIPTION_BYTES, ALERT_TITLE_BYTES, buildFindingRecord, directoryOf, fitBytes, hostParts, REPORT_IDS_IN_RECORD } from '../../src/findings/findingRecord.js';
import { FINDINGS_COLUMNS } from '../../src/findings/findingsTable.js';
import { AlertPacer } from '../../src/findings/pacing.js';
import { FINDINGS_PER_SLOT, RULE_FREQUENCY_MS } from '../../src/findings/analyticsRule.js';
import { findingSource, noEvidence } from '../support/findingSources.js';
import { deviceHuntingQuery } from '../../src/incidents/deviceHuntingQuery.js';
import { testRule } from '../support/rules.js';

const options = { writtenAt: new Date('2026-11-20T12:00:00Z'), alertAfter: new Date('2026-11-20T12:00:00Z'), defenderPortalUrl: 'https://security.microsoft.com/' };
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('buildFindingRecord', () => {
  it("fills exactly the table's columns, with the episode's ids, device, MITRE and evidence", () => {
    const source = findingSource(7);
    const huntingQuery = deviceHuntingQuery(testRule(), source.device.id, source.firstSeen);
    const record = buildFindingRecord(source, { ...options, huntingQuery });
    expect(Object.keys(record)).toEqual(FINDINGS_COLUMNS.map((column) => column.name));
    expect(record).toMatchObject({
      FindingId: 'episode-7-0',
      EpisodeId: 'episode-7',
      Sequence: 0,
      Severity: 'Medium',
      Tactics: ['CommandAndControl'],
      Techniques: ['T1219'],
      HostName: 'wks-00007',
      HostDnsDomain: 'contoso.local',
      ReportIds: ['1007'],
      ReportIdCount: 1,
      ContextComplete: true,
      TimeGenerated: '2026-11-20T12:00:00.000Z',
      AlertAfter: '2026-11-20T12:00:00.000Z',
    });
    expect(record.Files[0]).toMatchObject({ FileName: 'AA_v3.exe', Signer: 'Ammyy LLC' });
    expect(record.Processes[0]).toMatchObject({ CommandLine: '"AA_v3.exe" -connect 10.0.0.5', ParentFileName: 'explorer.exe', StartedAt: '2026-11-20T09:00:00.000Z' });
    expect(record.Accounts[0]).toEqual({ Name: 'jdoe', NTDomain: 'CONTOSO', Upn: 'jdoe@contoso.com', Sid: 'S-1-5-21-1-2-3-1104' });
    expect(record.Destinations[0]).toEqual({ IP: '203.0.113.7', Domain: 'rl.ammyy.com', Port: '443' });
    expect(record.DeviceUrl).toBe(`https://security.microsoft.com/machines/${record.DeviceId}`);
    expect(record.HuntingQuery).toBe(huntingQuery);
    expect(record.HuntingQuery).toContain(record.DeviceId);
    expect(record.WhatIsNew).toMatch(/^Episode opened \(newDevice\): 1 new report id, 1 new file, 1 new process, 1 new account, 1 new destination$/);
  });

  it('keeps title and description within the alert limits in bytes (256 B, 5 KB), cutting the description at a line and saying where the rest is', () => {
    const source = findingSource(1, {
      text: { title: `Ammyy on ${'ü'.repeat(300)}`, description: Array.from({ length: 400 }, (_, index) => `- evidence line ${index} — ${'é'.repeat(10)}`).join('\n'), labels: [], updateComment: undefined },
    });
    const record = buildFindingRecord(source, options);
    expect(bytes(record.Title)).toBeLessThanOrEqual(ALERT_TITLE_BYTES);
    expect(record.Title.endsWith('…')).toBe(true);
    expect(bytes(record.Description)).toBeLessThanOrEqual(ALERT_DESCRIPTION_BYTES);
    expect(record.Description).toMatch(/- evidence line \d+ — é{10}\n\n_\(Cut to Sentinel's 5 KB/);
    expect(record.Description).toContain('episode-1-0');
  });

  it('keeps the most recent report ids within what custom details hold, and counts the rest', () => {
    const ids = Array.from({ length: 120 }, (_, index) => String(5000 + index));
    const record = buildFindingRecord(findingSource(1, { reportIds: { items: ids, omitted: 30 } }), options);
    expect(record.ReportIds).toEqual(ids.slice(-REPORT_IDS_IN_RECORD));
    expect(record.ReportIdCount).toBe(150);
    expect(record.LeftOut.ReportIds).toBe(150 - REPORT_IDS_IN_RECORD);
  });

  it('keeps each evidence list under the ingestion field limit and counts what it left out', () => {
    const processes = Array.from({ length: 200 }, (_, index) => ({ name: `p${index}.exe`, commandLine: `cmd ${'x'.repeat(5_000)}` }));
    const record = buildFindingRecord(findingSource(1, { evidence: { ...noEvidence, processes: { items: processes, omitted: 7 } } }), options);
    expect(bytes(JSON.stringify(record.Processes))).toBeLessThanOrEqual(16_000);
    expect(record.Processes.length + record.LeftOut.Processes).toBe(207);
    expect(record.Processes[0]!.CommandLine!.length).toBeLessThanOrEqual(2_000);
  });

  it('records a finding whose context is missing as incomplete, with empty lists', () => {
    const record = buildFindingRecord(findingSource(2, { evidence: noEvidence, contextComplete: false, added: { reportIds: ['1'], evidence: noEvidence } }), options);
    expect(record).toMatchObject({ ContextComplete: false, Files: [], Processes: [], Accounts: [], Destinations: [] });
  });
});

describe('entity identifiers from telemetry', () => {
  it("take the file name off Defender's FolderPath for the File entity's Directory (entities-reference)", () => {
    expect(directoryOf('C:\\Users\\jdoe\\Downloads\\AA_v3.exe', 'AA_v3.exe')).toBe('C:\\Users\\jdoe\\Downloads');
    expect(directoryOf('C:\\Users\\jdoe\\Downloads\\aa_V3.EXE', 'AA_v3.exe')).toBe('C:\\Users\\jdoe\\Downloads');
    expect(directoryOf('C:\\Temp', 'AA_v3.exe')).toBe('C:\\Temp');
    expect(directoryOf(undefined, 'AA_v3.exe')).toBeUndefined();
  });

  it("split DOMAIN\\name into the Account entity's Name (no domain) and NTDomain", () => {
    expect(accountParts('CONTOSO\\jdoe', undefined)).toEqual({ name: 'jdoe', domain: 'CONTOSO' });
    expect(accountParts('CONTOSO\\jdoe', 'CONTOSO')).toEqual({ name: 'jdoe', domain: 'CONTOSO' });
    expect(accountParts('jdoe', 'CONTOSO')).toEqual({ name: 'jdoe', domain: 'CONTOSO' });
  });
});

describe('hostParts and fitBytes', () => {
  it('split a device name into the Host entity identifiers', () => {
    expect(hostParts('wks-7.contoso.local')).toEqual({ hostName: 'wks-7', dnsDomain: 'contoso.local' });
    expect(hostParts('WKS-7')).toEqual({ hostName: 'WKS-7', dnsDomain: '' });
  });

  it('never split a character', () => {
    expect(fitBytes('ab€€', 5)).toBe('ab€');
    expect(fitBytes('ab€€', 5, '…')).toBe('ab…');
  });
});

describe('AlertPacer', () => {
  it(`makes ${FINDINGS_PER_SLOT} findings due per rule interval, starting at once`, () => {
    const pacer = new AlertPacer();
    const now = new Date('2026-11-20T12:00:00Z');
    const due = Array.from({ length: FINDINGS_PER_SLOT * 3 + 1 }, () => pacer.next(now).getTime() - now.getTime());
    expect(due.slice(0, FINDINGS_PER_SLOT).every((delay) => delay === 0)).toBe(true);
    expect(due[FINDINGS_PER_SLOT]).toBe(RULE_FREQUENCY_MS);
    expect(due.at(-1)).toBe(3 * RULE_FREQUENCY_MS);
    expect(pacer.horizon()!.getTime() - now.getTime()).toBe(3 * RULE_FREQUENCY_MS);
  });
});
