import path from 'node:path';
import { LocalKqlBackend } from '../../adapters/local/localKqlBackend.js';
import { localCatalogue } from '../../adapters/local/localCatalogue.js';
import { DataFileError, openDataDir } from '../../data/index.js';
import { ExclusionFileError, loadExclusionsFile } from '../../exclusions/index.js';
import { runExclusionTrial, type ExclusionTrialReport } from '../../exclusions/trial.js';
import { KqlError } from '../../kql/index.js';
import { loadRule } from '../../rules/load.js';
import { RuleError } from '../../rules/ruleError.js';
import { fixedClock } from '../../runtime/clock.js';
import { lineLogger } from '../../runtime/logger.js';
import { ExitCode, UsageError, formatOption, parseCommandLine, type Command } from '../command.js';
import { formatTable } from '../format.js';
import { replayNow } from '../replayClock.js';
import { dataDirArgument, fileArgument } from '../pathArguments.js';
import { cliDefaults } from '../replaySettings.js';
import { planWindow } from '../../core/window.js';

const help = `hunter exclusions test --data DIR [options]

Shows what each exclusion would suppress on exported data, before you deploy a change: runs the
rule's hunt query and its context query with the local evaluator over DIR, then the exclusions.
Disabled and expired entries are judged as if enabled ("alone" column) but suppress nothing.
  --data DIR          folder with one file per table (<Table>.jsonl, .json or .csv); IdentityInfo
                      may carry Sentinel's GroupMembership, AccountUPN and TimeGenerated columns
  --now ISO           the instant the run treats as now (default: DIR/replay.json "now", else the current time)
  --exclusions FILE   exclusions YAML (default config/exclusions.sample.yaml)
  --rule FILE         rule YAML (default ${cliDefaults.rulePath}, with the context query it names)
  --warn-share N      warn when one exclusion suppresses more than this share of hits (default 0.5)
  --format F          table (default) or json
Exit codes: 0 ok, 1 invalid exclusion file, rule, data or KQL (printed with its location), 2 usage error.`;

const options = {
  data: { type: 'string' },
  now: { type: 'string' },
  exclusions: { type: 'string', default: 'config/exclusions.sample.yaml' },
  rule: { type: 'string', default: cliDefaults.rulePath },
  'warn-share': { type: 'string', default: String(cliDefaults.exclusionWarnShare) },
  format: { type: 'string', default: 'table' },
} as const;

export const exclusionsCommand: Command = {
  help,
  options,
  async run(args, io) {
    const [subcommand, ...rest] = args;
    if (subcommand !== 'test') throw new UsageError(`expected \`hunter exclusions test\` (got ${subcommand === undefined ? 'nothing' : JSON.stringify(subcommand)})`);
    const { values } = parseCommandLine(rest, options);
    const format = formatOption(values.format, ['json', 'table']);
    const warnShare = Number(values['warn-share']);
    if (!(warnShare >= 0 && warnShare <= 1)) throw new UsageError(`--warn-share must be a number from 0 to 1 (got ${values['warn-share']})`);
    const exclusionsFile = fileArgument('--exclusions', values.exclusions, io.cwd);
    const ruleFile = fileArgument('--rule', values.rule, io.cwd);
    const dataDir = dataDirArgument(values.data, io.cwd);
    const now = replayNow(values.now, dataDir);

    let report: ExclusionTrialReport;
    try {
      const { exclusions } = await loadExclusionsFile(exclusionsFile);
      const rule = loadRule(ruleFile);
      const tables = openDataDir(dataDir, localCatalogue);
      report = await runExclusionTrial({
        rule,
        backend: new LocalKqlBackend(tables, fixedClock(now)),
        entries: exclusions,
        // The first-run window of a replay, so both commands judge the same events.
        window: planWindow({ now, watermark: undefined, queryPeriodMs: rule.queryPeriodMs, queryFrequencyMs: rule.queryFrequencyMs, config: rule.window, backendMaxLookbackMs: undefined }).window,
        now,
        warnShare,
        logger: lineLogger((line) => io.stderr.write(line + '\n')),
      });
    } catch (error) {
      if (error instanceof ExclusionFileError || error instanceof DataFileError || error instanceof RuleError) {
        io.stderr.write(error.message + '\n');
        return ExitCode.problems;
      }
      if (error instanceof KqlError) {
        io.stderr.write(`${values.rule}: ${error.format()}\n`);
        return ExitCode.problems;
      }
      throw error;
    }
    io.stdout.write((format === 'json' ? JSON.stringify(toJson(report), null, 2) : describe(report)) + '\n');
    return ExitCode.ok;
  },
};

function describe(report: ExclusionTrialReport): string {
  const exclusions = formatTable(
    ['exclusion', 'status', 'activities', 'suppresses', 'alone would suppress'],
    report.exclusions.map((exclusion) => [
      exclusion.id,
      exclusion.status,
      exclusion.matchedActivities,
      exclusion.suppressedDevices.join(', ') || '-',
      exclusion.suppressesAlone.join(', ') || '-',
    ]),
  );
  const hits = formatTable(
    ['device', 'activities', 'outcome', 'matched by'],
    report.hits.map(({ hit, context, verdict }) => [
      hit.deviceName,
      context === undefined ? 'no context' : context.activities.length,
      verdict.suppressed ? 'suppressed' : 'raised',
      verdict.matches.map((match) => `${match.exclusionId} (${match.activityIds.length})`).join(', ') || '-',
    ]),
  );
  const suppressed = report.hits.filter(({ verdict }) => verdict.suppressed).length;
  const lines = [
    `window ${report.window.start.toISOString()} .. ${report.window.end.toISOString()}: ${report.hits.length} hits, ${suppressed} suppressed, ${report.hits.length - suppressed} raised`,
    '',
    exclusions,
    '',
    hits,
  ];
  if (report.warnings.length > 0) lines.push('', ...report.warnings.map((warning) => `warning: ${warning}`));
  return lines.join('\n');
}

function toJson(report: ExclusionTrialReport): unknown {
  return {
    window: { start: report.window.start.toISOString(), end: report.window.end.toISOString() },
    exclusions: report.exclusions,
    hits: report.hits.map(({ hit, context, verdict }) => ({
      deviceId: hit.deviceId,
      deviceName: hit.deviceName,
      suppressed: verdict.suppressed,
      matches: verdict.matches,
      activities: context?.activities.map((activity) => ({ id: activity.id, timestamp: activity.timestamp?.toISOString() ?? null, fields: activity.fields })) ?? null,
    })),
    warnings: report.warnings,
  };
}
