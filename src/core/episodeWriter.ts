/**
 * Writes the incidents and the state for the hits that have something new, in the order that
 * makes a run exactly-once (docs/state-and-windows.md):
 * 1. a device that needs a new incident first gets a *reservation* in state (conditional
 *    write): its incident id is fixed before anything is raised, so a crash or a concurrent
 *    run resumes with the same id;
 * 2. the incident is written (idempotent upsert, deterministic id), then the comment;
 * 3. the evidence is merged into state, conditional on the ETag.
 * A conflict (409/412) re-reads the device and decides again. So does an incident the SOC closed
 * under us: a resumed create checks the reserved incident's status first, and an upsert that
 * leaves the incident Closed (closed between the status read and the write) is re-planned, so the
 * activity lands in a new episode (or a reopened incident), never in a closed one.
 * Suppressed hits are only recorded in state (`recordSuppressions`, same ETag discipline), and a
 * raised hit carries the report ids its device had while suppressed (src/core/suppression.ts).
 */
import type { EnrichedHit, Hit, IncidentDraft, IncidentStatus } from './model.js';
import type { HuntProgress, IncidentSink, Logger } from './ports.js';
import type { IncidentEpisode, IncidentRenderer } from './ports.js';
import type { HuntRule } from '../rules/rule.js';
import type { DeviceWrite, DeviceWriteResult, StateStore, StoredDevice } from './ports.js';
import type { DeviceState, EpisodeState } from './state.js';
import type { HitFailure, IncidentRef } from './report.js';
import type { RunMeter } from './runMeter.js';
import { assessEvidence, decideEpisode, firstEpisode, mergeHit, nextEpisode, reserveEpisode, type EpisodeDecision } from './dedupe.js';
import { foldSuppressedEvidence, recordSuppression } from './suppression.js';
import { updateCommentIdFor } from './incidentId.js';
import { mapWithConcurrency } from './concurrency.js';
import { errorMessage } from './errors.js';
import { chunks } from './chunks.js';

/** State writes per transaction: Table Storage's batch limit. */
const BATCH_SIZE = 100;
/** Incident writes in flight at once. */
const SINK_CONCURRENCY = 8;
/** Re-reads after a conflicting write before the hit is given up as failed (the next run retries it). */
const MAX_CONFLICT_ATTEMPTS = 5;

export interface WorkItem {
  readonly hit: Hit;
  readonly enriched: EnrichedHit;
  readonly stored: StoredDevice | undefined;
  readonly attempt: number;
}

/** A hit the exclusions explained: recorded in state, raised nowhere. */
export interface SuppressionItem {
  readonly hit: Hit;
  readonly exclusionIds: readonly string[];
  readonly stored: StoredDevice | undefined;
  readonly attempt: number;
}

export interface EpisodeWriterDeps {
  readonly state: StateStore;
  readonly sink: IncidentSink;
  readonly renderer: IncidentRenderer;
  readonly logger: Logger;
  readonly meter: RunMeter;
  readonly progress?: HuntProgress | undefined;
}

export interface EpisodeWriterContext {
  readonly rule: HuntRule;
  /** Incidents go to the (logging) sink, but nothing is written to state. */
  readonly dryRun: boolean;
  /** The run's single "now". */
  readonly now: Date;
}

export interface WriteResults {
  readonly created: IncidentRef[];
  readonly updated: IncidentRef[];
  /** Devices found already up to date on re-reading (another run did the work). */
  unchanged: number;
  readonly failures: HitFailure[];
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
  | { readonly kind: 'update' | 'reopen'; readonly episode: EpisodeState; readonly newReportIds: readonly string[] };

type Done = { readonly kind: 'done'; readonly ref: IncidentRef | undefined; readonly bucket: 'created' | 'updated' | 'unchanged' };
type Outcome = Done | { readonly kind: 'conflict' } | { readonly kind: 'failed'; readonly failure: HitFailure };

interface WrittenIncident {
  readonly episode: EpisodeState;
  readonly status: IncidentStatus;
  readonly outcome: Done;
}

/** The upsert found the incident Closed (the SOC closed it after the plan read its status): plan again. */
const CLOSED_UNDER_US = 'closedUnderUs';

/** The hit as the incident should show it: the whole episode's activity, not only this window's. */
function episodeHit(hit: Hit, state: DeviceState, episode: EpisodeState, newReportIds: readonly string[]): Hit {
  const firstSeen = Math.max(episode.episodeStart.getTime(), Math.min(state.firstSeen?.getTime() ?? Infinity, hit.firstSeen.getTime()));
  const lastSeen = Math.max(state.lastSeen?.getTime() ?? -Infinity, hit.lastSeen.getTime());
  return { ...hit, firstSeen: new Date(firstSeen), lastSeen: new Date(lastSeen), count: state.evidence.reportCount + newReportIds.length };
}

export class EpisodeWriter {
  private readonly results: WriteResults = { created: [], updated: [], unchanged: 0, failures: [] };

