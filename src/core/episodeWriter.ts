/**
 * Writes the detections and the state for the hits that have something new, in the order that
 * makes a run exactly-once (docs/state-and-windows.md), 100 devices at a time:
 * 1. plan every device (pure, ./episodePlan.ts) and build its detection;
 * 2. hand the batch to the sink (idempotent by episode and finding id: the ids depend only on the
 *    device's state, so a crashed or concurrent run writes the same ones);
 * 3. merge what was written into state, conditional on the ETag read: one state write per device.
 * A conflict (409/412) re-reads the device and plans again; so does an episode the sink answers
 * `closed` (the SOC closed it): the activity then opens the episode that follows it.
 * A detection the sink refuses for good (a 4xx other than 408/409/412/429), or a device entity the
 * store refuses, parks the device (src/core/state.ts ParkedState) instead of failing the run; any
 * other failure fails the hit, and the watermark stays.
 * Suppressed hits are only recorded in state (`recordSuppressions`, same ETag discipline).
 */
import type { DetectionSink, HuntProgress, IncidentRenderer, Logger } from './ports.js';
import type { HuntRule } from '../rules/rule.js';
import type { DeviceWrite, DeviceWriteResult, StateStore, StoredDevice, RunBudget } from './ports.js';
import type { Hit } from './model.js';
import type { DeviceState } from './state.js';
import type { DetectionRef, HitFailure, ParkedRef } from './report.js';
import type { RunMeter } from './runMeter.js';
import type { Detection, DetectionWriteResult } from './detection.js';
import { planItem, type DetectionPlan, type Plan, type WorkItem } from './episodePlan.js';
import { buildDetection } from './buildDetection.js';
import { nextDeviceState } from './state.js';
import { recordSuppression } from './suppression.js';
import { errorMessage } from './errors.js';
import { chunks } from './chunks.js';
import { parkedAfter, parkedRef } from './parking.js';

/** Devices per batch: Table Storage's transaction limit, and one sink call. */
const BATCH_SIZE = 100;
/** Re-reads after a conflicting write before the hit is given up as failed (the next run retries it). */
const MAX_CONFLICT_ATTEMPTS = 5;
/** Closed episodes followed in one run (a device whose state was lost may have several behind it). */
const MAX_PLANS = 20;

/** A hit the exclusions explained: recorded in state, raised nowhere. */
export interface SuppressionItem {
  readonly hit: Hit;
  readonly exclusionIds: readonly string[];
  /** Context activities each exclusion explained. */
  readonly activities?: Readonly<Record<string, number>>;
  readonly stored: StoredDevice | undefined;
  readonly attempt: number;
}

export interface EpisodeWriterDeps {
  readonly state: StateStore;
  readonly sink: DetectionSink;
  readonly renderer: IncidentRenderer;
  readonly logger: Logger;
  readonly meter: RunMeter;
  readonly budget: RunBudget | undefined;
  readonly progress?: HuntProgress | undefined;
}

export interface EpisodeWriterContext {
  readonly rule: HuntRule;
  readonly groupId: string;
  /** Detections go to the (logging) sink, but nothing is written to state. */
  readonly dryRun: boolean;
  /** The run's single "now". */
  readonly now: Date;
  readonly expectsContext: boolean;
}

export interface WriteResults {
  readonly created: DetectionRef[];
  readonly updated: DetectionRef[];
  /** Devices found already up to date on re-reading (another run did the work). */
  unchanged: number;
  readonly failures: HitFailure[];
  readonly parked: ParkedRef[];
  /** Devices raised (or asked again) without their context. */
  readonly contextIncomplete: string[];
  /** Items not started because the run's budget ran out. */
  deferred: number;
}

type Outcome =
  | { readonly kind: 'done'; readonly bucket: 'created' | 'updated'; readonly ref: DetectionRef }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'parked'; readonly ref: ParkedRef }
  | { readonly kind: 'contextPending' }
  | { readonly kind: 'again'; readonly item: WorkItem }
  | { readonly kind: 'failed'; readonly failure: HitFailure };

