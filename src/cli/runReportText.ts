/** How the CLI runs one hunt and shows its run report: shared by `hunter replay` and `hunter run`. */
import type { Writable } from 'node:stream';
import { buildHunter, type Hunter, type HunterRuntime } from '../compose/buildHunter.js';
import type { HunterConfig } from '../config/loadConfig.js';
import { lineLogger } from '../runtime/logger.js';
import { statusLine } from './statusLine.js';
import { HuntRunFailed, type BackendCallsReport, type RunReport } from '../core/report.js';
import { formatTable } from './format.js';

/**
 * Builds the hunter and runs it once, logging to `stderr` with a progress line when it is a
 * terminal; the line is gone before the caller prints the result.
 */
export async function runOnceWithProgress(config: HunterConfig, runtime: Pick<HunterRuntime, 'clock' | 'appRoot'>, stderr: Writable): Promise<RunReport> {
  const status = statusLine(stderr);
  try {
    const hunter = await buildHunter(config, { ...runtime, logger: lineLogger(status.print), progress: status.progress });
    return await runForReport(hunter);
  } finally {
    status.done();
  }
}

/** Runs the hunt once; a failed run still has a report (the hunter throws it inside HuntRunFailed). */
async function runForReport(hunter: Hunter): Promise<RunReport> {
  try {
    return await hunter.run();
  } catch (error) {
    if (error instanceof HuntRunFailed) return error.report;
    throw error;
  }
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