  constructor(
    private readonly deps: EpisodeWriterDeps,
    private readonly context: EpisodeWriterContext,
  ) {}

  async writeAll(items: readonly WorkItem[]): Promise<WriteResults> {
    let pending = [...items];
    while (pending.length > 0) {
      const retry: WorkItem[] = [];
      for (const batch of chunks(pending, BATCH_SIZE)) {
        const outcomes = await this.writeBatch(batch);
        outcomes.forEach((outcome, index) => {
          if (outcome.kind === 'conflict') retry.push(batch[index]!);
          else if (outcome.kind === 'failed') this.results.failures.push(outcome.failure);
          else this.record(outcome);
        });
        this.deps.progress?.advance('write', outcomes.filter((outcome) => outcome.kind !== 'conflict').length);
      }
      pending = await this.reread(retry);
    }
    return this.results;
  }

  private record(outcome: Done): void {
    if (outcome.bucket === 'unchanged') this.results.unchanged++;
    else if (outcome.ref) (outcome.bucket === 'created' ? this.results.created : this.results.updated).push(outcome.ref);
    if (outcome.ref) this.deps.logger.info(`incident ${outcome.bucket}`, { ...outcome.ref });
  }

  private async reread(conflicted: readonly WorkItem[]): Promise<WorkItem[]> {
    const again: WorkItem[] = [];
    for (const item of conflicted) {
      if (item.attempt >= MAX_CONFLICT_ATTEMPTS) {
        this.results.failures.push({ deviceId: item.hit.deviceId, deviceName: item.hit.deviceName, step: 'state', message: `state kept changing under ${MAX_CONFLICT_ATTEMPTS} attempts` });
        continue;
      }
      const stored = await this.deps.meter.tally('state', 'readDevice', 1, () => this.deps.state.readDevice(this.context.rule.id, item.hit.deviceId));
      again.push({ ...item, stored, attempt: item.attempt + 1 });
    }
    return again;
  }

  private sinkCall<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return this.deps.meter.tally('sink', `${this.deps.sink.name}:${operation}`, 1, work);
  }

  private writeDevices(writes: readonly DeviceWrite[]): Promise<DeviceWriteResult[]> {
    return this.deps.meter.tally('state', 'writeDevices', writes.length, () => this.deps.state.writeDevices(this.context.rule.id, writes));
  }

  private async plan(item: WorkItem): Promise<Plan> {
    const { rule, now } = this.context;
    const state = item.stored?.state;
    const assessment = assessEvidence(state, item.hit);
    switch (assessment.kind) {
      case 'noNewEvidence':
        return { kind: 'unchanged' };
      case 'newDevice':
        return { kind: 'create', reason: 'newDevice', episode: firstEpisode(rule.id, item.hit, now), reserve: true, newReportIds: item.hit.reportIds };
      case 'reservedIncident': {
        // The reserved incident may already exist (a run wrote it, then died before its state
        // write): if the SOC closed it since, this activity is a new episode (or a reopen), not
        // more evidence for the closed incident.
        const episode = state!.episode!;
        const status = await this.sinkCall('getStatus', () => this.deps.sink.getStatus(episode.incidentId));
        if (status === 'Closed') return this.episodePlan(item, state!, decideEpisode(episode, status, now, rule.grouping), assessment.newReportIds);
        return { kind: 'create', reason: 'resumed', episode, reserve: false, newReportIds: assessment.newReportIds };
      }
      case 'newEvidence': {
        const episode = state!.episode!;
        const status = await this.sinkCall('getStatus', () => this.deps.sink.getStatus(episode.incidentId));
        return this.episodePlan(item, state!, decideEpisode(episode, status, now, rule.grouping), assessment.newReportIds);
      }
    }
  }

