/**
 * The hunt pipeline: state → window → query → hits → dedupe → context → exclusions →
 * incidents and state (src/core/episodeWriter.ts) → watermark → run report.
 * The watermark moves only when every hit of the window succeeded; a failed hit fails the
 * run (HuntRunFailed, so the host retries) and the hits already done are unchanged next time.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DeviceContext, Hit, TimeWindow } from './model.js';
import type { Clock, IncidentSink, Logger, QueryBackend } from './ports.js';
import type { ContextEnricher, ExclusionEvaluator, HuntProgress, IncidentRenderer } from './ports.js';
import type { HuntRule } from '../rules/rule.js';
import type { StateStore, StoredDevice } from './ports.js';
import type { BackendCallsReport, RunReport, ServiceCallReport, SuppressedRef, WindowReport } from './report.js';
import { HuntRunFailed } from './report.js';
import { planWindow, type WindowPlan } from './window.js';
import { hitsFromResult } from './hitRows.js';
import { assessEvidence } from './dedupe.js';
import { bindHuntWindow } from './bindWindow.js';
import { RunMeter } from './runMeter.js';
import { describeDuration } from './duration.js';
import { EpisodeWriter, type SuppressionItem, type WorkItem } from './episodeWriter.js';
import { errorMessage } from './errors.js';

export interface HuntDeps {
  readonly backend: QueryBackend;
  readonly state: StateStore;
  readonly sink: IncidentSink;
  readonly renderer: IncidentRenderer;
  readonly enricher: ContextEnricher | undefined;
  readonly exclusions: ExclusionEvaluator;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The HTTP calls the cloud adapters made so far in this run, for the run report. */
  readonly serviceCalls?: () => readonly ServiceCallReport[];
  /** The queries this run sent and what waiting for the backend's quota cost, for the run report. */
  readonly backendCalls?: () => BackendCallsReport;
  readonly progress?: HuntProgress;
}

export interface HuntOptions {
  readonly rule: HuntRule;
  /** The sink is already a logging sink; state, watermark and run report are not written. */
  readonly dryRun: boolean;
  readonly runReportRetentionDays: number;
}

function windowReport(plan: WindowPlan): WindowReport {
  return {
    start: plan.window.start.toISOString(),
    end: plan.window.end.toISOString(),
    firstRun: plan.firstRun,
    ...(plan.cappedBy ? { cappedBy: plan.cappedBy } : {}),
    ...(plan.outageMs !== undefined ? { outageMs: plan.outageMs } : {}),
    ...(plan.uncovered ? { uncovered: { start: plan.uncovered.start.toISOString(), end: plan.uncovered.end.toISOString() } } : {}),
  };
}

function windowWarnings(plan: WindowPlan): string[] {
  const warnings: string[] = [];
  if (plan.outageMs !== undefined) warnings.push(`the last completed window ended ${describeDuration(plan.outageMs)} ago: this run covers the whole gap`);
  if (plan.uncovered) {
    warnings.push(`events from ${plan.uncovered.start.toISOString()} to ${plan.uncovered.end.toISOString()} were never hunted: older than the backend's look-back limit`);
  }
  if (plan.empty) warnings.push(`empty window (${plan.window.start.toISOString()} .. ${plan.window.end.toISOString()}): nothing queried`);
  return warnings;
}

