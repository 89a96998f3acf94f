/**
 * Every app setting the hunter reads, in one zod schema. The Function, the CLI and
 * the tests all go through `loadConfig(env)`; nothing else reads the environment.
 * infra/, local.settings.sample.json and the README settings table list the same names
 * (a guard test keeps them in step).
 */
import * as z from 'zod';
import { ncrontabProblem } from './ncrontab.js';

const booleanSetting = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'TRUE', 'FALSE', 'True', 'False'])
  .transform((value) => ['true', '1', 'yes'].includes(value.toLowerCase()));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
// Tokens, queries with their results, and the links analysts click must not travel in clear text.
const httpsUrl = (fallback: string) => z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).default(fallback);

const ncrontab = z.string().superRefine((value, context) => {
  const problem = ncrontabProblem(value);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

/**
 * Names that become one segment of an ARM path (learn.microsoft.com/azure/azure-resource-manager/management/
 * resource-name-rules): a resource group is 1-90 letters, digits, underscores, hyphens, periods and
 * parentheses, not ending in a period; a Log Analytics workspace 4-63 letters, digits and hyphens, starting
 * and ending with a letter or digit. Anything else (`..`, `/`, `?`) would address another resource or none.
 */
const resourceGroupName = z
  .string()
  .regex(/^[\p{L}\p{N}_().-]{1,90}$/u, 'is not a resource group name: 1-90 letters, digits, _ - . ( )')
  .refine((name) => !name.endsWith('.'), 'is not a resource group name: it cannot end with a period');
/** A DCR's immutable id and a stream it declares, as the Logs Ingestion URI takes them (logs-ingestion-api-overview, "URI"). */
const dcrImmutableId = z.string().regex(/^dcr-[0-9a-f]{32}$/, 'is the DCR immutable id: dcr- and 32 hex digits (the DCR overview page or its immutableId property)');
const streamName = z.string().regex(/^Custom-[A-Za-z0-9_-]+$/, 'is a stream the DCR declares: Custom-<name>');
const workspaceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/, 'is not a workspace name: 4-63 letters, digits and hyphens, starting and ending with a letter or digit');

export const settingsSchema = z.object({
  HUNT_SCHEDULE: ncrontab.default('0 0 * * * *'),
  QUERY_BACKEND: z.enum(['local', 'log-analytics', 'defender']),
  LOCAL_DATA_DIR: z.string().min(1).optional(),
  // The enabled rules: rule files or folders (every rule under it), comma-separated (src/rules/ruleFiles.ts).
  RULE_PATH: z.string().min(1).default('rules/ammyy-file-signature.yaml'),
  EXCLUSIONS_PATH: z.string().min(1).optional(),
  EXCLUSION_WARN_SHARE: z.coerce.number().min(0).max(1).default(0.5),
  // Unset: each context query binds as many devices as the backend's limits allow (src/context/queryBatches.ts).
  CONTEXT_BATCH_SIZE: z.coerce.number().int().positive().optional(),

  STATE_TABLE_NAME: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'Table names are 3-63 letters or digits and start with a letter').default('AmmyyHunterState'),
  STATE_TABLE_CONNECTION: z.string().min(1).default('AzureWebJobsStorage'),
  RUN_REPORT_RETENTION_DAYS: positiveInt(30),

  // Where detections go (docs/incidents.md, "Which sink"): sentinel-alerts writes findings to a custom table
  // through the Logs Ingestion API and an analytics rule raises the alerts; sentinel-incidents writes incidents
  // over ARM (workspaces still in the Azure portal); file writes local files for replays.
  INCIDENT_SINK: z.enum(['sentinel-alerts', 'sentinel-incidents', 'file'], {
    error: (issue) => (issue.input === 'sentinel' ? "'sentinel' was split in two: sentinel-alerts (Defender portal) or sentinel-incidents (Azure portal); see docs/incidents.md" : 'must be sentinel-alerts, sentinel-incidents or file'),
  }).default('sentinel-alerts'),
  INCIDENT_OUT_DIR: z.string().min(1).default('.hunter/out'),
  // INCIDENT_SINK=sentinel-alerts: the data collection rule's logs ingestion endpoint (or a DCE), its immutable
  // id and the stream it declares (learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview, "URI").
  LOGS_INGESTION_ENDPOINT: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  FINDINGS_DCR_IMMUTABLE_ID: dcrImmutableId.optional(),
  FINDINGS_STREAM_NAME: streamName.default('Custom-AmmyyHunterFindings'),
  // The run records (docs/operations.md): one per run to the runs table through its own DCR, whatever the sink.
  // Unset: written to INCIDENT_OUT_DIR/tables with the file sink, otherwise not at all (azd sets both).
  RUNS_INGESTION_ENDPOINT: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  RUNS_DCR_IMMUTABLE_ID: dcrImmutableId.optional(),
  RUNS_STREAM_NAME: streamName.default('Custom-AmmyyHunterRuns'),
  // Azure ids are GUIDs: z.guid() accepts any 8-4-4-4-12 hex form, not only RFC 4122 variants.
  SENTINEL_SUBSCRIPTION_ID: z.guid().optional(),
  SENTINEL_RESOURCE_GROUP: resourceGroupName.optional(),
  SENTINEL_WORKSPACE_NAME: workspaceName.optional(),
  LOG_ANALYTICS_WORKSPACE_ID: z.guid().optional(),
  DRY_RUN: booleanSetting.default(false),
  QUERY_TIMEOUT_SECONDS: positiveInt(180),

  AZURE_CLIENT_ID: z.string().min(1).optional(),
  AZURE_AUTHORITY_HOST: httpsUrl('https://login.microsoftonline.com'),
  RESOURCE_MANAGER_ENDPOINT: httpsUrl('https://management.azure.com'),
  LOG_ANALYTICS_ENDPOINT: httpsUrl('https://api.loganalytics.io'),
  GRAPH_ENDPOINT: httpsUrl('https://graph.microsoft.com'),
  DEFENDER_PORTAL_URL: httpsUrl('https://security.microsoft.com'),
  AZURE_PORTAL_URL: httpsUrl('https://portal.azure.com'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** The names of every setting the schema reads (used by the guard test and the docs). */
export const settingNames = Object.keys(settingsSchema.shape) as (keyof Settings)[];