  /** The plan for a device with an episode, once the episode policy decided (src/core/dedupe.ts). */
  private episodePlan(item: WorkItem, state: DeviceState, decision: EpisodeDecision, newReportIds: readonly string[]): Plan {
    const { rule, now } = this.context;
    if (decision.kind === 'newEpisode') {
      return { kind: 'create', reason: decision.reason, episode: nextEpisode(rule.id, state, item.hit, now), reserve: true, newReportIds };
    }
    return { kind: decision.kind, episode: state.episode!, newReportIds };
  }

  /**
   * Records suppressed hits in state (conditional on the ETag read; 409/412 re-read and decide
   * again). A device whose record would not change is not written; a dry run writes nothing.
   * Returns the ids of the devices whose record this run wrote (or, in a dry run, would write).
   */
  async recordSuppressions(items: readonly SuppressionItem[]): Promise<Set<string>> {
    const { dryRun, now, rule } = this.context;
    const recorded = new Set<string>();
    const fail = ({ hit }: SuppressionItem, message: string): void => {
      this.results.failures.push({ deviceId: hit.deviceId, deviceName: hit.deviceName, step: 'state', message });
    };
    let pending = [...items];
    while (pending.length > 0) {
      const writes: { item: SuppressionItem; write: DeviceWrite }[] = [];
      for (const item of pending) {
        const state = recordSuppression(item.stored?.state, item.hit, item.exclusionIds, now);
        if (state !== undefined) writes.push({ item, write: { state, expectedEtag: item.stored?.etag } });
      }
      const conflicted: SuppressionItem[] = [];
      if (dryRun) {
        for (const { item } of writes) recorded.add(item.hit.deviceId);
      } else {
        for (const batch of chunks(writes, BATCH_SIZE)) {
          try {
            const results = await this.writeDevices(batch.map((w) => w.write));
            results.forEach((result, index) => {
              const { item } = batch[index]!;
              if (result.outcome === 'written') recorded.add(item.hit.deviceId);
              else conflicted.push(item);
            });
          } catch (error) {
            for (const { item } of batch) fail(item, errorMessage(error));
          }
        }
      }
      pending = [];
      for (const item of conflicted) {
        if (item.attempt >= MAX_CONFLICT_ATTEMPTS) {
          fail(item, `state kept changing under ${MAX_CONFLICT_ATTEMPTS} attempts`);
          continue;
        }
        try {
          const stored = await this.deps.meter.tally('state', 'readDevice', 1, () => this.deps.state.readDevice(rule.id, item.hit.deviceId));
          pending.push({ ...item, stored, attempt: item.attempt + 1 });
        } catch (error) {
          fail(item, errorMessage(error));
        }
      }
    }
    return recorded;
  }

