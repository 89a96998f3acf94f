/**
 * The settings a local replay runs with, in one place: `hunter replay` builds the hunter from them
 * and `hunter state` / `hunter runs` open the same table with them. Defaults come from the settings
 * schema itself, so the CLI and the Function cannot drift apart.
 */
import { settingsSchema } from '../config/settings.js';

export const cliDefaults = {
  rulePath: settingsSchema.shape.RULE_PATH.parse(undefined),
  outDir: settingsSchema.shape.INCIDENT_OUT_DIR.parse(undefined),
  stateDir: '.hunter/state',
  exclusionWarnShare: settingsSchema.shape.EXCLUSION_WARN_SHARE.parse(undefined),
} as const;

export interface LocalSettingsInput {
  /** Connection string of the local Azurite that holds the state. */
  readonly tableConnectionString: string;
  readonly dataDir: string;
  readonly rulePath?: string;
  readonly exclusionsPath?: string | undefined;
  readonly outDir?: string;
}

/** App settings for the local backend, the file sink and state in a local Azurite. */
export function localReplaySettings(input: LocalSettingsInput): Record<string, string | undefined> {
  return {
    QUERY_BACKEND: 'local',
    LOCAL_DATA_DIR: input.dataDir,
    RULE_PATH: input.rulePath,
    EXCLUSIONS_PATH: input.exclusionsPath,
    INCIDENT_SINK: 'file',
    INCIDENT_OUT_DIR: input.outDir,
    AzureWebJobsStorage: input.tableConnectionString,
  };
}
