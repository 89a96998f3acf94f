/**
 * One record of the findings table per detection (a new or updated device episode), in the table's shape
 * (./findingsTable.ts). Pure: the sink decides when the record is written and when its alert is due.
 *
 * Sizes: the alert takes its title and description from the record, and Sentinel keeps at most 256 bytes of a
 * title and 5 KB of a description (sentinel-service-limits, "Alert details"); custom details share 2 KB, so the
 * report id lists are cut to the most recent 20 (the total stays in ReportIdCount); any other field over 64 KB
 * would be truncated by the ingestion service (azure-monitor service limits), so each evidence list keeps as many
 * items as fit in 16 KB and counts the rest in LeftOut.
 */
import type { FindingSource } from './findingSource.js';
import { trimTrailing } from '../text/trimTrailing.js';

export const ALERT_TITLE_BYTES = 256;
export const ALERT_DESCRIPTION_BYTES = 5_000;
export const REPORT_IDS_IN_RECORD = 20;
/** What the renderer fits the texts of a finding into: the alert's title and description, and an update's Markdown. */
export const findingTextLimits = { titleChars: ALERT_TITLE_BYTES, descriptionChars: ALERT_DESCRIPTION_BYTES, commentChars: 30_000 } as const;
const LIST_BYTES = 16_000;
const VALUE_CHARS = 2_000;
const WHAT_IS_NEW_CHARS = 300;

// A type, not an interface, so a record is a Record<string, unknown> for the ingestion client and the file sink.
export type FindingRecord = {
  readonly TimeGenerated: string;
  readonly FindingId: string;
  readonly EpisodeId: string;
  readonly Sequence: number;
  readonly Reason: string;
  readonly PreviousEpisodeId: string;
  readonly RuleId: string;
  readonly RuleName: string;
  readonly Severity: string;
  readonly Tactics: readonly string[];
  readonly Techniques: readonly string[];
  readonly Title: string;
  readonly Description: string;
  readonly UpdateMarkdown: string;
  readonly WhatIsNew: string;
  readonly DeviceId: string;
  readonly DeviceName: string;
  readonly HostName: string;
  readonly HostDnsDomain: string;
  readonly FirstSeen: string;
  readonly LastSeen: string;
  readonly ReportIds: readonly string[];
  readonly ReportIdCount: number;
  readonly NewReportIds: readonly string[];
  readonly Files: readonly Readonly<Record<string, string>>[];
  readonly Processes: readonly Readonly<Record<string, string>>[];
  readonly Accounts: readonly Readonly<Record<string, string>>[];
  readonly Destinations: readonly Readonly<Record<string, string>>[];
  readonly LeftOut: Readonly<Record<'Files' | 'Processes' | 'Accounts' | 'Destinations' | 'ReportIds', number>>;
  readonly RedFlags: readonly string[];
  readonly ContextComplete: boolean;
  readonly DeviceUrl: string;
  readonly HuntingQuery: string;
  readonly DeviceCount: number;
  readonly Devices: readonly Readonly<Record<string, string>>[];
  readonly AlertAfter: string;
};

export interface FindingRecordOptions {
  /** When the sink writes it (TimeGenerated). */
  readonly writtenAt: Date;
  /** When the analytics rule may raise its alert (the sink's pacing). */
  readonly alertAfter: Date;
  /** DEFENDER_PORTAL_URL. */
  readonly defenderPortalUrl: string;
  /** The rule's device query bound to this device (src/incidents/deviceHuntingQuery.ts), when the rule has one. */
  readonly huntingQuery?: string | undefined;
}

const utf8 = new TextEncoder();
const byteLength = (text: string) => utf8.encode(text).length;

/** `text` cut to at most `bytes` UTF-8 bytes, on a character boundary, with `marker` appended when cut. */
export function fitBytes(text: string, bytes: number, marker = ''): string {
  if (text.length * 3 <= bytes || byteLength(text) <= bytes) return text;
  // encodeInto stops before a character that does not fit whole, and says how much of the text it took.
  const { read } = utf8.encodeInto(text, new Uint8Array(Math.max(bytes - byteLength(marker), 0)));
  return text.slice(0, read) + marker;
}

