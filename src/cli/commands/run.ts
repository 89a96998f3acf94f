/**
 * `hunter run`: one hunt against Azure with exactly the Function's settings, for manual runs and
 * smoke tests after a deployment. Settings come from the environment, with local.settings.json's
 * `Values` underneath (the environment wins, as in the Functions host).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, UsageError, formatOption, parseCommandLine, type Command } from '../command.js';
import { loadConfig } from '../../config/loadConfig.js';
import { printRuns, runOnceWithProgress } from '../runReportText.js';
import { systemClock } from '../../runtime/clock.js';

const help = `hunter run [options]

Runs the hunt of each enabled rule (RULE_PATH) once, exactly as the deployed Function does: the
configured backend (Log Analytics or Defender XDR), exclusions, dedupe state and incident sink,
with the same settings.
Settings: the environment, over the "Values" of local.settings.json (the environment wins).
Identity: DefaultAzureCredential (az login, VS Code, managed identity; AZURE_CLIENT_ID for a user-assigned one).
  --settings FILE   local.settings.json to read (default: ./local.settings.json if present)
  --dry-run         log what would be written to Sentinel and write nothing (same as DRY_RUN=true)
  --format F        summary (default) or json (the whole run report; with several rules { runs: [...] })
Exit codes: 0 ok, 1 the run failed (the report says why) or a setting is wrong (the message names it),
2 usage error (an unknown option, a --settings file that does not exist).`;

type Env = Readonly<Record<string, string | undefined>>;

/** local.settings.json's Values, or nothing when the file is absent and was not asked for. */
export function readLocalSettings(file: string, required: boolean): Env {
  if (!existsSync(file)) {
    if (required) throw new UsageError(`settings file not found: ${file}`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const values = (parsed as { Values?: unknown }).Values;
  if (values === undefined) return {};
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new Error(`${file}: "Values" must be an object of settings`);
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value === null || value === undefined ? undefined : String(value)]));
}

const options = {
  settings: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  format: { type: 'string', default: 'summary' },
} as const;

export const runCommand: Command = {
  help,
  options,
  async run(args, io) {
    const { values } = parseCommandLine(args, options);
    const format = formatOption(values.format, ['summary', 'json']);
    const settingsFile = path.resolve(io.cwd, values.settings ?? 'local.settings.json');
    const env: Env = {
      ...readLocalSettings(settingsFile, values.settings !== undefined),
      ...io.env,
      ...(values['dry-run'] ? { DRY_RUN: 'true' } : {}),
    };
    let config;
    try {
      config = loadConfig(env);
    } catch (error) {
      io.stderr.write(`hunter run: ${(error as Error).message}\n`);
      return ExitCode.problems;
    }
    const runs = await runOnceWithProgress(config, { clock: systemClock, appRoot: io.cwd }, io.stderr);
    return printRuns(runs, format === 'json' ? 'json' : 'table', io, 'hunter run');
  },
};
