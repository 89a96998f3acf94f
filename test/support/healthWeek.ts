/**
 * A week of Defender data for the health tests: Ammyy-signed files appearing on a new device every day (one of them
 * updated later with a new file), and one device whose Ammyy runs as a scheduled task, which the sample exclusions
 * suppress. Written as the table files the local backend reads; `writeBrokenCopy` adds a malformed row, which makes
 * every hunt query over the folder fail (the outage's failing runs).
 */
import { cpSync, mkdirSync, appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WEEK_START = new Date('2026-11-09T00:00:00Z');
const HOUR = 3_600_000;
export const weekHour = (hours: number) => new Date(WEEK_START.getTime() + hours * HOUR);

const AMMYY_SHA1 = 'b4b3c5ce6b4a1e7c3b9b0c8e2f1a6d5c4b3a2918';
const UPDATE_SHA1 = '2c9e4f7d1a8b3e6c5d0f9a2b7c4e1d8f3a6b5c90';

interface Sighting {
  readonly device: number;
  readonly hour: number;
  readonly sha1: string;
  /** The process that started Ammyy. */
  readonly parent: string;
}

// Hours from WEEK_START: a new device on each day, one update on day 2, the scheduled-task device on days 5 and 6.
const SIGHTINGS: readonly Sighting[] = [
  { device: 0, hour: 10.5, sha1: AMMYY_SHA1, parent: 'explorer.exe' },
  { device: 1, hour: 34.5, sha1: AMMYY_SHA1, parent: 'explorer.exe' },
  { device: 1, hour: 62.5, sha1: UPDATE_SHA1, parent: 'explorer.exe' },
  { device: 2, hour: 58.5, sha1: AMMYY_SHA1, parent: 'powershell.exe' },
  { device: 3, hour: 84.5, sha1: AMMYY_SHA1, parent: 'explorer.exe' },
  { device: 4, hour: 105.5, sha1: AMMYY_SHA1, parent: 'schtasks.exe' },
  { device: 5, hour: 136.5, sha1: AMMYY_SHA1, parent: 'explorer.exe' },
  { device: 4, hour: 140.5, sha1: AMMYY_SHA1, parent: 'schtasks.exe' },
];

const deviceId = (device: number) => `7eeb0000000000000000000000000000000000${String(device).padStart(2, '0')}`;
const deviceName = (device: number) => `wks-week-${device}.contoso.local`;
const lines = (rows: readonly object[]) => rows.map((row) => JSON.stringify(row)).join('\n') + '\n';

function certificateRow({ device, hour, sha1 }: Sighting, reportId: number): object {
  return {
    Timestamp: weekHour(hour).toISOString(),
    DeviceId: deviceId(device),
    DeviceName: deviceName(device),
    SHA1: sha1,
    IsSigned: true,
    SignatureType: 'Embedded',
    Signer: 'Ammyy LLC',
    Issuer: 'DigiCert SHA2 Assured ID Code Signing CA',
    IsTrusted: true,
    ReportId: reportId,
  };
}

function processRow({ device, hour, sha1, parent }: Sighting, processId: number): object {
  const started = new Date(weekHour(hour).getTime() + 60_000).toISOString();
  return {
    Timestamp: started,
    DeviceId: deviceId(device),
    DeviceName: deviceName(device),
    ActionType: 'ProcessCreated',
    FileName: 'ammyy.exe',
    FolderPath: 'C:\\ProgramData\\Ammyy\\ammyy.exe',
    SHA1: sha1,
    ProcessId: processId,
    ProcessCommandLine: '"ammyy.exe" -service',
    ProcessCreationTime: started,
    AccountDomain: 'CONTOSO',
    AccountName: 'svc-maint',
    AccountUpn: 'svc-maint@contoso.com',
    InitiatingProcessFileName: parent,
  };
}

/** Writes the week's table files into `dir`. */
export function writeWeekData(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'DeviceFileCertificateInfo.jsonl'), lines(SIGHTINGS.map((sighting, index) => certificateRow(sighting, 5_000 + index))));
  writeFileSync(join(dir, 'DeviceProcessEvents.jsonl'), lines(SIGHTINGS.map((sighting, index) => processRow(sighting, 7_000 + index))));
  writeFileSync(join(dir, 'DeviceNetworkEvents.jsonl'), '');
  writeFileSync(join(dir, 'IdentityInfo.jsonl'), '');
}

/** A copy of `source` whose certificate table has a row the hunt query cannot read: every run over it fails. */
export function writeBrokenCopy(source: string, dir: string): void {
  cpSync(source, dir, { recursive: true });
  appendFileSync(join(dir, 'DeviceFileCertificateInfo.jsonl'), `${JSON.stringify({ ...certificateRow(SIGHTINGS[0]!, 9_999), Timestamp: 'the day after tomorrow' })}\n`);
}

/** Devices the week raises (the scheduled-task device is suppressed). */
export const RAISED_DEVICES = [0, 1, 2, 3, 5].map(deviceId);
export const SUPPRESSED_DEVICE = deviceId(4);
