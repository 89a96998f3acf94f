/**
 * The hunt pipeline: window → query → hits → dedupe → context → exclusions → incident → state
 * → watermark and run report.
 *
 * Ordering is what makes it exactly-once:
 * 1. A device that needs a new incident first gets a *reservation* in state (conditional
 *    write): the incident id is fixed before anything is raised, so a crash or a concurrent
 *    run resumes with the same id.
 * 2. The incident is written (idempotent upsert, deterministic id).
 * 3. The device's evidence is merged into state, conditional on the ETag.
 * 4. Only when every hit succeeded: the watermark moves to the window's end.
 * A conflict (409/412) re-reads the device and decides again.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { Clock, DeviceContext, EnrichedHit, Hit, IncidentDraft, IncidentSink, IncidentStatus, Logger, QueryBackend, TimeWindow } from './model.js';
import type { ContextEnricher, ExclusionEvaluator, IncidentEpisode, IncidentRenderer } from './ports.js';
import type { HuntRule } from '../rules/rule.js';
import type { DeviceState, DeviceWrite, DeviceWriteResult, EpisodeState, StateStore, StoredDevice } from './state.js';
import type { CallReport, HitFailure, IncidentRef, RunReport, SuppressedRef, WindowReport } from './report.js';
import { HuntRunFailed } from './report.js';
import { planWindow, type WindowPlan } from './window.js';
import { hitsFromResult } from './hitRows.js';
import { assessEvidence, decideEpisode, firstEpisode, mergeHit, nextEpisode, reserveEpisode } from './dedupe.js';
import { updateCommentIdFor } from './incidentId.js';
import { mapWithConcurrency } from './concurrency.js';
import { bindHuntWindow } from './bindWindow.js';

export interface HuntDeps {
  readonly backend: QueryBackend;
  readonly state: StateStore;
  readonly sink: IncidentSink;
  readonly renderer: IncidentRenderer;
  readonly enricher: ContextEnricher | undefined;
  readonly exclusions: ExclusionEvaluator;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface HuntOptions {
  readonly rule: HuntRule;
  /** The sink is already a logging sink; state, watermark and run report are not written. */
  readonly dryRun: boolean;
  readonly runReportRetentionDays: number;
}

/** State writes per transaction: Table Storage's batch limit. */
const BATCH_SIZE = 100;
/** Incident writes in flight at once. */
const SINK_CONCURRENCY = 8;
/** Re-reads after a conflicting write before the hit is given up as failed (the next run retries it). */
const MAX_CONFLICT_ATTEMPTS = 5;

interface WorkItem {
  readonly hit: Hit;
  readonly enriched: EnrichedHit;
  readonly stored: StoredDevice | undefined;
  readonly attempt: number;
}

type Plan =
  | { readonly kind: 'unchanged' }
  | {
      readonly kind: 'create';
      readonly reason: string;
      readonly episode: EpisodeState;
      /** Whether the episode still has to be reserved in state before the incident is written. */
      readonly reserve: boolean;
      readonly newReportIds: readonly string[];
    }
  | {
      readonly kind: 'update' | 'reopen';
      readonly episode: EpisodeState;
      readonly status: IncidentStatus;
      readonly newReportIds: readonly string[];
    };

type Outcome =
  | { readonly kind: 'done'; readonly ref: IncidentRef | undefined; readonly bucket: 'created' | 'updated' | 'unchanged' }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'failed'; readonly failure: HitFailure };

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

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The hit as the incident should show it: the whole episode's activity, not only this window's. */
function episodeHit(hit: Hit, state: DeviceState, episode: EpisodeState, newReportIds: readonly string[]): Hit {
  const firstSeen = Math.max(episode.episodeStart.getTime(), Math.min(state.firstSeen?.getTime() ?? Infinity, hit.firstSeen.getTime()));
  const lastSeen = Math.max(state.lastSeen?.getTime() ?? -Infinity, hit.lastSeen.getTime());
  return {
    ...hit,
    firstSeen: new Date(firstSeen),
    lastSeen: new Date(lastSeen),
    count: state.evidence.reportCount + newReportIds.length,
  };
}

export async function runHunt(deps: HuntDeps, options: HuntOptions): Promise<RunReport> {
  return new HuntRun(deps, options).run();
}

