/** How the CLI runs the hunt of each enabled rule and shows the run reports: shared by `hunter replay` and `hunter run`. */
import type { Writable } from 'node:stream';
import { buildHunter, type HunterRuntime, type RuleRun } from '../compose/buildHunter.js';
import { ExitCode } from './command.js';
import { errorMessage } from '../core/errors.js';
import type { HunterConfig } from '../config/loadConfig.js';
import { lineLogger } from '../runtime/logger.js';
import { statusLine } from './statusLine.js';
import type { BackendCallsReport, RunReport } from '../core/report.js';
import { formatTable } from './format.js';

/**
 * Builds the hunter and runs each enabled rule once, logging to `stderr` with a progress line when it
 * is a terminal; the line is gone before the caller prints the result. With one rule, a failure that
 * left no report is thrown as it was (the CLI's error handling says what it means).
 */
export async function runOnceWithProgress(config: HunterConfig, runtime: Pick<HunterRuntime, 'clock' | 'appRoot'>, stderr: Writable): Promise<readonly RuleRun[]> {
  const status = statusLine(stderr);
  let runs: readonly RuleRun[];
  try {
    const hunter = await buildHunter(config, { ...runtime, logger: lineLogger(status.print), progress: status.progress });
    runs = await hunter.run();
  } finally {
    status.done();
  }
  if (runs.length === 1 && runs[0]!.report === undefined) throw runs[0]!.error;
  return runs;
}

/**
 * Prints the runs and returns the exit code (1 when a rule failed). json: the run report, with `extra`
 * beside its fields; with several rules `{ runs: [run reports], ...extra }`. table: the report, or with
 * several rules one line per rule and then the details of those that raised, suppressed or failed something.
 */
export function printRuns(
  runs: readonly RuleRun[],
  format: 'json' | 'table',
  io: { stdout: Writable; stderr: Writable },
  command: string,
  options: ReportTextOptions & { readonly extra?: Readonly<Record<string, unknown>>; readonly trailer?: string } = {},
): ExitCode {
  for (const run of runs) if (run.report === undefined) io.stderr.write(`${command}: ${run.rule.sourcePath}: failed before its run report: ${errorMessage(run.error)}\n`);
  const reports = runs.flatMap((run) => (run.report ? [run.report] : []));
  if (format === 'json') {
    const value = runs.length === 1 && reports.length === 1 ? { ...reports[0], ...options.extra } : { runs: reports, ...options.extra };
    io.stdout.write(JSON.stringify(value, null, 2) + '\n');
  } else {
    io.stdout.write(describeRunReports(reports, options) + (options.trailer === undefined ? '' : `\n\n${options.trailer}`) + '\n');
  }
  return runs.some((run) => run.report === undefined || run.report.status === 'failed') ? ExitCode.problems : ExitCode.ok;
}

function describeRunReports(reports: readonly RunReport[], options: ReportTextOptions): string {
  if (reports.length === 1) return describeRunReport(reports[0]!, options);
  const rows = reports.map((report) => [report.ruleName, report.status, String(report.hits), String(report.created.length), String(report.updated.length), String(report.suppressed.length), String(report.unchanged)]);
  const eventful = reports.filter((report) => report.created.length + report.updated.length + report.suppressed.length + report.failures.length + report.parked.length + report.warnings.length > 0);
  return [
    formatTable(['rule', 'status', 'hits', 'created', 'updated', 'suppressed', 'unchanged'], rows),
    ...eventful.map((report) => '\n' + describeRunReport(report, options)),
  ].join('\n');
}

export interface ReportTextOptions {
  /** Where the file sink wrote the incidents, to point the reader at them. */
  readonly incidentsFile?: string;
}

export function describeRunReport(report: RunReport, options: ReportTextOptions = {}): string {
  const lines = [
    `${report.ruleName} on ${report.backend} -> ${report.sink}${report.dryRun ? ' (dry run: nothing written)' : ''}: ${report.status}`,
    `window ${report.window.start} .. ${report.window.end}${report.window.firstRun ? ' (first run)' : ''}: ${report.rows} row(s), ${report.hits} hit(s)`,
    `created ${report.created.length}, updated ${report.updated.length}, suppressed ${report.suppressed.length}, unchanged ${report.unchanged}, parked ${report.parked.length}, failed ${report.failures.length}${report.deferred > 0 ? `, left for the next run ${report.deferred}` : ''}`,
  ];
  const incidents = [
    ...report.created.map((detection) => ['created', detection.episodeId, detection.deviceName, detection.title]),
    ...report.updated.map((detection) => ['updated', detection.episodeId, detection.deviceName, `${detection.title} (+${detection.newReportIds} report ids)`]),
  ];
  if (incidents.length > 0) {
    lines.push('', formatTable(['action', 'episode', 'device', 'title'], incidents));
    if (options.incidentsFile) lines.push('', `incidents written to ${options.incidentsFile}`);
  } else if (report.hits === 0) {
    lines.push('', `no hits in the window (${report.rows} row(s) returned)`);
  } else if (report.unchanged > 0) {
    lines.push('', `no new incidents: ${report.unchanged} device(s) already reported with nothing new (remembered in the state)`);
  } else {
    lines.push('', 'no new incidents');
  }
  for (const suppressed of report.suppressed) lines.push(`suppressed ${suppressed.deviceName} (${suppressed.deviceId}) by ${suppressed.exclusionIds.join(', ')}`);
  for (const failure of report.failures) lines.push(`FAILED ${failure.deviceName} (${failure.deviceId}) at ${failure.step}: ${failure.message}`);
  for (const parked of report.parked) {
    lines.push(`PARKED ${parked.deviceName} (${parked.deviceId}) at ${parked.step}, ${parked.attempts} attempt(s)${parked.givenUp ? ', given up' : `, next ${parked.nextAttemptAt}`}: ${parked.message}`);
  }
  for (const rejected of report.rejectedRows) lines.push(`SKIPPED ${rejected.message}`);
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (report.backendCalls) lines.push(backendCallsLine(report.backendCalls));
  for (const call of report.serviceCalls ?? []) {
    lines.push(`call ${call.service} ${call.method} ${call.path} -> ${call.status ?? 'no response'} (${call.attempts} attempt(s), ${call.durationMs} ms)`);
  }
  return lines.join('\n');
}

/** e.g. `backend calls: hunt 1, context 2; quota 45 calls per minute (...), ...; no waiting`. */
export function backendCallsLine(calls: BackendCallsReport): string {
  const counts = Object.entries(calls.calls).map(([purpose, count]) => `${purpose} ${count}`).join(', ') || 'none';
  const quota = calls.quotas.length > 0 ? `; quota ${calls.quotas.join(', ')}` : '';
  const waited = calls.waits > 0 ? `; ${calls.waits} call(s) waited ${(calls.waitedMs / 1000).toFixed(1)} s for the quota` : '';
  return `backend calls: ${counts}${quota}${waited}`;
}