/** A device's state write, and what it means once the store accepted it. */
interface PendingWrite {
  readonly index: number;
  readonly write: DeviceWrite;
  readonly onWritten: Outcome;
  /** What to store instead if the store refuses `write` (the device parked at step `state`). */
  readonly fallback: (message: string) => { readonly write: DeviceWrite; readonly onWritten: Outcome };
}

export class EpisodeWriter {
  private readonly results: WriteResults = { created: [], updated: [], unchanged: 0, failures: [], parked: [], contextIncomplete: [], deferred: 0 };

  constructor(
    private readonly deps: EpisodeWriterDeps,
    private readonly context: EpisodeWriterContext,
  ) {}

  get written(): WriteResults {
    return this.results;
  }

  /** Writes `items` batch by batch; stops starting batches once the budget is exhausted (the rest is `deferred`). */
  async writeAll(items: readonly WorkItem[]): Promise<void> {
    let pending = [...items];
    while (pending.length > 0) {
      const again: WorkItem[] = [];
      for (const [index, batch] of chunks(pending, BATCH_SIZE).entries()) {
        if (this.deps.budget?.exhausted()) {
          this.results.deferred += pending.length - index * BATCH_SIZE;
          return;
        }
        const outcomes = await this.writeBatch(batch);
        for (const outcome of outcomes) {
          if (outcome.kind === 'again') again.push(outcome.item);
          else this.record(outcome);
        }
        this.logBatch(outcomes);
        this.deps.progress?.advance('write', outcomes.filter((outcome) => outcome.kind !== 'again').length);
      }
      pending = await this.reread(again);
    }
  }

  private record(outcome: Exclude<Outcome, { kind: 'again' }>): void {
    switch (outcome.kind) {
      case 'unchanged':
        this.results.unchanged++;
        return;
      case 'failed':
        this.results.failures.push(outcome.failure);
        return;
      case 'parked':
        this.results.parked.push(outcome.ref);
        this.deps.logger.warn(`device parked: ${outcome.ref.message}`, { ...outcome.ref });
        return;
      case 'contextPending':
        return;
      case 'done':
        (outcome.bucket === 'created' ? this.results.created : this.results.updated).push(outcome.ref);
        if (!outcome.ref.contextComplete) this.results.contextIncomplete.push(outcome.ref.deviceId);
    }
  }

  /** One line per batch, not per device: a mass deployment writes thousands. The run report lists each one. */
  private logBatch(outcomes: readonly Outcome[]): void {
    const done = outcomes.filter((outcome): outcome is Extract<Outcome, { kind: 'done' }> => outcome.kind === 'done');
    if (done.length === 0) return;
    const created = done.filter((outcome) => outcome.bucket === 'created');
    this.deps.logger.info(`detections written: ${created.length} created, ${done.length - created.length} updated`, {
      devices: done.slice(0, 5).map((outcome) => outcome.ref.deviceName),
      ...(done.length > 5 ? { more: done.length - 5 } : {}),
    });
  }

  /** Items to plan again: conflicts re-read the device first; closed episodes plan from what they know. */
  private async reread(items: readonly WorkItem[]): Promise<WorkItem[]> {
    const again: WorkItem[] = [];
    for (const item of items) {
      const limit = item.notOpen !== undefined ? MAX_PLANS : MAX_CONFLICT_ATTEMPTS;
      if (item.attempt >= limit) {
        this.results.failures.push({ deviceId: item.hit.deviceId, deviceName: item.hit.deviceName, step: 'state', message: `state kept changing under ${item.attempt} attempts` });
        continue;
      }
      if (item.notOpen !== undefined) {
        again.push({ ...item, attempt: item.attempt + 1 });
        continue;
      }
      try {
        const stored = await this.deps.meter.tally('state', 'readDevice', 1, () => this.deps.state.readDevice(this.context.groupId, item.hit.deviceId));
        again.push({ ...item, stored, attempt: item.attempt + 1 });
      } catch (error) {
        this.results.failures.push({ deviceId: item.hit.deviceId, deviceName: item.hit.deviceName, step: 'state', message: errorMessage(error) });
      }
    }
    return again;
  }

