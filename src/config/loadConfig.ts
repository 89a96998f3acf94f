import { settingsSchema, type Settings } from './settings.js';
import { resolveTableConnection, type TableConnection } from './tableConnection.js';

export interface HunterConfig {
  readonly settings: Settings;
  /** How to reach the state table: a connection string (Azurite, local) or an identity-based endpoint. */
  readonly table: TableConnection;
}

/** All bad settings at once, so an operator fixes them in one pass. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Parses and cross-checks every setting once; throws ConfigError naming every bad one. */
export function loadConfig(env: Env): HunterConfig {
  const values = withoutEmptyValues(env);
  const problems: string[] = [];
  // Each setting on its own, so the cross-checks below still run when another setting is bad:
  // the operator sees every problem in one message, not one round at a time.
  const parsed: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(settingsSchema.shape)) {
    const result = schema.safeParse(values[name]);
    if (result.success) {
      parsed[name] = result.data;
      continue;
    }
    const shown = env[name] === undefined ? 'missing' : `got ${JSON.stringify(env[name])}`;
    for (const issue of result.error.issues) problems.push(`${name}: ${issue.message} (${shown})`);
  }
  const settings = parsed as Partial<Settings>;
  problems.push(...backendProblems(settings, values));
  const table = resolveTableConnection(settings.STATE_TABLE_CONNECTION ?? 'AzureWebJobsStorage', env);
  if (!table.ok) problems.push(table.problem);
  if (problems.length > 0 || !table.ok) throw new ConfigError(problems);
  return { settings: settings as Settings, table: table.connection };
}

/** What the chosen backend and sink need, named when missing (a present but invalid value is reported above). */
function backendProblems(settings: Partial<Settings>, values: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const need = (name: keyof Settings, why: string) => {
    if (values[name] === undefined) problems.push(`${name}: required ${why} (missing)`);
  };
  switch (settings.QUERY_BACKEND) {
    case 'local':
      need('LOCAL_DATA_DIR', 'when QUERY_BACKEND=local');
      break;
    case 'log-analytics':
      need('LOG_ANALYTICS_WORKSPACE_ID', 'when QUERY_BACKEND=log-analytics');
      break;
    case 'defender':
    case undefined:
      break;
  }
  switch (settings.INCIDENT_SINK) {
    case 'sentinel-incidents':
      need('SENTINEL_SUBSCRIPTION_ID', 'when INCIDENT_SINK=sentinel-incidents');
      need('SENTINEL_RESOURCE_GROUP', 'when INCIDENT_SINK=sentinel-incidents');
      need('SENTINEL_WORKSPACE_NAME', 'when INCIDENT_SINK=sentinel-incidents');
      break;
    case 'sentinel-alerts':
      need('LOGS_INGESTION_ENDPOINT', 'when INCIDENT_SINK=sentinel-alerts');
      need('FINDINGS_DCR_IMMUTABLE_ID', 'when INCIDENT_SINK=sentinel-alerts');
      break;
    case 'file':
    case undefined:
      break;
  }
  // The run records' DCR: both or neither (neither: no run records in the workspace).
  if ((values.RUNS_INGESTION_ENDPOINT === undefined) !== (values.RUNS_DCR_IMMUTABLE_ID === undefined)) {
    need('RUNS_INGESTION_ENDPOINT', 'with RUNS_DCR_IMMUTABLE_ID (the run records DCR)');
    need('RUNS_DCR_IMMUTABLE_ID', 'with RUNS_INGESTION_ENDPOINT (the run records DCR)');
  }
  return problems;
}

/** App Service hands unset settings over as empty strings; treat them as absent so defaults apply. */
function withoutEmptyValues(env: Env): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') result[name] = value.trim();
  }
  return result;
}
