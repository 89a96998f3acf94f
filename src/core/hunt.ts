/**
 * The hunt pipeline: state → window → query → hits → dedupe → context → exclusions →
 * detections and state (src/core/episodeWriter.ts) → run report (which carries the watermark).
 * The watermark moves only when every hit of the window is done: raised, suppressed, unchanged,
 * or parked (a device whose detection cannot be written for good waits apart, visible in the
 * report, and does not hold the others back). A hit that failed for a reason a retry may fix fails
 * the run (HuntRunFailed, so the host retries), and the hits already done are unchanged next time.
 * A run that reaches its time budget stops between batches (`partial`): the watermark stays, and
 * the next run finds the devices it finished unchanged and continues with the rest.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DeviceContext, ExclusionVerdict, Hit, TimeWindow } from './model.js';
import type { Clock, DetectionSink, Logger, QueryBackend, RunBudget } from './ports.js';
import type { ContextEnricher, ExclusionEvaluator, HuntProgress, IncidentRenderer } from './ports.js';
import type { HuntRule } from '../rules/rule.js';
import type { StateStore, StoredDevice } from './ports.js';
import type { BackendCallsReport, ParkedRef, RejectedRow, RunReport, ServiceCallReport, SuppressedRef, WindowReport } from './report.js';
import { HuntRunFailed } from './report.js';
import { planWindow, type WindowPlan } from './window.js';
import { hitsFromResult } from './hitRows.js';
import { assessEvidence } from './dedupe.js';
import { bindHuntWindow } from './bindWindow.js';
import { RunMeter } from './runMeter.js';
import { describeDuration } from './duration.js';
import { EpisodeWriter, type SuppressionItem } from './episodeWriter.js';
import type { WorkItem } from './episodePlan.js';
import { errorMessage } from './errors.js';
import { chunks } from './chunks.js';
import { detectionGroupOf } from './detectionGroup.js';
import { parkedRef, parkedRetryDue } from './parking.js';

/** Hits enriched and written together before the budget is checked again. */
const SLICE_SIZE = 1_000;
/** The verdict of a parked device retried without a hit: nothing in the window to evaluate, nothing suppressed. */
const NOT_EVALUATED: ExclusionVerdict = { suppressed: false, matches: [], considered: [] };

export interface HuntDeps {
  readonly backend: QueryBackend;
  readonly state: StateStore;
  readonly sink: DetectionSink;
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
  /** When to stop and leave the rest to the next run (default: never). */
  readonly budget?: RunBudget;
}

export interface HuntOptions {
  readonly rule: HuntRule;
  /** The sink is already a logging sink; state and run report are not written. */
  readonly dryRun: boolean;
  readonly runReportRetentionDays: number;
  /** The start of the invocation that scheduled this run (src/core/schedule.ts): when the rule is next due is counted from it. */
  readonly scheduledAt?: Date;
  /** Warnings about the invocation the run belongs to (the pack over its quota), kept in the run report. */
  readonly scheduleWarnings?: readonly string[];
}

/** A device this run works on: a hit with something to do, or a parked device due for a retry. */
interface Actionable {
  readonly hit: Hit;
  readonly stored: StoredDevice | undefined;
  readonly inWindow: boolean;
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
  const groupId = detectionGroupOf(rule);
  const meter = new RunMeter();
  const began = performance.now();
  const runId = randomUUID();
  // One "now" for the whole run, so every decision in it agrees on the time.
  const now = deps.clock.now();

  const [devices, watermarkBefore] = await meter.timed('loadState', () =>
    Promise.all([
      meter.call('state', 'loadDevices', () => state.loadDevices(groupId), (d) => d.size),
      meter.call('state', 'loadWatermark', () => state.loadWatermark(rule.id), () => 1),
    ]),
  );
  const plan = planWindow({
    now,
    watermark: watermarkBefore,
    queryPeriodMs: rule.queryPeriodMs,
    queryFrequencyMs: rule.queryFrequencyMs,
    config: rule.window,
    backendMaxLookbackMs: backend.maxLookbackMs,
  });
  const warnings = windowWarnings(plan);
  for (const warning of warnings) logger.warn(warning, { ruleId: rule.id });
  // Logged once by the invocation, kept in every run report of it.
  warnings.unshift(...(options.scheduleWarnings ?? []));

  let rows = 0;
  let hits: Hit[] = [];
  let rejectedRows: RejectedRow[] = [];
  if (!plan.empty) {
    const query = bindHuntWindow(rule, plan.window);
    const result = await meter.timed('query', () => meter.call('backend', `${backend.name}:hunt`, () => backend.run({ query, window: plan.window, purpose: 'hunt' }), (r) => r.rows.length));
    rows = result.rows.length;
    ({ hits, rejected: rejectedRows } = hitsFromResult(result, rule.sourcePath, rule.reportIdScope));
    for (const rejected of rejectedRows) logger.warn(`hunt row skipped: ${rejected.message}`, { ruleId: rule.id });
    if (rejectedRows.length > 0) warnings.push(`${rejectedRows.length} hunt result row(s) skipped as malformed (see rejectedRows); every other row was raised`);
  }

