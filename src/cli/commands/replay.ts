import { rmSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, UsageError, formatOption, parseCommandLine, type Command } from '../command.js';
import { printRuns, runOnceWithProgress } from '../runReportText.js';
import { describeFindings, markFindings, replayFindings } from '../replayAlerts.js';
import { FINDINGS_TABLE_NAME } from '../../findings/findingsTable.js';
import { replayNow } from '../replayClock.js';
import { dataDirArgument, fileArgument, ruleListArgument } from '../pathArguments.js';
import { cliDefaults, localReplaySettings } from '../replaySettings.js';
import { reportRuleProblems } from '../ruleCheck.js';
import { loadConfig } from '../../config/loadConfig.js';
import { fixedClock } from '../../runtime/clock.js';
import { openLocalState } from '../localState.js';

const help = `hunter replay --data DIR [options]

Runs the whole hunt pipeline locally, exactly as the Function does: the rule's KQL through the
local evaluator over DIR, context and exclusions, dedupe state in a local Azurite table service
(started on a free loopback port and persisted), incidents written to files.
  --data DIR          folder with one file per table (<Table>.jsonl, .json or .csv)
  --now ISO           the instant the run treats as now (default: DIR/replay.json "now", else the current time)
  --rule PATH         rule YAML, or a folder of them (every rule under it), or a comma-separated list
                      of both (default ${cliDefaults.rulePath})
  --exclusions FILE   exclusions YAML (default: none, nothing is excluded)
  --state DIR         where Azurite keeps the dedupe state (default ${cliDefaults.stateDir}); a new or
                      empty folder, which the hunter marks as its own; one hunter process at a time
  --fresh             forget the state and the incidents of earlier replays first (deletes only
                      what the hunter wrote: the state in a marked folder, the --out incident files)
  --out DIR           incidents.jsonl, comments.jsonl and the findings table tables/${FINDINGS_TABLE_NAME}.jsonl
                      go here (default ${cliDefaults.outDir})
  --format F          table (default): the incidents, the findings written and the alerts the analytics rule
                      would raise for them, with their entities; json: the run report as one JSON object (with
                      several rules { "runs": [run reports] }), with "findings" (the table file, how many
                      of each kind) and "alerts"
Run it again with the same --state: devices already reported raise nothing new.
Exit codes: 0 ok, 1 the run failed (the report says why), 2 usage error.`;

const options = {
  data: { type: 'string' },
  now: { type: 'string' },
  rule: { type: 'string', default: cliDefaults.rulePath },
  exclusions: { type: 'string' },
  state: { type: 'string', default: cliDefaults.stateDir },
  fresh: { type: 'boolean', default: false },
  out: { type: 'string', default: cliDefaults.outDir },
  format: { type: 'string', default: 'table' },
} as const;

export const replayCommand: Command = {
  help,
  options,
  async run(args, io) {
    const { values } = parseCommandLine(args, options);
    const format = formatOption(values.format, ['json', 'table']);
    const fromCwd = (file: string) => path.resolve(io.cwd, file);
    const dataDir = dataDirArgument(values.data, io.cwd);
    const now = replayNow(values.now, dataDir);
    // Rule problems are reported with their place in the YAML file before anything starts.
    const ruleFiles = ruleListArgument('--rule', values.rule, io.cwd);
    const exclusionsFile = values.exclusions === undefined ? undefined : fileArgument('--exclusions', values.exclusions, io.cwd);
    if (ruleFiles.map((file) => reportRuleProblems(file, io)).some(Boolean)) return ExitCode.problems;
    const warn = (message: string) => io.stderr.write(`hunter replay: ${message}\n`);
    const state = await openLocalState(fromCwd(values.state), { mode: 'replay', fresh: values.fresh, command: 'hunter replay', warn });
    try {
      if (values.fresh) for (const file of ['incidents.jsonl', 'comments.jsonl', path.join('tables', `${FINDINGS_TABLE_NAME}.jsonl`)]) rmSync(path.join(fromCwd(values.out), file), { force: true });
      const findingsBefore = markFindings(fromCwd(values.out));
      const config = loadConfig(
        localReplaySettings({
          tableConnectionString: state.connectionString,
          dataDir,
          rulePath: ruleFiles.join(','),
          exclusionsPath: exclusionsFile,
          outDir: fromCwd(values.out),
        }),
      );
      let runs;
      try {
        runs = await runOnceWithProgress(config, { clock: fixedClock(now), appRoot: io.cwd }, io.stderr);
      } catch (error) {
        throw (await state.stoppedError(error)) ?? error;
      }
      const incidentsFile = path.join(fromCwd(values.out), 'incidents.jsonl');
      // The findings this run wrote, and what the analytics rule (sentinel-alerts) would raise for them.
      const findings = await replayFindings(findingsBefore, { now });
      const extra = { findings: { file: findings.file, written: findings.written, crowdedRuns: findings.crowdedRuns }, alerts: findings.alerts };
      const code = printRuns(runs, format, io, 'hunter replay', { incidentsFile, extra, trailer: describeFindings(findings) });
      if (code === ExitCode.ok) {
        // Only a clean close of the emulator puts its last acknowledged writes on disk.
        const unsaved = await state.close();
        if (unsaved === undefined) return ExitCode.ok;
        io.stderr.write(`hunter replay: ${unsaved.message}\n`);
        return ExitCode.problems;
      }
      const stopped = await state.stoppedError();
      if (stopped) io.stderr.write(`hunter replay: ${stopped.message}\n`);
      return code;
    } finally {
      await state.close();
    }
  },
};