class HuntRun {
  private readonly runId = randomUUID();
  private readonly startedAt: Date;
  private readonly now: Date;
  private readonly durations: Record<string, number> = {};
  private readonly calls: CallReport[] = [];
  private readonly created: IncidentRef[] = [];
  private readonly updated: IncidentRef[] = [];
  private readonly suppressed: SuppressedRef[] = [];
  private readonly failures: HitFailure[] = [];
  private readonly warnings: string[] = [];
  private unchanged = 0;
  private sinkCalls = 0;
  private sinkMs = 0;
  private stateWriteCalls = 0;
  private stateWriteEntities = 0;
  private stateWriteMs = 0;

  constructor(
    private readonly deps: HuntDeps,
    private readonly options: HuntOptions,
  ) {
    this.startedAt = deps.clock.now();
    // One "now" for the whole run, so every decision in it agrees on the time.
    this.now = this.startedAt;
  }

  private async timed<T>(step: string, work: () => Promise<T>): Promise<T> {
    const began = performance.now();
    try {
      return await work();
    } finally {
      this.durations[step] = (this.durations[step] ?? 0) + (performance.now() - began);
    }
  }

  private async sinkCall<T>(work: () => Promise<T>): Promise<T> {
    const began = performance.now();
    try {
      return await work();
    } finally {
      this.sinkCalls++;
      this.sinkMs += performance.now() - began;
    }
  }

