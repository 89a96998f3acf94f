/**
 * Opens the dedupe state the way `hunter replay` does, for `hunter state` and `hunter runs`:
 * the local Azurite persisted under `--state DIR` (default .hunter/state), or with `--azure`
 * the real state table the Function's settings name (STATE_TABLE_NAME, STATE_TABLE_CONNECTION).
 */
import path from 'node:path';
import type { TableClient } from '@azure/data-tables';
import { UsageError } from '../command.js';
import { cliDefaults, localReplaySettings } from '../replaySettings.js';
import { CallLog } from '../../adapters/callLog.js';
import { stateTableClient } from '../../compose/stateStore.js';
import { createCredentialFactory } from '../../compose/credential.js';
import { loadConfig, type HunterConfig } from '../../config/loadConfig.js';
import { TableStateStore } from '../../adapters/table/tableStateStore.js';
import { openLocalState } from '../localState.js';
import { detectionGroupOf } from '../../core/detectionGroup.js';
import { loadRule } from '../../rules/load.js';
import { fileArgument } from '../pathArguments.js';

const DEFAULT_STATE_DIR = cliDefaults.stateDir;
const DEFAULT_RULE_PATH = cliDefaults.rulePath;

export interface CliStateOptions {
  /** Azurite data directory for local state; ignored with `azure`. */
  readonly stateDir: string;
  /** Use the state table from the Function's settings (`env`) instead of local Azurite. */
  readonly azure: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** e.g. `hunter state reset`: named to another process that finds the folder in use. */
  readonly command: string;
  readonly warn: (message: string) => void;
}

export interface CliStateStore {
  readonly store: TableStateStore;
  /** Where the state lives, for messages. */
  readonly where: string;
  close(): Promise<void>;
}

/** The state table the settings name, reached exactly the way the Function reaches it. */
function settingsTableClient(config: HunterConfig): TableClient {
  return stateTableClient(config, { credentials: createCredentialFactory(config.settings), pipelineOptions: undefined, callLog: new CallLog() });
}

export async function openStateStoreForCli(options: CliStateOptions): Promise<CliStateStore> {
  if (options.azure) {
    // Only the state table's settings matter here: the backend and sink settings are pinned
    // so an operator needs nothing but STATE_TABLE_* and the connection in the environment.
    const config: HunterConfig = loadConfig({ ...options.env, QUERY_BACKEND: 'local', LOCAL_DATA_DIR: options.cwd, INCIDENT_SINK: 'file' });
    const store = await TableStateStore.open(settingsTableClient(config));
    return { store, where: `table ${config.settings.STATE_TABLE_NAME} (${config.settings.STATE_TABLE_CONNECTION})`, close: async () => undefined };
  }
  const stateDir = path.resolve(options.cwd, options.stateDir);
  // Reading must not invent an empty store (a mistyped --state would look like "no state yet"):
  // openLocalState refuses a folder without state.
  const state = await openLocalState(stateDir, { mode: 'read', command: options.command, warn: options.warn });
  try {
    // The same settings `hunter replay` builds, so both open the same table.
    const config = loadConfig(localReplaySettings({ tableConnectionString: state.connectionString, dataDir: options.cwd }));
    const store = await TableStateStore.open(settingsTableClient(config));
    const close = async () => {
      const unsaved = await state.close();
      if (unsaved) options.warn(unsaved.message);
    };
    return { store, where: `local state in ${stateDir}`, close };
  } catch (error) {
    await state.close();
    throw error;
  }
}

/** `--rule-id` wins; otherwise the id of the rule file (default the seed rule). */
export function ruleIdFor(values: { readonly rule?: string | undefined; readonly 'rule-id'?: string | undefined }, cwd: string): string {
  return ruleKeysFor(values, cwd).ruleId;
}

/** The rule's id and its detection group (devices are kept per group; `--rule-id` names a rule that is its own group). */
export function ruleKeysFor(values: { readonly rule?: string | undefined; readonly 'rule-id'?: string | undefined }, cwd: string): { readonly ruleId: string; readonly groupId: string } {
  if (values['rule-id']) return { ruleId: values['rule-id'], groupId: values['rule-id'] };
  const rule = loadRule(fileArgument('--rule', values.rule ?? DEFAULT_RULE_PATH, cwd));
  return { ruleId: rule.id, groupId: detectionGroupOf(rule) };
}

export const stateLocationHelp = `  --rule FILE     the rule whose state to read (default ${DEFAULT_RULE_PATH})
  --rule-id ID    the rule by its id instead (no rule file needed)
  --state DIR     local state kept by \`hunter replay\` (default ${DEFAULT_STATE_DIR})
  --azure         the Function's state table instead, from the settings in the environment
                  (STATE_TABLE_NAME, STATE_TABLE_CONNECTION and its connection)`;

export const stateLocationOptions = {
  rule: { type: 'string' },
  'rule-id': { type: 'string' },
  state: { type: 'string', default: DEFAULT_STATE_DIR },
  azure: { type: 'boolean', default: false },
  format: { type: 'string', default: 'table' },
} as const;