export async function runHunt(deps: HuntDeps, options: HuntOptions): Promise<RunReport> {
  const { backend, state, sink, logger } = deps;
  const { rule, dryRun } = options;
  const meter = new RunMeter();
  const began = performance.now();
  const runId = randomUUID();
  // One "now" for the whole run, so every decision in it agrees on the time.
  const now = deps.clock.now();

  const ruleState = await meter.timed('loadState', () => meter.call('state', 'loadRule', () => state.loadRule(rule.id), (s) => s.devices.size));
  const plan = planWindow({
    now,
    watermark: ruleState.watermark?.watermark,
    queryPeriodMs: rule.queryPeriodMs,
    queryFrequencyMs: rule.queryFrequencyMs,
    config: rule.window,
    backendMaxLookbackMs: backend.maxLookbackMs,
  });
  const warnings = windowWarnings(plan);
  for (const warning of warnings) logger.warn(warning, { ruleId: rule.id });

  let rows = 0;
  let hits: Hit[] = [];
  if (!plan.empty) {
    const query = bindHuntWindow(rule, plan.window);
    const result = await meter.timed('query', () => meter.call('backend', `${backend.name}:hunt`, () => backend.run({ query, window: plan.window, purpose: 'hunt' }), (r) => r.rows.length));
    rows = result.rows.length;
    hits = hitsFromResult(result, rule.sourcePath);
  }

  let unchanged = 0;
  const actionable: { hit: Hit; stored: StoredDevice | undefined }[] = [];
  for (const hit of hits) {
    const stored = ruleState.devices.get(hit.deviceId);
    if (assessEvidence(stored?.state, hit).kind === 'noNewEvidence') unchanged++;
    else actionable.push({ hit, stored });
  }

  const { work, suppressions, warnings: exclusionWarnings } = await enrichAndExclude(deps, rule, meter, actionable, plan.window, now);
  warnings.push(...exclusionWarnings);
  const writer = new EpisodeWriter({ state, sink, renderer: deps.renderer, logger, meter, progress: deps.progress }, { rule, dryRun, now });
  deps.progress?.begin('write', work.length);
  const written = await meter.timed('incidentsAndState', () => writer.writeAll(work));
  // Suppressed hits are remembered (and so can still raise later); an open incident of the device is left as it is.
  // A suppression that cannot be written joins `written.failures`: the watermark then stays.
  const recorded = suppressions.length > 0 ? await meter.timed('suppressions', () => writer.recordSuppressions(suppressions)) : new Set<string>();
  const suppressed: SuppressedRef[] = suppressions.map(({ hit, exclusionIds, stored }) => {
    const incidentId = stored?.state.episode?.incidentWritten ? stored.state.episode.incidentId : undefined;
    return {
      deviceId: hit.deviceId,
      deviceName: hit.deviceName,
      exclusionId: exclusionIds[0] ?? '',
      exclusionIds,
      recorded: recorded.has(hit.deviceId),
      ...(incidentId ? { incidentId } : {}),
    };
  });

  const failed = written.failures.length > 0;
  let watermark = ruleState.watermark?.watermark;
  // Only forward: a run whose clock is behind the watermark (a replay of the past, clock skew) re-reads
  // but must not pull the watermark back and make the next run treat the gap as an outage.
  const advances = watermark === undefined || plan.window.end.getTime() > watermark.getTime();
  if (!dryRun && !failed && !plan.empty && advances) {
    await meter.timed('watermark', () => state.advanceWatermark(rule.id, plan.window.end, ruleState.watermark?.etag));
    watermark = plan.window.end;
  }

  const durationsMs = meter.durationsMs();
  durationsMs.total = Math.round((performance.now() - began) * 10) / 10;
  const report: RunReport = {
    runId,
    ruleId: rule.id,
    ruleName: rule.name,
    backend: backend.name,
    sink: sink.name,
    dryRun,
    // A dry run that failed says so: `dryRun` alone reads as success (hunter run --dry-run exited 0).
    status: failed ? 'failed' : dryRun ? 'dryRun' : 'succeeded',
    startedAt: now.toISOString(),
    finishedAt: deps.clock.now().toISOString(),
    window: windowReport(plan),
    watermark: watermark?.toISOString(),
    rows,
    hits: hits.length,
    created: written.created,
    updated: written.updated,
    suppressed,
    unchanged: unchanged + written.unchanged,
    failures: written.failures,
    warnings,
    durationsMs,
    calls: meter.allCalls(),
    ...(deps.serviceCalls ? { serviceCalls: deps.serviceCalls() } : {}),
    ...(deps.backendCalls ? { backendCalls: deps.backendCalls() } : {}),
  };
  if (!dryRun) await keepReport(state, logger, report, new Date(now.getTime() - options.runReportRetentionDays * 86_400_000));
  logger.info('hunt finished', {
    ruleId: rule.id,
    status: report.status,
    window: report.window,
    hits: report.hits,
    created: report.created.length,
    updated: report.updated.length,
    suppressed: report.suppressed.length,
    unchanged: report.unchanged,
    failures: report.failures.length,
  });
  if (failed) throw new HuntRunFailed(report);
  return report;
}

/**
 * Only hits with something new are enriched and evaluated: an unchanged device raises
 * nothing whatever its context says, and skipping it keeps the context queries small.
 * Report ids seen only while suppressed are not "reported", so a device hit again over them
 * is enriched and evaluated again: an exclusion removed, disabled or expired since raises it.
 */
async function enrichAndExclude(
  deps: HuntDeps,
  rule: HuntRule,
  meter: RunMeter,
  actionable: readonly { hit: Hit; stored: StoredDevice | undefined }[],
  window: TimeWindow,
  now: Date,
): Promise<{ work: WorkItem[]; suppressions: SuppressionItem[]; warnings: readonly string[] }> {
  const { enricher, exclusions } = deps;
  let contexts: ReadonlyMap<string, DeviceContext> = new Map();
  if (enricher && actionable.length > 0) {
    const hits = actionable.map((a) => a.hit);
    const { progress } = deps;
    progress?.begin('enrich', hits.length);
    const enriched = progress ? (devices: number) => progress.advance('enrich', devices) : undefined;
    contexts = await meter.timed('enrich', () => meter.call('enricher', 'enrich', () => enricher.enrich(rule, hits, window, enriched), (found) => found.size));
  }
  const work: WorkItem[] = [];
  const suppressions: SuppressionItem[] = [];
  const verdicts = [];
  for (const { hit, stored } of actionable) {
    // Missing context is evaluated as such by the exclusions: it never suppresses on its own.
    const context = contexts.get(hit.deviceId);
    const verdict = exclusions.evaluate(hit, context, now);
    verdicts.push(verdict);
    if (verdict.suppressed) {
      const exclusionIds = verdict.matches.map((m) => m.exclusionId);
      suppressions.push({ hit, exclusionIds, stored, attempt: 1 });
      continue;
    }
    work.push({ hit, enriched: { hit, context, verdict }, stored, attempt: 1 });
  }
  return { work, suppressions, warnings: exclusions.warningsForRun(verdicts, verdicts.length) };
}

async function keepReport(state: StateStore, logger: Logger, report: RunReport, purgeBefore: Date): Promise<void> {
  try {
    await state.appendRunReport(report);
    await state.purgeRunReports(report.ruleId, purgeBefore);
  } catch (error) {
    // Re-running a succeeded run is harmless, so its lost report fails the run (the host retries);
    // a failed run is failing anyway and its own error says more.
    if (report.status !== 'failed') throw error;
    logger.error('could not store the report of a failed run', { error: errorMessage(error) });
  }
}
