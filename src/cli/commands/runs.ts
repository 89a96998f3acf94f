/**
 * `hunter runs`: the most recent runs of a rule as run records, the shape the workspace's AmmyyHunterRuns_CL holds
 * and the health rule and workbook read (src/health/runsTable.ts). Locally they are the records `hunter replay` and
 * the file sink wrote (`<out>/tables/AmmyyHunterRuns_CL.jsonl`), read with the local evaluator, as the workbook
 * reads them. With --azure they are the run reports the Function keeps in its state table, turned into records by
 * the same builder: reading them needs only the state table's rights, not a query right on the workspace (and a
 * run that failed before it had a report is only in the workspace's table).
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { ExitCode, UsageError, formatOption, parseCommandLine, type CliIo, type Command } from '../command.js';
import { formatTable } from '../format.js';
import { cliDefaults } from '../replaySettings.js';
import { ruleListArgument } from '../pathArguments.js';
import { openStateStoreForCli, ruleIdFor } from './stateStoreForCli.js';
import { LocalTableFile, tablesDir } from '../../adapters/local/tableFile.js';
import { localCatalogue } from '../../adapters/local/localCatalogue.js';
import { openDataDir } from '../../data/index.js';
import { evaluate, kqlString, INGESTION_TIME_COLUMN } from '../../kql/index.js';
import { RUNS_TABLE_NAME } from '../../health/runsTable.js';
import { runRecordFromReport, UNKNOWN_RULE, type RunRecord } from '../../health/runRecord.js';
import { loadRule } from '../../rules/load.js';
import { recordContext } from '../../compose/runRecords.js';
import { describeDuration } from '../../core/duration.js';
import { isPackLoadWarning } from '../../core/schedule.js';

const help = `hunter runs [options]

Lists the most recent runs of a rule, newest first, as run records: the columns the workspace's
${RUNS_TABLE_NAME} holds, which the health alert and the workbook read (docs/operations.md).
  --out DIR       the records \`hunter replay\` (the file sink) wrote: DIR/tables/${RUNS_TABLE_NAME}.jsonl
                  (default ${cliDefaults.outDir}); runs that failed before reading a rule are listed too
  --azure         the Function's run reports in its state table instead (STATE_TABLE_NAME,
                  STATE_TABLE_CONNECTION and its connection from the environment), kept
                  RUN_REPORT_RETENTION_DAYS days
  --rule PATH     the rule whose runs to list (default ${cliDefaults.rulePath}); a folder or a
                  comma-separated list of rules (as RULE_PATH, e.g. rules/rmm) lists the newest run of each
  --rule-id ID    or the rule's id, without its file
  --limit N       how many (default 20)
  --format F      table (default) or json (the records)
Dry runs write no record.
Exit codes: 0 ok, 1 storage error, 2 usage error.`;

const options = {
  out: { type: 'string' },
  azure: { type: 'boolean', default: false },
  rule: { type: 'string' },
  'rule-id': { type: 'string' },
  limit: { type: 'string', default: '20' },
  format: { type: 'string', default: 'table' },
} as const;

export const runsCommand: Command = {
  help,
  options,
  async run(args: readonly string[], io: CliIo) {
    const { values } = parseCommandLine(args, options);
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit must be a whole number from 1 to 1000 (got ${values.limit})`);
    const format = formatOption(values.format, ['json', 'table']);
    if (values.azure && values.out !== undefined) throw new UsageError('--out and --azure are two places to read from: give one');
    const ruleFiles = values.rule === undefined ? [] : ruleListArgument('--rule', values.rule, io.cwd);
    if (ruleFiles.length > 1) return listNewestRuns(ruleFiles, { azure: values.azure, out: values.out, format }, io);
    const ruleId = ruleIdFor(values, io.cwd);
    const { records, where } = values.azure ? await fromStateTable(ruleId, values.rule, limit, io) : await fromRecordsFile(ruleId, path.resolve(io.cwd, values.out ?? cliDefaults.outDir), limit);
    if (format === 'json') {
      io.stdout.write(JSON.stringify(records, null, 2) + '\n');
      return ExitCode.ok;
    }
    io.stdout.write(describeRuns(ruleId, where, records) + '\n');
    return ExitCode.ok;
  },
};

/** Several rules (the pack): the newest run of each, one line per rule, so a rule that fails or never ran stands out. */
async function listNewestRuns(ruleFiles: readonly string[], options: { azure: boolean; out: string | undefined; format: 'json' | 'table' }, io: CliIo): Promise<ExitCode> {
  const newest: { rule: string; record: RunRecord | undefined }[] = [];
  let where = '';
  for (const file of ruleFiles) {
    const rule = loadRule(file);
    const found = options.azure ? await fromStateTable(rule.id, file, 1, io) : await fromRecordsFile(rule.id, path.resolve(io.cwd, options.out ?? cliDefaults.outDir), 1);
    where = found.where;
    newest.push({ rule: rule.name, record: found.records.find((record) => record.RuleId === rule.id) });
  }
  if (options.format === 'json') {
    io.stdout.write(JSON.stringify(newest.map(({ rule, record }) => ({ rule, record: record ?? null })), null, 2) + '\n');
    return ExitCode.ok;
  }
  const ran = newest.filter((entry) => entry.record !== undefined).length;
  const rows = newest.map(({ rule, record }) =>
    record === undefined
      ? [rule, 'never ran', '', '', '', '', '', '', '', '']
      : [rule, record.Status, record.TimeGenerated, record.Hits, record.Created, record.Updated, record.Suppressed, record.FailedDevices, record.BackendCalls, notes(record)],
  );
  io.stdout.write(
    [`${ruleFiles.length} rules, ${where}: the newest run of each (${ran} have run)`, '', formatTable(['rule', 'status', 'ended', 'hits', 'created', 'updated', 'suppressed', 'failed', 'queries', 'notes'], rows)].join('\n') + '\n',
  );
  return ExitCode.ok;
}