  const { actionable, unchanged, parked } = selectWork(hits, devices, now);

  const writer = new EpisodeWriter(
    { state, sink, renderer: deps.renderer, logger, meter, budget: deps.budget, progress: deps.progress },
    { rule, groupId, dryRun, now, expectsContext: deps.enricher !== undefined && rule.contextQuery !== undefined },
  );
  const suppressed: SuppressedRef[] = [];
  const verdicts: ExclusionVerdict[] = [];
  let deferred = 0;
  deps.progress?.begin('enrich', actionable.filter((a) => a.inWindow).length);
  for (const [index, slice] of chunks(actionable, SLICE_SIZE).entries()) {
    if (deps.budget?.exhausted()) {
      deferred = actionable.length - index * SLICE_SIZE;
      break;
    }
    const { work, suppressions } = await enrichAndExclude(deps, rule, meter, slice, plan.window, now, verdicts);
    if (index === 0) deps.progress?.begin('write', actionable.length);
    await meter.timed('detectionsAndState', () => writer.writeAll(work));
    // Suppressed hits are remembered (and so can still raise later); an open episode of the device is left as it is.
    // A suppression that cannot be written joins the failures: the watermark then stays.
    const recorded = suppressions.length > 0 ? await meter.timed('suppressions', () => writer.recordSuppressions(suppressions)) : new Set<string>();
    suppressed.push(...suppressions.map((item) => suppressedRef(item, recorded)));
    if (suppressions.length > 0) deps.progress?.advance('write', suppressions.length);
  }
  const written = writer.written;
  deferred += written.deferred;
  warnings.push(...deps.exclusions.warningsForRun(verdicts, verdicts.length));
  const allParked = [...parked, ...written.parked];
  const givenUp = allParked.filter((p) => p.givenUp).length;
  if (allParked.length > 0) warnings.push(`${allParked.length} device(s) parked${givenUp > 0 ? `, ${givenUp} given up after repeated failures` : ''}: their detections wait apart and do not hold the watermark (see parked)`);
  if (written.contextIncomplete.length > 0) warnings.push(`${written.contextIncomplete.length} device(s) raised or kept without their context: asked again next run (see contextIncomplete)`);
  if (deferred > 0) warnings.push(`time budget reached: ${deferred} device(s) left for the next run, which continues where this one stopped`);

  const failed = written.failures.length > 0;
  // Only forward: a run whose clock is behind the watermark (a replay of the past, clock skew) re-reads
  // but must not pull the watermark back and make the next run treat the gap as an outage.
  const advances = watermarkBefore === undefined || plan.window.end.getTime() > watermarkBefore.getTime();
  const watermark = !dryRun && !failed && deferred === 0 && !plan.empty && advances ? plan.window.end : watermarkBefore;

  const durationsMs = meter.durationsMs();
  durationsMs.total = Math.round((performance.now() - began) * 10) / 10;
  const report: RunReport = {
    runId,
    ruleId: rule.id,
    ruleName: rule.name,
    groupId,
    backend: backend.name,
    sink: sink.name,
    dryRun,
    // A dry run that failed says so: `dryRun` alone reads as success (hunter run --dry-run exited 0).
    status: failed ? 'failed' : dryRun ? 'dryRun' : deferred > 0 ? 'partial' : 'succeeded',
    startedAt: now.toISOString(),
    ...(options.scheduledAt && { scheduledAt: options.scheduledAt.toISOString() }),
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
    parked: allParked,
    rejectedRows,
    contextIncomplete: written.contextIncomplete,
    deferred,
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
    parked: report.parked.length,
    failures: report.failures.length,
    deferred,
  });
  if (failed) throw new HuntRunFailed(report);
  return report;
}

function suppressedRef({ hit, exclusionIds, activities, stored }: SuppressionItem, recorded: ReadonlySet<string>): SuppressedRef {
  const episodeId = stored?.state.episode?.episodeId;
  return {
    deviceId: hit.deviceId,
    deviceName: hit.deviceName,
    exclusionId: exclusionIds[0] ?? '',
    exclusionIds,
    recorded: recorded.has(hit.deviceId),
    ...(episodeId ? { episodeId } : {}),
    ...(activities ? { activities } : {}),
  };
}

/**
 * Which devices this run works on. A hit with nothing new is unchanged (no context query, no
 * write), unless its context is still missing. A parked device waits for its next attempt (or,
 * given up, for new evidence); a device parked at the sink is retried when due even without a hit,
 * from the evidence its state keeps. Every parked device not retried is listed in the report.
 */