  private writeDevices(writes: readonly DeviceWrite[]): Promise<DeviceWriteResult[]> {
    return this.deps.meter.tally('state', 'writeDevices', writes.length, () => this.deps.state.writeDevices(this.context.groupId, writes));
  }

  private async writeBatch(batch: readonly WorkItem[]): Promise<Outcome[]> {
    const { rule, groupId, now, expectsContext } = this.context;
    const outcomes: (Outcome | undefined)[] = new Array(batch.length).fill(undefined);
    const failure = (item: WorkItem, step: HitFailure['step'], message: string): Outcome => ({
      kind: 'failed',
      failure: { deviceId: item.hit.deviceId, deviceName: item.hit.deviceName, step, message },
    });

    // 1. Plan and build (pure).
    const plans: (Plan | undefined)[] = batch.map((item, index) => {
      try {
        return planItem(item, { rule, groupId, now, expectsContext, episodeLimits: this.deps.sink.episodeLimits });
      } catch (error) {
        outcomes[index] = failure(item, 'decide', errorMessage(error));
        return undefined;
      }
    });
    const detections: { index: number; plan: DetectionPlan; detection: Detection }[] = [];
    const writes: PendingWrite[] = [];
    plans.forEach((plan, index) => {
      const item = batch[index]!;
      if (plan === undefined) return;
      if (plan.kind === 'unchanged') outcomes[index] = { kind: 'unchanged' };
      else if (plan.kind === 'contextStillMissing') {
        this.results.contextIncomplete.push(item.hit.deviceId);
        writes.push(this.pendingWrite(index, item, plan.next, { kind: 'contextPending' }));
      } else {
        try {
          detections.push({ index, plan, detection: buildDetection(plan, rule, groupId, this.deps.renderer, item.hit.eventCount) });
        } catch (error) {
          outcomes[index] = failure(item, 'decide', errorMessage(error));
        }
      }
    });

    // 2. The sink, one call for the batch.
    const answers = await this.sinkWrite(detections.map((d) => d.detection));
    detections.forEach(({ index, plan, detection }, i) => {
      const item = batch[index]!;
      const answer = answers[i]!;
      switch (answer.outcome) {
        case 'written': {
          const ref = detectionRef(item, plan, detection, answer);
          const bucket = detection.sequence === 0 && answer.existed !== true ? 'created' : 'updated';
          writes.push(this.pendingWrite(index, item, plan.next, { kind: 'done', bucket, ref }));
          return;
        }
        case 'closed':
          // Nothing written, nothing merged: the activity goes to the episode that follows.
          this.deps.logger.info('episode closed in the sink: the activity opens the next episode', { episodeId: detection.episodeId, deviceId: item.hit.deviceId });
          outcomes[index] = { kind: 'again', item: { ...item, notOpen: { episode: plan.episode, missing: answer.missing } } };
          return;
        case 'failed': {
          if (!answer.permanent) {
            outcomes[index] = failure(item, 'sink', answer.message);
            return;
          }
          // Parked with the episode's evidence: a retry rebuilds this detection from state.
          const parked = parkedAfter(plan.retries, 'sink', answer.message, now, plan.reason);
          const state: DeviceState = { ...plan.next, parked };
          writes.push(this.pendingWrite(index, item, state, { kind: 'parked', ref: parkedRef(state, parked, 'parked') }));
        }
      }
    });

    // 3. State: one write per device, batched by the store.
    await this.storeWrites(batch, writes, outcomes);
    return outcomes.map((outcome, index) => outcome ?? failure(batch[index]!, 'decide', 'no outcome'));
  }

  private async sinkWrite(detections: readonly Detection[]): Promise<DetectionWriteResult[]> {
    if (detections.length === 0) return [];
    const { sink } = this.deps;
    try {
      const answers = await this.deps.meter.tally('sink', `${sink.name}:write`, detections.length, () => sink.write(detections));
      if (answers.length !== detections.length) throw new Error(`sink ${sink.name} answered ${answers.length} results for ${detections.length} detections`);
      return answers;
    } catch (error) {
      // The port promises one result per detection; a sink that throws fails them all, retryably.
      return detections.map(() => ({ outcome: 'failed', message: errorMessage(error), permanent: false }));
    }
  }