  private async writeBatch(unfolded: readonly WorkItem[]): Promise<Outcome[]> {
    const { dryRun, now } = this.context;
    // A raised hit carries the report ids its device had while suppressed (src/core/suppression.ts).
    const batch = unfolded.map((item): WorkItem => {
      const { hit, suppressedBefore } = foldSuppressedEvidence(item.hit, item.stored?.state);
      return suppressedBefore === undefined ? item : { ...item, hit, enriched: { ...item.enriched, hit, suppressedBefore } };
    });
    const outcomes: (Outcome | undefined)[] = new Array(batch.length).fill(undefined);
    const fail = (index: number, step: HitFailure['step'], error: unknown): void => {
      const { hit } = batch[index]!;
      outcomes[index] = { kind: 'failed', failure: { deviceId: hit.deviceId, deviceName: hit.deviceName, step, message: errorMessage(error) } };
    };
    const storeWrites = async (writes: readonly { index: number; write: DeviceWrite }[], onWritten: (index: number, etag: string) => void): Promise<void> => {
      if (dryRun || writes.length === 0) return;
      try {
        const results = await this.writeDevices(writes.map((w) => w.write));
        results.forEach((result, i) => {
          const index = writes[i]!.index;
          if (result.outcome === 'written') onWritten(index, result.etag);
          else outcomes[index] = { kind: 'conflict' };
        });
      } catch (error) {
        for (const { index } of writes) fail(index, 'state', error);
      }
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
    await storeWrites(reservations, (index, etag) => (etags[index] = etag));

    // 2. Write the incidents.
    const written = await mapWithConcurrency(batch, SINK_CONCURRENCY, async (item, index): Promise<WrittenIncident | undefined> => {
      const plan = plans[index];
      if (outcomes[index] !== undefined || plan === undefined || plan.kind === 'unchanged') return undefined;
      try {
        const result = await this.writeIncident(item, plan);
        if (result !== CLOSED_UNDER_US) return result;
        // Like a conflict: nothing is merged into state; re-read the device and plan again,
        // which now sees the incident Closed and starts a new episode (or reopens it).
        this.deps.logger.warn('incident closed while the hunter wrote it: planning again', { incidentId: plan.episode.incidentId, deviceId: item.hit.deviceId });
        outcomes[index] = { kind: 'conflict' };
        return undefined;
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
      const episode: EpisodeState = { ...result.episode, incidentWritten: true, incidentStatus: result.status, lastUpdate: now };
      finals.push({ index, write: { state: mergeHit(item.stored?.state, item.hit, episode), expectedEtag: etags[index] } });
    });
    if (dryRun) for (const { index } of finals) outcomes[index] = written[index]!.outcome;
    await storeWrites(finals, (index) => (outcomes[index] = written[index]!.outcome));

    return outcomes.map((outcome, index) => {
      if (outcome) return outcome;
      const { hit } = batch[index]!;
      return { kind: 'failed', failure: { deviceId: hit.deviceId, deviceName: hit.deviceName, step: 'decide', message: 'no outcome' } };
    });
  }

  private async writeIncident(item: WorkItem, plan: Exclude<Plan, { kind: 'unchanged' }>): Promise<WrittenIncident | typeof CLOSED_UNDER_US> {
    const { renderer, sink } = this.deps;
    const { rule } = this.context;
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
    const render = (enriched: EnrichedHit): IncidentDraft => {
      const draft = renderer.renderIncident(rule, enriched, episodeInfo);
      if (draft.incidentId !== plan.episode.incidentId) {
        throw new Error(`renderer returned incident id ${draft.incidentId}, expected the episode's ${plan.episode.incidentId}`);
      }
      return draft;
    };

    if (plan.kind === 'create') {
      const draft = render(item.enriched);
      const status = await this.sinkCall('upsert', () => sink.upsert({ ...draft, status: 'New' }));
      // A resumed create over an incident the SOC closed in the meantime.
      if (status === 'Closed') return CLOSED_UNDER_US;
      return { episode: plan.episode, status, outcome: { kind: 'done', ref: ref(draft, plan.reason), bucket: 'created' } };
    }

    const state = item.stored!.state;
    const enriched: EnrichedHit = { ...item.enriched, hit: episodeHit(item.hit, state, plan.episode, plan.newReportIds) };
    // Only a reopen asks for a status (Active). An update sends New, which never changes an
    // existing incident's status (statusAfterUpsert): had it sent the status read a moment ago,
    // an analyst closing the incident in between would see it reopened. The sink answers the
    // status after the write: Closed then means the SOC closed it in between, and no comment is
    // added to it; the hit is planned again.
    const draft = render(enriched);
    const status = await this.sinkCall('upsert', () => sink.upsert({ ...draft, status: plan.kind === 'reopen' ? 'Active' : 'New' }));
    if (status === 'Closed' && plan.kind !== 'reopen') return CLOSED_UNDER_US;
    // Named after the state this update extends (not only its count: report ids repeat per
    // device), so every update has its own comment and a retried one rewrites itself.
    const commentId = updateCommentIdFor(plan.episode.incidentId, { firstSeen: state.firstSeen, lastSeen: state.lastSeen, reportCount: state.evidence.reportCount });
    const comment = renderer.renderUpdateComment(rule, enriched, episodeInfo, plan.newReportIds, commentId);
    await this.sinkCall('addComment', () => sink.addComment(comment));
    return { episode: plan.episode, status, outcome: { kind: 'done', ref: ref(draft, plan.kind), bucket: 'updated' } };
  }
}