  async run(): Promise<RunReport> {
    const { rule, dryRun } = this.options;
    const { backend, state, logger } = this.deps;
    const began = performance.now();

    const ruleState = await this.timed('loadState', () => state.loadRule(rule.id));
    this.calls.push({ target: 'state', operation: 'loadRule', durationMs: this.durations.loadState ?? 0, count: ruleState.devices.size });

    const plan = planWindow({
      now: this.now,
      watermark: ruleState.watermark?.watermark,
      queryPeriodMs: rule.queryPeriodMs,
      queryFrequencyMs: rule.queryFrequencyMs,
      config: rule.window,
      backendMaxLookbackMs: backend.maxLookbackMs,
    });
    this.noteWindow(plan);

    let rows = 0;
    let hits: Hit[] = [];
    if (!plan.empty) {
      const query = bindHuntWindow(rule, plan.window);
      const result = await this.timed('query', () => backend.run({ query, window: plan.window, purpose: 'hunt' }));
      this.calls.push({ target: 'backend', operation: `${backend.name}:hunt`, durationMs: this.durations.query ?? 0, count: result.rows.length });
      rows = result.rows.length;
      hits = hitsFromResult(result, rule.sourcePath);
    }

    const actionable: { hit: Hit; stored: StoredDevice | undefined }[] = [];
    for (const hit of hits) {
      const stored = ruleState.devices.get(hit.deviceId);
      if (assessEvidence(stored?.state, hit).kind === 'noNewEvidence') this.unchanged++;
      else actionable.push({ hit, stored });
    }

    const work = await this.enrichAndExclude(actionable, plan.window);
    await this.timed('incidentsAndState', () => this.processAll(work));

    let watermark = ruleState.watermark?.watermark;
    const failed = this.failures.length > 0;
    if (!dryRun && !failed && !plan.empty) {
      await this.timed('watermark', () => state.advanceWatermark(rule.id, plan.window.end, ruleState.watermark?.etag));
      watermark = plan.window.end;
    }
    this.calls.push({ target: 'sink', operation: `${this.deps.sink.name}:calls`, durationMs: this.sinkMs, count: this.sinkCalls });
    if (this.stateWriteCalls > 0) {
      this.calls.push({ target: 'state', operation: `writeDevices x${this.stateWriteCalls}`, durationMs: this.stateWriteMs, count: this.stateWriteEntities });
    }
    this.durations.total = performance.now() - began;

    const report: RunReport = {
      runId: this.runId,
      ruleId: rule.id,
      ruleName: rule.name,
      backend: backend.name,
      sink: this.deps.sink.name,
      dryRun,
      status: dryRun ? 'dryRun' : failed ? 'failed' : 'succeeded',
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.deps.clock.now().toISOString(),
      window: windowReport(plan),
      watermark: watermark?.toISOString(),
      rows,
      hits: hits.length,
      created: this.created,
      updated: this.updated,
      suppressed: this.suppressed,
      unchanged: this.unchanged,
      failures: this.failures,
      warnings: this.warnings,
      durationsMs: Object.fromEntries(Object.entries(this.durations).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      calls: this.calls,
    };
    if (!dryRun) await this.keepReport(report);
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

  private noteWindow(plan: WindowPlan): void {
    const { logger } = this.deps;
    if (plan.outageMs !== undefined) {
      this.warnings.push(`the last completed window ended ${Math.round(plan.outageMs / 60_000)} min ago: this run covers the whole gap`);
    }
    if (plan.uncovered) {
      this.warnings.push(
        `events from ${plan.uncovered.start.toISOString()} to ${plan.uncovered.end.toISOString()} were never hunted: older than the backend's look-back limit`,
      );
    }
    if (plan.empty) this.warnings.push(`empty window (${plan.window.start.toISOString()} .. ${plan.window.end.toISOString()}): nothing queried`);
    for (const warning of this.warnings) logger.warn(warning, { ruleId: this.options.rule.id });
  }

  private async keepReport(report: RunReport): Promise<void> {
    const { state, logger } = this.deps;
    await this.timed('runReport', async () => {
      try {
        await state.appendRunReport(report);
        const cutoff = new Date(this.now.getTime() - this.options.runReportRetentionDays * 86_400_000);
        await state.purgeRunReports(report.ruleId, cutoff);
      } catch (error) {
        // The incidents and the watermark are already safe; a lost report must not make the host re-run them.
        if (report.status !== 'failed') throw error;
        logger.error('could not store the report of a failed run', { error: errorMessage(error) });
      }
    });
  }

  /**
   * Only hits with something new are enriched and evaluated: an unchanged device raises
   * nothing whatever its context says, and skipping it keeps the context queries small.
   */
  private async enrichAndExclude(actionable: readonly { hit: Hit; stored: StoredDevice | undefined }[], window: TimeWindow): Promise<WorkItem[]> {
    const { enricher, exclusions } = this.deps;
    const { rule } = this.options;
    let contexts: ReadonlyMap<string, DeviceContext> = new Map();
    if (enricher && actionable.length > 0) {
      contexts = await this.timed('enrich', () =>
        enricher.enrich(
          rule,
          actionable.map((a) => a.hit),
          window,
        ),
      );
      this.calls.push({ target: 'enricher', operation: 'enrich', durationMs: this.durations.enrich ?? 0, count: actionable.length });
    }
    const work: WorkItem[] = [];
    const verdicts = [];
    for (const { hit, stored } of actionable) {
      // Missing context is evaluated as such by the exclusions: it never suppresses on its own.
      const context = contexts.get(hit.deviceId);
      const verdict = exclusions.evaluate(hit, context, this.now);
      verdicts.push(verdict);
      if (verdict.suppressed) {
        const exclusionIds = verdict.matches.map((m) => m.exclusionId);
        this.suppressed.push({ deviceId: hit.deviceId, deviceName: hit.deviceName, exclusionId: exclusionIds[0] ?? '', exclusionIds });
        continue;
      }
      work.push({ hit, enriched: { hit, context, verdict }, stored, attempt: 1 });
    }
    this.warnings.push(...exclusions.warningsForRun(verdicts, verdicts.length));
    return work;
  }

  private async processAll(items: readonly WorkItem[]): Promise<void> {
    let pending = [...items];
    while (pending.length > 0) {
      const retry: WorkItem[] = [];
      for (let i = 0; i < pending.length; i += BATCH_SIZE) {
        const batch = pending.slice(i, i + BATCH_SIZE);
        const outcomes = await this.processBatch(batch);
        outcomes.forEach((outcome, index) => {
          const item = batch[index]!;
          if (outcome.kind === 'conflict') retry.push(item);
          else if (outcome.kind === 'failed') this.failures.push(outcome.failure);
          else this.record(outcome);
        });
      }
      pending = await this.reread(retry);
    }
  }

  private record(outcome: Extract<Outcome, { kind: 'done' }>): void {
    if (outcome.bucket === 'unchanged') this.unchanged++;
    else if (outcome.ref) (outcome.bucket === 'created' ? this.created : this.updated).push(outcome.ref);
    if (outcome.ref) this.deps.logger.info(`incident ${outcome.bucket}`, { ...outcome.ref });
  }

  private async reread(conflicted: readonly WorkItem[]): Promise<WorkItem[]> {
    const again: WorkItem[] = [];
    for (const item of conflicted) {
      if (item.attempt >= MAX_CONFLICT_ATTEMPTS) {
        this.failures.push({ deviceId: item.hit.deviceId, deviceName: item.hit.deviceName, step: 'state', message: `state kept changing under ${MAX_CONFLICT_ATTEMPTS} attempts` });
        continue;
      }
      const stored = await this.timed('rereadState', () => this.deps.state.readDevice(this.options.rule.id, item.hit.deviceId));
      again.push({ ...item, stored, attempt: item.attempt + 1 });
    }
    return again;
  }

  private async writeDevices(writes: readonly DeviceWrite[]): Promise<DeviceWriteResult[]> {
    const began = performance.now();
    try {
      return await this.timed('stateWrites', () => this.deps.state.writeDevices(this.options.rule.id, writes));
    } finally {
      this.stateWriteCalls++;
      this.stateWriteEntities += writes.length;
      this.stateWriteMs += performance.now() - began;
    }
  }

  private async plan(item: WorkItem): Promise<Plan> {
    const { rule } = this.options;
    const state = item.stored?.state;
    const assessment = assessEvidence(state, item.hit);
    switch (assessment.kind) {
      case 'noNewEvidence':
        return { kind: 'unchanged' };
      case 'newDevice':
        return { kind: 'create', reason: 'newDevice', episode: firstEpisode(rule.id, item.hit, this.now), reserve: true, newReportIds: item.hit.reportIds };
      case 'reservedIncident':
        return { kind: 'create', reason: 'resumed', episode: state!.episode, reserve: false, newReportIds: assessment.newReportIds };
      case 'newEvidence': {
        const episode = state!.episode;
        const status = await this.sinkCall(() => this.deps.sink.getStatus(episode.incidentId));
        const decision = decideEpisode(episode, status, this.now, rule.grouping);
        if (decision.kind === 'newEpisode') {
          return { kind: 'create', reason: decision.reason, episode: nextEpisode(rule.id, state!, item.hit, this.now), reserve: true, newReportIds: assessment.newReportIds };
        }
        return { kind: decision.kind, episode, status: status!, newReportIds: assessment.newReportIds };
      }
    }
  }

  private async processBatch(batch: readonly WorkItem[]): Promise<Outcome[]> {
    const { rule, dryRun } = this.options;
    const outcomes: (Outcome | undefined)[] = new Array(batch.length).fill(undefined);
    const fail = (index: number, step: HitFailure['step'], error: unknown): void => {
      const { hit } = batch[index]!;
      outcomes[index] = { kind: 'failed', failure: { deviceId: hit.deviceId, deviceName: hit.deviceName, step, message: errorMessage(error) } };
    };

    const plans = await mapWithConcurrency(batch, SINK_CONCURRENCY, async (item, index) => {
      try {
        return await this.plan(item);
      } catch (error) {
        fail(index, 'decide', error);
        return undefined;
      }
    });
    const etags = batch.map((item) => item.stored?.etag);

    // 1. Reserve new episodes, so the incident id is fixed before the incident exists.
    const reservations: { index: number; write: DeviceWrite }[] = [];
    plans.forEach((plan, index) => {
      if (plan?.kind === 'unchanged') outcomes[index] = { kind: 'done', ref: undefined, bucket: 'unchanged' };
      if (plan?.kind === 'create' && plan.reserve) {
        const item = batch[index]!;
        reservations.push({ index, write: { state: reserveEpisode(item.stored?.state, item.hit, plan.episode), expectedEtag: etags[index] } });
      }
    });
    if (!dryRun && reservations.length > 0) {
      try {
        const results = await this.writeDevices(reservations.map((r) => r.write));
        results.forEach((result, i) => {
          const index = reservations[i]!.index;
          if (result.outcome === 'written') etags[index] = result.etag;
          else outcomes[index] = { kind: 'conflict' };
        });
      } catch (error) {
        for (const { index } of reservations) fail(index, 'state', error);
      }
    }

    // 2. Write the incidents.
    const written = await mapWithConcurrency(batch, SINK_CONCURRENCY, async (item, index) => {
      const plan = plans[index];
      if (outcomes[index] !== undefined || plan === undefined || plan.kind === 'unchanged') return undefined;
      try {
        return await this.writeIncident(item, plan);
      } catch (error) {
        fail(index, 'incident', error);
        return undefined;
      }
    });

    // 3. Merge the evidence into state, conditional on the ETag read (or just written).
    const finals: { index: number; write: DeviceWrite }[] = [];
    written.forEach((result, index) => {
      if (result === undefined || outcomes[index] !== undefined) return;
      const item = batch[index]!;
      const episode: EpisodeState = { ...result.episode, incidentWritten: true, incidentStatus: result.status, lastUpdate: this.now };
      finals.push({ index, write: { state: mergeHit(item.stored?.state, item.hit, episode), expectedEtag: etags[index] } });
    });
    if (dryRun) {
      for (const { index } of finals) outcomes[index] = written[index]!.outcome;
    } else if (finals.length > 0) {
      try {
        const results = await this.writeDevices(finals.map((f) => f.write));
        results.forEach((result, i) => {
          const index = finals[i]!.index;
          outcomes[index] = result.outcome === 'written' ? written[index]!.outcome : { kind: 'conflict' };
        });
      } catch (error) {
        for (const { index } of finals) fail(index, 'state', error);
      }
    }
    return outcomes.map((outcome, index) => outcome ?? { kind: 'failed', failure: { deviceId: batch[index]!.hit.deviceId, deviceName: batch[index]!.hit.deviceName, step: 'decide', message: 'no outcome' } });
  }

  private async writeIncident(item: WorkItem, plan: Exclude<Plan, { kind: 'unchanged' }>): Promise<{ episode: EpisodeState; status: IncidentStatus; outcome: Extract<Outcome, { kind: 'done' }> }> {
    const { renderer, sink } = this.deps;
    const { rule } = this.options;
    const episodeInfo: IncidentEpisode = { incidentId: plan.episode.incidentId, episodeStart: plan.episode.episodeStart, previousIncidentId: plan.episode.previousIncidentId };
    const ref = (draft: IncidentDraft, reason: string): IncidentRef => ({
      incidentId: draft.incidentId,
      deviceId: item.hit.deviceId,
      deviceName: item.hit.deviceName,
      title: draft.title,
      reason,
      ...(plan.episode.previousIncidentId ? { previousIncidentId: plan.episode.previousIncidentId } : {}),
      newReportIds: plan.newReportIds.length,
    });

    if (plan.kind === 'create') {
      const draft = renderer.renderIncident(rule, item.enriched, episodeInfo);
      this.assertIncidentId(draft, plan.episode);
      await this.sinkCall(() => sink.upsert({ ...draft, status: 'New' }));
      return { episode: plan.episode, status: 'New', outcome: { kind: 'done', ref: ref(draft, plan.reason), bucket: 'created' } };
    }

    const state = item.stored!.state;
    const enriched: EnrichedHit = { ...item.enriched, hit: episodeHit(item.hit, state, plan.episode, plan.newReportIds) };
    const status: IncidentStatus = plan.kind === 'reopen' ? 'Active' : plan.status;
    const draft = renderer.renderIncident(rule, enriched, episodeInfo);
    this.assertIncidentId(draft, plan.episode);
    await this.sinkCall(() => sink.upsert({ ...draft, status }));
    const commentId = updateCommentIdFor(plan.episode.incidentId, state.evidence.reportCount);
    const comment = renderer.renderUpdateComment(rule, enriched, episodeInfo, plan.newReportIds, commentId);
    await this.sinkCall(() => sink.addComment(comment));
    return { episode: plan.episode, status, outcome: { kind: 'done', ref: ref(draft, plan.kind), bucket: 'updated' } };
  }

  private assertIncidentId(draft: IncidentDraft, episode: EpisodeState): void {
    if (draft.incidentId !== episode.incidentId) {
      throw new Error(`renderer returned incident id ${draft.incidentId}, expected the episode's ${episode.incidentId}`);
    }
  }
}