  private pendingWrite(index: number, item: WorkItem, state: DeviceState, onWritten: Outcome): PendingWrite {
    const expectedEtag = item.stored?.etag;
    return {
      index,
      write: { state, expectedEtag },
      onWritten,
      fallback: (message) => {
        // The device keeps what was stored before; only the parked record is added (small, always storable).
        const parked = parkedAfter(item.stored?.state.parked, 'state', message, this.context.now, undefined);
        const kept = nextDeviceState(item.stored?.state, item.hit, { parked });
        return { write: { state: kept, expectedEtag }, onWritten: { kind: 'parked', ref: parkedRef(kept, parked, 'parked') } };
      },
    };
  }

  private async storeWrites(batch: readonly WorkItem[], writes: readonly PendingWrite[], outcomes: (Outcome | undefined)[]): Promise<void> {
    if (this.context.dryRun) {
      for (const { index, onWritten } of writes) outcomes[index] = onWritten;
      return;
    }
    let round: readonly { index: number; write: DeviceWrite; onWritten: Outcome; fallback?: PendingWrite['fallback'] }[] = writes;
    // At most twice: the writes, then the parked records of the devices the store refused.
    while (round.length > 0) {
      const refused: typeof round[number][] = [];
      let results: DeviceWriteResult[];
      try {
        results = await this.writeDevices(round.map((w) => w.write));
      } catch (error) {
        for (const { index } of round) outcomes[index] = { kind: 'failed', failure: { deviceId: batch[index]!.hit.deviceId, deviceName: batch[index]!.hit.deviceName, step: 'state', message: errorMessage(error) } };
        return;
      }
      results.forEach((result, i) => {
        const planned = round[i]!;
        const item = batch[planned.index]!;
        if (result.outcome === 'written') outcomes[planned.index] = planned.onWritten;
        else if (result.outcome === 'conflict') outcomes[planned.index] = { kind: 'again', item };
        else if (planned.fallback) refused.push({ index: planned.index, ...planned.fallback(result.message) });
        else outcomes[planned.index] = { kind: 'failed', failure: { deviceId: item.hit.deviceId, deviceName: item.hit.deviceName, step: 'state', message: result.message } };
      });
      round = refused;
    }
  }

  /**
   * Records suppressed hits in state (conditional on the ETag read; 409/412 re-read and decide
   * again). A device whose record would not change is not written; a dry run writes nothing.
   * Returns the ids of the devices whose record this run wrote (or, in a dry run, would write).
   */
  async recordSuppressions(items: readonly SuppressionItem[]): Promise<Set<string>> {
    const { dryRun, now, groupId } = this.context;
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
              else if (result.outcome === 'conflict') conflicted.push(item);
              else fail(item, result.message);
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
          const stored = await this.deps.meter.tally('state', 'readDevice', 1, () => this.deps.state.readDevice(groupId, item.hit.deviceId));
          pending.push({ ...item, stored, attempt: item.attempt + 1 });
        } catch (error) {
          fail(item, errorMessage(error));
        }
      }
    }
    return recorded;
  }
}

function detectionRef(item: WorkItem, plan: DetectionPlan, detection: Detection, answer: Extract<DetectionWriteResult, { outcome: 'written' }>): DetectionRef {
  return {
    episodeId: detection.episodeId,
    findingId: detection.findingId,
    sequence: detection.sequence,
    deviceId: item.hit.deviceId,
    deviceName: detection.device.name,
    title: detection.text.title,
    reason: answer.reopened === true ? 'reopen' : detection.sequence === 0 && answer.existed === true ? 'resumed' : plan.reason,
    ...(detection.previousEpisodeId ? { previousEpisodeId: detection.previousEpisodeId } : {}),
    newReportIds: plan.newReportIds.length,
    contextComplete: detection.contextComplete,
    ...(answer.link ? { link: answer.link } : {}),
  };
}

