/**
 * The custom table the findings sink writes to, said once: its name, columns, types and what each
 * column means. Everything else derives from it: the local KQL catalogue, the record builder's type,
 * the Logs Ingestion contract server's stream, and the Bicep table and DCR stream declaration (through
 * infra/generated/findingsTable.json, which `npm run gen:infra` writes and a guard test keeps in step).
 *
 * The custom table rules it follows are in src/workspace/customTable.ts. Field values over 64 KB are truncated by the service
 * (azure-monitor/fundamentals/service-limits, "Logs Ingestion API"): findingRecord.ts keeps every field under it.
 */
import type { TableSchema } from '../kql/types.js';
import { customTableSchema, localCustomTableSchema, type CustomTable, type CustomTableColumn } from '../workspace/customTable.js';

export const FINDINGS_TABLE_NAME = 'AmmyyHunterFindings_CL';
/** The Logs Ingestion stream the DCR declares for the table (Custom-<name>; learn.microsoft.com data-collection-rule-structure). */
export const FINDINGS_STREAM_DEFAULT = 'Custom-AmmyyHunterFindings';
/** Days the findings stay queryable: as long as Sentinel keeps an incident investigable (sentinel-service-limits: 90 days). */
export const FINDINGS_RETENTION_DAYS = 90;

export const FINDINGS_COLUMNS: readonly CustomTableColumn[] = [
  { name: 'TimeGenerated', type: 'datetime', description: 'When the hunter wrote the finding.' },
  { name: 'FindingId', type: 'string', description: 'Deterministic id of this finding: the episode id and its update sequence. A record written twice carries the same id.' },
  { name: 'EpisodeId', type: 'string', description: "Id of the device's episode; all findings of one episode group into one incident." },
  { name: 'Sequence', type: 'int', description: '0 for the finding that opened the episode, then 1, 2, ... per update.' },
  { name: 'Reason', type: 'string', description: 'Why it was written: newDevice, update, contextArrived, a new episode after closed, lookbackExpired or incidentMissing; massDeployment for the finding that announces a run with more devices than one analytics rule run raises.' },
  { name: 'PreviousEpisodeId', type: 'string', description: "The device's previous episode, if any." },
  { name: 'RuleId', type: 'string', description: 'Id of the hunting rule (rules/*.yaml).' },
  { name: 'RuleName', type: 'string', description: 'Name of the hunting rule.' },
  { name: 'Severity', type: 'string', description: 'High, Medium, Low or Informational.' },
  { name: 'Tactics', type: 'dynamic', description: 'MITRE ATT&CK tactics from the rule file.' },
  { name: 'Techniques', type: 'dynamic', description: 'MITRE ATT&CK techniques from the rule file.' },
  { name: 'Title', type: 'string', description: 'Alert title (at most 256 bytes).' },
  { name: 'Description', type: 'string', description: "Alert description: the episode's triage text so far, Markdown, at most 5 KB." },
  { name: 'UpdateMarkdown', type: 'string', description: 'For an update: what is new since the previous finding of the episode, Markdown.' },
  { name: 'WhatIsNew', type: 'string', description: 'One line: what this finding adds to the episode.' },
  { name: 'DeviceId', type: 'string', description: 'Defender for Endpoint device id.' },
  { name: 'DeviceName', type: 'string', description: 'Device name as Defender reports it (often the FQDN).' },
  { name: 'HostName', type: 'string', description: 'DeviceName up to the first dot (Host entity HostName).' },
  { name: 'HostDnsDomain', type: 'string', description: 'DeviceName after the first dot, empty for a bare name (Host entity DnsDomain).' },
  { name: 'FirstSeen', type: 'datetime', description: 'First event of the episode the hunt matched.' },
  { name: 'LastSeen', type: 'datetime', description: 'Latest event of the episode the hunt matched.' },
  { name: 'ReportIds', type: 'dynamic', description: 'The episode\'s most recent report ids (at most 20; ReportIdCount is the total).' },
  { name: 'ReportIdCount', type: 'long', description: 'How many report ids the episode has in total.' },
  { name: 'NewReportIds', type: 'dynamic', description: 'Report ids this finding adds (at most 20).' },
  { name: 'Files', type: 'dynamic', description: 'Files of the detected tool: [{ SHA1, FileName, FolderPath (as Defender gives it, with the file name), Directory (without), Signer }].' },
  { name: 'Processes', type: 'dynamic', description: 'Processes started from them: [{ FileName, FolderPath, SHA1, CommandLine, ParentFileName, Account, StartedAt }].' },
  { name: 'Accounts', type: 'dynamic', description: 'Accounts that ran them: [{ Name (without the domain), NTDomain, Upn, Sid }].' },
  { name: 'Destinations', type: 'dynamic', description: 'Remote endpoints, each as one network event recorded it: [{ IP, Domain, Port }].' },
  { name: 'LeftOut', type: 'dynamic', description: 'How many items each list left out to stay within size limits: { Files, Processes, Accounts, Destinations, ReportIds }.' },
  { name: 'RedFlags', type: 'dynamic', description: 'Red flags in the evidence, one sentence each.' },
  { name: 'ContextComplete', type: 'bool', description: 'False while the context query failed or found nothing for the device: the evidence lists may be incomplete and the hunter retries.' },
  { name: 'DeviceUrl', type: 'string', description: 'The device page in the Defender portal.' },
  { name: 'HuntingQuery', type: 'string', description: "The rule's device query bound to this device: an advanced hunting query that shows everything the detected tool did on it." },
  { name: 'DeviceCount', type: 'long', description: '1 for a device finding; for a mass deployment finding (Reason massDeployment), how many devices the hunter run has found so far.' },
  { name: 'Devices', type: 'dynamic', description: 'Mass deployment finding only: the devices found so far, [{ DeviceName, DeviceId }] (bounded; DeviceCount is the total, HuntingQuery lists them all).' },
  { name: 'AlertAfter', type: 'datetime', description: 'Earliest time the analytics rule raises the alert: findings are paced so that no rule run has more than it can raise one by one.' },
];

export const FINDINGS_TABLE: CustomTable = {
  name: FINDINGS_TABLE_NAME,
  description: 'ammyy-hunter findings: one record per new or updated device episode (docs/incidents.md).',
  retentionInDays: FINDINGS_RETENTION_DAYS,
  streamName: FINDINGS_STREAM_DEFAULT,
  columns: FINDINGS_COLUMNS,
};

/** The table as its columns declare it (Kusto.Language checks the analytics rule's query against this). */
export const findingsTableSchema: TableSchema = customTableSchema(FINDINGS_TABLE);

/**
 * The table as local data holds it: its columns and `_TimeReceived`, the Log Analytics standard column that a
 * workspace export carries and the findings file sink writes; the local evaluator reads it as ingestion_time().
 */
export const localFindingsTableSchema: TableSchema = localCustomTableSchema(FINDINGS_TABLE);
