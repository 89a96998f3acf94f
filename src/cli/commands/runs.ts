import { parseArgs } from 'node:util';
import { ExitCode, UsageError, type CliIo, type Command } from '../command.js';
import { formatTable } from '../format.js';
import { openStateStoreForCli, ruleIdFor, stateLocationHelp, stateLocationOptions } from './stateStoreForCli.js';

const help = `hunter runs [options]

Lists the most recent hunt runs of a rule, newest first, from their stored run reports
(kept RUN_REPORT_RETENTION_DAYS days). Dry runs store no report.
  --limit N       how many (default 20)
${stateLocationHelp}
  --format F      table (default) or json (the full reports)
Exit codes: 0 ok, 1 storage error, 2 usage error.`;

const options = { ...stateLocationOptions, limit: { type: 'string', default: '20' } } as const;

export const runsCommand: Command = {
  help,
  options,
  async run(args: readonly string[], io: CliIo) {
    const { values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit must be a whole number from 1 to 1000 (got ${values.limit})`);
    if (values.format !== 'json' && values.format !== 'table') throw new UsageError(`--format must be json or table (got ${values.format})`);
    const ruleId = ruleIdFor(values, io.cwd);
    const opened = await openStateStoreForCli({ stateDir: values.state, azure: values.azure, env: io.env, cwd: io.cwd, command: 'hunter runs', warn: (message) => io.stderr.write(`hunter runs: ${message}\n`) });
    try {
      const reports = await opened.store.listRunReports(ruleId, limit);
      if (values.format === 'json') {
        io.stdout.write(JSON.stringify(reports, null, 2) + '\n');
        return ExitCode.ok;
      }
      const lines = [`rule ${ruleId}, ${opened.where}: ${reports.length} run(s)`];
      if (reports.length > 0) {
        lines.push(
          '',
          formatTable(
            ['started', 'status', 'window start', 'window end', 'rows', 'hits', 'created', 'updated', 'suppressed', 'unchanged', 'parked', 'failed', 'queries', 'ms', 'notes'],
            reports.map((r) => [
              r.startedAt,
              r.status,
              r.window.start,
              r.window.end,
              r.rows,
              r.hits,
              r.created.length,
              r.updated.length,
              r.suppressed.length,
              r.unchanged,
              r.parked?.length ?? 0,
              r.failures.length,
              r.backendCalls ? Object.values(r.backendCalls.calls).reduce<number>((sum, count) => sum + (count ?? 0), 0) : '',
              Math.round(r.durationsMs.total ?? 0),
              [
                r.window.firstRun ? 'first run' : '',
                r.window.outageMs !== undefined ? 'after outage' : '',
                r.window.uncovered ? 'gap not hunted' : '',
                r.backendCalls && r.backendCalls.waits > 0 ? `waited ${(r.backendCalls.waitedMs / 1000).toFixed(0)} s for the query quota` : '',
                r.deferred ? `${r.deferred} left for the next run` : '',
                r.rejectedRows?.length ? `${r.rejectedRows.length} row(s) skipped` : '',
                r.contextIncomplete?.length ? `${r.contextIncomplete.length} without context` : '',
              ].filter(Boolean).join(', '),
            ]),
          ),
        );
      }
      io.stdout.write(lines.join('\n') + '\n');
      return ExitCode.ok;
    } finally {
      await opened.close();
    }
  },
};