/** Markdown cut at a line boundary within `bytes`, saying where the rest is. */
function fitDescription(markdown: string, bytes: number, findingId: string): string {
  if (byteLength(markdown) <= bytes) return markdown;
  const note = `\n\n_(Cut to Sentinel's 5 KB alert description: the whole text is the UpdateMarkdown/Description of finding \`${findingId}\` in the findings table, and every list is in its columns.)_`;
  const budget = bytes - byteLength(note);
  const lines: string[] = [];
  let used = 0;
  for (const line of markdown.split('\n')) {
    const size = byteLength(line) + 1;
    if (used + size > budget) break;
    lines.push(line);
    used += size;
  }
  return fitBytes(lines.join('\n') + note, bytes);
}

/** Keeps the leading items whose JSON fits in `bytes`; the rest are counted as left out. */
export function fitList<T>(items: readonly T[], leftOut: number, bytes = LIST_BYTES): { items: T[]; leftOut: number } {
  const kept: T[] = [];
  let used = 2;
  for (const item of items) {
    const size = byteLength(JSON.stringify(item)) + 1;
    if (used + size > bytes) break;
    kept.push(item);
    used += size;
  }
  return { items: kept, leftOut: leftOut + items.length - kept.length };
}

/** Drops empty values and bounds the rest, so one huge command line cannot crowd out the list. */
function entity(fields: Readonly<Record<string, string | Date | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === '') continue;
    out[key] = value instanceof Date ? value.toISOString() : fitBytes(value, VALUE_CHARS, '…');
  }
  return out;
}

/**
 * The folder of a file: Defender's FolderPath includes the file name (`C:\\Users\\x\\AA_v3.exe`), the File entity's
 * Directory does not (sentinel/entities-reference: Directory is the path, Name the file name).
 */
export function directoryOf(folderPath: string | undefined, fileName: string | undefined): string | undefined {
  if (folderPath === undefined || fileName === undefined || fileName === '') return folderPath;
  const suffix = `\\${fileName}`.toLowerCase();
  const unixSuffix = `/${fileName}`.toLowerCase();
  const lower = folderPath.toLowerCase();
  if (lower.endsWith(suffix) || lower.endsWith(unixSuffix)) return folderPath.slice(0, folderPath.length - fileName.length - 1);
  return folderPath;
}

/** `DOMAIN\\name` as telemetry writes it, split the way the Account entity wants it (Name without the domain). */
export function accountParts(name: string, domain: string | undefined): { name: string; domain: string | undefined } {
  const slash = name.indexOf('\\');
  if (slash <= 0) return { name, domain };
  return { name: name.slice(slash + 1), domain: domain ?? name.slice(0, slash) };
}

