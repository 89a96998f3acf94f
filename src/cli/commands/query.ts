import path from 'node:path';
import { ExitCode, UsageError, formatOption, parseCommandLine, type Command } from '../command.js';
import { formatTable } from '../format.js';
import { replayNow } from '../replayClock.js';
import { dataDirArgument, fileArgument } from '../pathArguments.js';
import { reportRuleProblems } from '../ruleCheck.js';
import { loadRule } from '../../rules/load.js';
import { evaluate, formatValueForJson, KqlError } from '../../kql/index.js';
import { openDataDir } from '../../data/index.js';
import { localCatalogue } from '../../adapters/local/localCatalogue.js';

const help = `hunter query --data DIR (--rule FILE | --kql TEXT) [--now ISO] [--format json|table]

Runs KQL over the tables in DIR (<Table>.jsonl, .json or .csv) with the local evaluator.
  --data DIR      folder with one file per table
  --rule FILE     run the query of this rule YAML (its own let statements, now() = --now)
  --kql TEXT      run this KQL instead
  --now ISO       the instant now() returns (default: DIR/replay.json "now", else the current time)
  --format F      json: an array of row objects (datetimes ISO-8601 UTC); table (default)
Exit codes: 0 ok, 1 KQL or data error (printed with line:col), 2 usage error.`;

const options = { data: { type: 'string' }, rule: { type: 'string' }, kql: { type: 'string' }, now: { type: 'string' }, format: { type: 'string', default: 'table' } } as const;

export const queryCommand: Command = {
  help,
  options,
  async run(args, io) {
    const { values } = parseCommandLine(args, options);
    if ((values.rule === undefined) === (values.kql === undefined)) throw new UsageError('give exactly one of --rule FILE or --kql TEXT');
    const format = formatOption(values.format, ['json', 'table']);
    const dataDir = dataDirArgument(values.data, io.cwd);
    const ruleFile = values.rule === undefined ? undefined : fileArgument('--rule', values.rule, io.cwd);
    if (ruleFile !== undefined && reportRuleProblems(ruleFile, io)) return ExitCode.problems;
    const query = ruleFile !== undefined ? loadRule(ruleFile).query : (values.kql as string);
    const now = replayNow(values.now, dataDir);
    try {
      const result = await evaluate(query, { tables: openDataDir(dataDir, localCatalogue), now });
      if (format === 'json') {
        const rows = result.rows.map((row) => Object.fromEntries(result.columns.map((column) => [column.name, formatValueForJson(row[column.name], column.type)])));
        io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      } else {
        const names = result.columns.map((column) => column.name);
        io.stdout.write(formatTable(names, result.rows.map((row) => names.map((name) => row[name]))) + `\n(${result.rows.length} rows)\n`);
      }
      // what the query asked for that the local engine does not do (render), on stderr so JSON stays JSON
      for (const note of result.notes ?? []) io.stderr.write(`note: ${note}\n`);
      return ExitCode.ok;
    } catch (error) {
      if (error instanceof KqlError) {
        io.stderr.write(`${values.rule === undefined ? '--kql' : `${values.rule} (query)`}: ${error.format()}\n`);
        return ExitCode.problems;
      }
      throw error;
    }
  },
};