/** The records the file sink wrote, read through the local evaluator as the workbook reads them (a record uploaded twice once). */
async function fromRecordsFile(ruleId: string, outDir: string, limit: number): Promise<{ records: RunRecord[]; where: string }> {
  const table = new LocalTableFile(tablesDir(outDir), RUNS_TABLE_NAME);
  if (!existsSync(table.file)) return { records: [], where: `${table.file} (no runs recorded yet)` };
  const query = `${RUNS_TABLE_NAME}
    | where RuleId == ${kqlString(ruleId)} or isempty(RuleId)
    | summarize arg_min(TimeGenerated, *) by RunId
    | top ${limit} by TimeGenerated desc
    | project-away ${INGESTION_TIME_COLUMN}`;
  const result = await evaluate(query, { tables: openDataDir(table.dir, localCatalogue), now: new Date() });
  const records = result.rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, value instanceof Date ? value.toISOString() : value])) as RunRecord);
  return { records, where: table.file };
}

/** The Function's run reports, as the records it wrote to the workspace. */
async function fromStateTable(ruleId: string, ruleFile: string | undefined, limit: number, io: CliIo): Promise<{ records: RunRecord[]; where: string }> {
  const context = ruleFile === undefined ? UNKNOWN_RULE : recordContext(loadRule(path.resolve(io.cwd, ruleFile)));
  const opened = await openStateStoreForCli({ stateDir: cliDefaults.stateDir, azure: true, env: io.env, cwd: io.cwd, command: 'hunter runs', warn: (message) => io.stderr.write(`hunter runs: ${message}\n`) });
  try {
    const reports = await opened.store.listRunReports(ruleId, limit);
    return { records: reports.map((report) => runRecordFromReport(report, context)), where: opened.where };
  } finally {
    await opened.close();
  }
}

function describeRuns(ruleId: string, where: string, records: readonly RunRecord[]): string {
  const lines = [`rule ${ruleId}, ${where}: ${records.length} run(s)`];
  if (records.length === 0) return lines.join('\n');
  lines.push(
    '',
    formatTable(
      ['ended', 'status', 'window start', 'window end', 'rows', 'hits', 'created', 'updated', 'suppressed', 'unchanged', 'failed', 'parked', 'queries', 'ms', 'notes'],
      records.map((r) => [
        r.TimeGenerated,
        r.Status,
        r.WindowStart ?? '',
        r.WindowEnd ?? '',
        r.Rows,
        r.Hits,
        r.Created,
        r.Updated,
        r.Suppressed,
        r.Unchanged,
        r.FailedDevices,
        r.ParkedDevices,
        r.BackendCalls,
        r.DurationMs,
        notes(r),
      ]),
    ),
  );
  return lines.join('\n');
}

function notes(record: RunRecord): string {
  return [
    record.RuleId === '' ? 'rule not read' : '',
    record.FirstRun ? 'first run' : '',
    record.OutageMs !== null ? `after outage (${describeDuration(record.OutageMs)})` : '',
    record.UncoveredStart !== null ? 'gap not hunted' : '',
    record.Warnings.some(isPackLoadWarning) ? 'enabled rules over the query quota\'s headroom (see the warnings: --format json)' : '',
    record.QuotaWaits > 0 ? `waited ${(record.QuotaWaitedMs / 1000).toFixed(0)} s for the query quota` : '',
    record.Deferred > 0 ? `${record.Deferred} left for the next run` : '',
    record.RejectedRows > 0 ? `${record.RejectedRows} row(s) skipped` : '',
    record.ContextIncomplete > 0 ? `${record.ContextIncomplete} without context` : '',
    record.Error,
  ]
    .filter(Boolean)
    .join(', ');
}