/** Host entity identifiers from a Defender device name: `wks-7.contoso.local` is host `wks-7` in `contoso.local`. */
export function hostParts(deviceName: string): { hostName: string; dnsDomain: string } {
  const dot = deviceName.indexOf('.');
  return dot <= 0 ? { hostName: deviceName, dnsDomain: '' } : { hostName: deviceName.slice(0, dot), dnsDomain: deviceName.slice(dot + 1) };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** One line for the WhatIsNew custom detail: what this finding adds to the episode. */
export function whatIsNew(source: FindingSource): string {
  const { added } = source;
  const parts = [
    added.reportIds.length > 0 ? plural(added.reportIds.length, 'new report id') : '',
    added.evidence.files.items.length > 0 ? plural(added.evidence.files.items.length, 'new file') : '',
    added.evidence.processes.items.length > 0 ? plural(added.evidence.processes.items.length, 'new process') : '',
    added.evidence.accounts.items.length > 0 ? plural(added.evidence.accounts.items.length, 'new account') : '',
    added.evidence.destinations.items.length > 0 ? plural(added.evidence.destinations.items.length, 'new destination') : '',
  ].filter((part) => part !== '');
  const opening = source.sequence === 0 ? `Episode opened (${source.reason})` : `Update ${source.sequence} (${source.reason})`;
  return fitBytes(parts.length > 0 ? `${opening}: ${parts.join(', ')}` : opening, WHAT_IS_NEW_CHARS, '…');
}

export function buildFindingRecord(source: FindingSource, options: FindingRecordOptions): FindingRecord {
  const { evidence } = source;
  const files = fitList(
    evidence.files.items.map((file) => entity({ SHA1: file.sha1, FileName: file.name, FolderPath: file.path, Directory: directoryOf(file.path, file.name), Signer: file.signer })),
    evidence.files.omitted,
  );
  const processes = fitList(
    evidence.processes.items.map((process) =>
      entity({ FileName: process.name, FolderPath: process.path, SHA1: process.sha1, CommandLine: process.commandLine, ParentFileName: process.parentName, Account: process.account, StartedAt: process.startedAt }),
    ),
    evidence.processes.omitted,
  );
  const accounts = fitList(
    evidence.accounts.items.map((account) => {
      const { name, domain } = accountParts(account.name, account.domain);
      return entity({ Name: name, NTDomain: domain, Upn: account.upn, Sid: account.sid });
    }),
    evidence.accounts.omitted,
  );
  const destinations = fitList(evidence.destinations.items.map((destination) => entity({ IP: destination.ip, Domain: destination.domain, Port: destination.port })), evidence.destinations.omitted);
  const reportIds = source.reportIds.items.slice(-REPORT_IDS_IN_RECORD);
  const { hostName, dnsDomain } = hostParts(source.device.name);
  const portal = trimTrailing(options.defenderPortalUrl, '/');
  return {
    TimeGenerated: options.writtenAt.toISOString(),
    FindingId: source.findingId,
    EpisodeId: source.episodeId,
    Sequence: source.sequence,
    Reason: source.reason,
    PreviousEpisodeId: source.previousEpisodeId ?? '',
    RuleId: source.rule.id,
    RuleName: source.rule.name,
    Severity: source.rule.severity,
    Tactics: source.rule.tactics,
    Techniques: source.rule.techniques,
    Title: fitBytes(source.text.title, ALERT_TITLE_BYTES, '…'),
    Description: fitDescription(source.text.description, ALERT_DESCRIPTION_BYTES, source.findingId),
    UpdateMarkdown: fitBytes(source.text.updateComment ?? '', 60_000, '…'),
    WhatIsNew: whatIsNew(source),
    DeviceId: source.device.id,
    DeviceName: source.device.name,
    HostName: hostName,
    HostDnsDomain: dnsDomain,
    FirstSeen: source.firstSeen.toISOString(),
    LastSeen: source.lastSeen.toISOString(),
    ReportIds: reportIds,
    ReportIdCount: source.reportIds.items.length + source.reportIds.omitted,
    NewReportIds: source.added.reportIds.slice(-REPORT_IDS_IN_RECORD),
    Files: files.items,
    Processes: processes.items,
    Accounts: accounts.items,
    Destinations: destinations.items,
    LeftOut: {
      Files: files.leftOut,
      Processes: processes.leftOut,
      Accounts: accounts.leftOut,
      Destinations: destinations.leftOut,
      ReportIds: source.reportIds.items.length + source.reportIds.omitted - reportIds.length,
    },
    RedFlags: source.redFlags.map((flag) => fitBytes(flag, 500, '…')),
    ContextComplete: source.contextComplete,
    DeviceUrl: `${portal}/machines/${encodeURIComponent(source.device.id)}`,
    HuntingQuery: options.huntingQuery ?? '',
    DeviceCount: 1,
    Devices: [],
    AlertAfter: options.alertAfter.toISOString(),
  };
}