function selectWork(hits: readonly Hit[], devices: ReadonlyMap<string, StoredDevice>, now: Date): { actionable: Actionable[]; unchanged: number; parked: ParkedRef[] } {
  const actionable: Actionable[] = [];
  const parked: ParkedRef[] = [];
  const hitDevices = new Set<string>();
  let unchanged = 0;
  for (const hit of hits) {
    hitDevices.add(hit.deviceId);
    const stored = devices.get(hit.deviceId);
    const state = stored?.state;
    const assessment = assessEvidence(state, hit);
    const hasNew = assessment.kind !== 'noNewEvidence';
    if (state?.parked !== undefined && !parkedRetryDue(state.parked, now, hasNew && assessment.kind === 'newEvidence' ? assessment.newReportIds.length > 0 : hasNew)) {
      parked.push(parkedRef(state, state.parked, state.parked.givenUp ? 'givenUp' : 'waiting'));
      continue;
    }
    const pending = state?.episode?.contextPending;
    if (!hasNew && state?.parked === undefined && (pending === undefined || pending.givenUp)) {
      unchanged++;
      continue;
    }
    actionable.push({ hit, stored, inWindow: true });
  }
  for (const stored of devices.values()) {
    const { state } = stored;
    if (state.parked === undefined || hitDevices.has(state.deviceId)) continue;
    if (state.parked.step === 'sink' && state.episode !== undefined && parkedRetryDue(state.parked, now, false)) {
      actionable.push({ hit: hitFromState(state, state.episode.episodeStart), stored, inWindow: false });
    } else {
      parked.push(parkedRef(state, state.parked, state.parked.givenUp ? 'givenUp' : 'waiting'));
    }
  }
  return { actionable, unchanged, parked };
}

/** A parked device retried without a hit: its span from state, no report ids, no events in this window. */
function hitFromState(state: StoredDevice['state'], episodeStart: Date): Hit {
  return {
    deviceId: state.deviceId,
    deviceName: state.deviceName,
    firstSeen: state.firstSeen ?? episodeStart,
    lastSeen: state.lastSeen ?? episodeStart,
    reportIds: [],
    eventCount: 0,
  };
}

/**
 * Enriches the devices of one slice that are in the window and evaluates the exclusions. Missing
 * context never suppresses: the exclusions see it as missing, and the device is raised with its
 * context marked incomplete (src/core/episodePlan.ts), to be asked for again next run.
 * Report ids seen only while suppressed are not "reported", so a device hit again over them
 * is enriched and evaluated again: an exclusion removed, disabled or expired since raises it.
 */
async function enrichAndExclude(
  deps: HuntDeps,
  rule: HuntRule,
  meter: RunMeter,
  slice: readonly Actionable[],
  window: TimeWindow,
  now: Date,
  verdicts: ExclusionVerdict[],
): Promise<{ work: WorkItem[]; suppressions: SuppressionItem[] }> {
  const { enricher, exclusions } = deps;
  let contexts: ReadonlyMap<string, DeviceContext> = new Map();
  let failed: ReadonlyMap<string, string> = new Map();
  const inWindow = slice.filter((a) => a.inWindow).map((a) => a.hit);
  if (enricher && inWindow.length > 0) {
    const { progress } = deps;
    const enriched = progress ? (devices: number) => progress.advance('enrich', devices) : undefined;
    try {
      ({ contexts, failed } = await meter.timed('enrich', () => meter.call('enricher', 'enrich', () => enricher.enrich(rule, inWindow, window, enriched), (found) => found.contexts.size)));
    } catch (error) {
      // Never a reason to hold a detection back: every device of the slice is raised without context.
      const reason = `context query failed: ${errorMessage(error)}`;
      deps.logger.error('context enrichment failed; these devices are raised without context and asked again next run', { ruleId: rule.id, devices: inWindow.length, error: errorMessage(error) });
      failed = new Map(inWindow.map((hit) => [hit.deviceId, reason]));
    }
  }
  const work: WorkItem[] = [];
  const suppressions: SuppressionItem[] = [];
  for (const { hit, stored, inWindow: present } of slice) {
    const context = contexts.get(hit.deviceId);
    const verdict = present ? exclusions.evaluate(hit, context, now) : NOT_EVALUATED;
    if (present) verdicts.push(verdict);
    // A device raised without its context is re-rendered with it even when the exclusions now explain it:
    // the detection exists, and the analyst should see why it is legitimate.
    const contextPending = stored?.state.episode?.contextPending;
    if (verdict.suppressed && (contextPending === undefined || contextPending.givenUp)) {
      const activities = Object.fromEntries(verdict.matches.map((m) => [m.exclusionId, m.activityIds.length]));
      suppressions.push({ hit, exclusionIds: verdict.matches.map((m) => m.exclusionId), activities, stored, attempt: 1 });
      continue;
    }
    work.push({ hit, inWindow: present, context, contextMissing: failed.get(hit.deviceId), verdict, stored, attempt: 1 });
  }
  return { work, suppressions };
}

/**
 * Stores the report (and with it the watermark), then purges expired reports. Re-running a succeeded
 * run is harmless, so its lost report fails the run (the host retries); a failed run is failing
 * anyway and its own error says more.
 */
async function keepReport(state: StateStore, logger: Logger, report: RunReport, purgeBefore: Date): Promise<void> {
  try {
    await state.appendRunReport(report);
    await state.purgeRunReports(report.ruleId, purgeBefore);
  } catch (error) {
    if (report.status !== 'failed') throw error;
    logger.error('could not store the report of a failed run', { error: errorMessage(error) });
  }
}
