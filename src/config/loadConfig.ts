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
  const parsed = settingsSchema.safeParse(withoutEmptyValues(env));
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || '(settings)';
      const shown = env[name] === undefined ? 'missing' : `got ${JSON.stringify(env[name])}`;
      problems.push(`${name}: ${issue.message} (${shown})`);
    }
    throw new ConfigError(problems);
  }
  const settings = parsed.data;
  problems.push(...backendProblems(settings));
  const table = resolveTableConnection(settings.STATE_TABLE_CONNECTION, env);
  if (!table.ok) problems.push(table.problem);
  if (problems.length > 0 || !table.ok) throw new ConfigError(problems);
  return { settings, table: table.connection };
}

/** What the chosen backend and sink need, named when missing. */
function backendProblems(settings: Settings): string[] {
  const problems: string[] = [];
  const need = (name: keyof Settings, why: string) => {
    if (settings[name] === undefined) problems.push(`${name}: required ${why} (missing)`);
  };
  switch (settings.QUERY_BACKEND) {
    case 'local':
      need('LOCAL_DATA_DIR', 'when QUERY_BACKEND=local');
      break;
    case 'log-analytics':
      need('LOG_ANALYTICS_WORKSPACE_ID', 'when QUERY_BACKEND=log-analytics');
      break;
    case 'defender':
      break;
  }
  if (settings.INCIDENT_SINK === 'sentinel') {
    need('SENTINEL_SUBSCRIPTION_ID', 'when INCIDENT_SINK=sentinel');
    need('SENTINEL_RESOURCE_GROUP', 'when INCIDENT_SINK=sentinel');
    need('SENTINEL_WORKSPACE_NAME', 'when INCIDENT_SINK=sentinel');
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
