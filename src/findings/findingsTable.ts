/**
 * The custom table the findings sink writes to, said once: its name, columns, types and what each
 * column means. Everything else derives from it: the local KQL catalogue, the record builder's type,
 * the Logs Ingestion contract server's stream, and the Bicep table and DCR stream declaration (through
 * infra/generated/findingsTable.json, which `npm run gen:infra` writes and a guard test keeps in step).
 *
 * Custom table rules (learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview, "Supported
 * tables"): the name ends in `_CL`; column names start with a letter, up to 45 letters, digits and `_`;
 * `TenantId`, `Type`, `Title`, `id`, `UniqueId`, `_ResourceId` and `_SubscriptionId` are reserved. A table
 * needs a `TimeGenerated` datetime column. Field values over 64 KB are truncated by the service
 * (azure-monitor/fundamentals/service-limits, "Logs Ingestion API"): findingRecord.ts bounds every text.
 */
import type { KqlType, TableSchema } from '../kql/types.js';

export interface FindingsColumn {
  readonly name: string;
  readonly type: Extract<KqlType, 'string' | 'int' | 'long' | 'datetime' | 'dynamic' | 'bool'>;
  readonly description: string;
}

export const FINDINGS_TABLE_NAME = 'AmmyyHunterFindings_CL';

export const FINDINGS_COLUMNS: readonly FindingsColumn[] = [
  { name: 'TimeGenerated', type: 'datetime', description: 'When the hunter wrote the finding.' },
  { name: 'FindingId', type: 'string', description: 'Deterministic id of this finding: the episode id and its update sequence. A record written twice carries the same id.' },
  { name: 'EpisodeId', type: 'string', description: "Id of the device's episode; all findings of one episode group into one incident." },
  { name: 'Sequence', type: 'int', description: '0 for the finding that opened the episode, then 1, 2, ... per update.' },
  { name: 'RuleId', type: 'string', description: 'Id of the hunting rule (rules/*.yaml).' },
  { name: 'RuleName', type: 'string', description: 'Name of the hunting rule.' },
  { name: 'Severity', type: 'string', description: 'High, Medium, Low or Informational.' },
  { name: 'Tactics', type: 'dynamic', description: 'MITRE ATT&CK tactics from the rule file.' },
  { name: 'Techniques', type: 'dynamic', description: 'MITRE ATT&CK techniques from the rule file.' },
  { name: 'Title', type: 'string', description: 'Alert title (at most 256 characters).' },
  { name: 'Description', type: 'string', description: "Alert description: the summary an analyst reads first (at most 5,000 characters)." },
  { name: 'TriageMarkdown', type: 'string', description: "The episode's full triage text so far: evidence, exclusions considered, red flags, checklist, hunting query." },
  { name: 'WhatIsNew', type: 'string', description: 'What this finding adds to the episode (for the first finding: that the episode opened).' },
  { name: 'DeviceId', type: 'string', description: 'Defender for Endpoint device id.' },
  { name: 'DeviceName', type: 'string', description: 'Device name as Defender reports it (often the FQDN).' },
  { name: 'HostName', type: 'string', description: 'DeviceName up to the first dot (Host entity HostName).' },
  { name: 'HostDnsDomain', type: 'string', description: 'DeviceName after the first dot, empty for a bare name (Host entity DnsDomain).' },
  { name: 'FirstSeen', type: 'datetime', description: "First Ammyy signature event of the episode." },
  { name: 'LastSeen', type: 'datetime', description: 'Latest Ammyy signature event of the episode.' },
  { name: 'ReportIds', type: 'dynamic', description: 'Report ids of the episode (bounded; ReportIdCount is the total).' },
  { name: 'ReportIdCount', type: 'long', description: 'How many report ids the episode has in total.' },
  { name: 'NewReportIds', type: 'dynamic', description: 'Report ids first seen in this finding.' },
  { name: 'Files', type: 'dynamic', description: 'Ammyy-signed files: [{ SHA1, FileName, FolderPath, Signer }] (bounded).' },
  { name: 'Processes', type: 'dynamic', description: 'Processes started from them: [{ FileName, FolderPath, CommandLine, ProcessId, CreationTime, ParentFileName, AccountName, AccountDomain }] (bounded).' },
  { name: 'Accounts', type: 'dynamic', description: 'Accounts that ran them: [{ Name, NTDomain, Upn, Sid }] (bounded).' },
  { name: 'Destinations', type: 'dynamic', description: 'Remote endpoints, each as one network event recorded it: [{ IP, Url, Port }] (bounded).' },
  { name: 'LeftOut', type: 'dynamic', description: 'How many items each evidence list and the report ids left out to stay within size limits: { Files, Processes, Accounts, Destinations, ReportIds }.' },
  { name: 'RedFlags', type: 'dynamic', description: 'Red flags in the evidence, one sentence each.' },
  { name: 'DeviceUrl', type: 'string', description: 'The device page in the Defender portal.' },
  { name: 'HuntingQuery', type: 'string', description: 'Advanced hunting query that shows everything Ammyy did on the device.' },
  { name: 'AlertAfter', type: 'datetime', description: 'Earliest time the analytics rule raises the alert: findings are paced so that no rule run has more than it can raise one by one.' },
];

/** The table as the local KQL evaluator sees it (Log Analytics adds TenantId, Type and the like in Azure). */
export const findingsTableSchema: TableSchema = { name: FINDINGS_TABLE_NAME, columns: FINDINGS_COLUMNS.map(({ name, type }) => ({ name, type })) };

/** The Logs Ingestion stream the DCR declares for the table (Custom-<name>; learn.microsoft.com data-collection-rule-structure). */
export const FINDINGS_STREAM_DEFAULT = 'Custom-AmmyyHunterFindings';

export type FindingsColumnName = (typeof FINDINGS_COLUMNS)[number]['name'];
