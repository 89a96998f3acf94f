/**
 * The findings sink (INCIDENT_SINK=sentinel-alerts, and the findings half of the file sink): each detection becomes
 * one record of the findings table (src/findings/findingRecord.ts), written in one batch, paced for the analytics
 * rule (src/findings/pacing.ts). It keeps no incident status: grouping an episode's alerts into one incident, and
 * what happens after the SOC closes it, is the analytics rule's job.
 * Each detection's result is its own record's outcome, so state advances only for records the table accepted; a
 * detection whose record cannot even be built is failed alone, the rest go on.
 */
import type { Clock, DetectionSink, EpisodeLimits } from '../../core/ports.js';
import { ALERTS_PER_INCIDENT } from '../../findings/analyticsRule.js';
import type { Detection, DetectionWriteResult } from '../../core/detection.js';
import { errorMessage } from '../../core/errors.js';
import { buildFindingRecord, type FindingRecord } from '../../findings/findingRecord.js';
import { AlertPacer } from '../../findings/pacing.js';
import { MassDeploymentTracker } from '../../findings/massDeployment.js';
import type { UploadOutcome } from './logsIngestionUploader.js';

/** Where the records go: the Logs Ingestion API, or the local table file. One outcome per record, in order. */
export type FindingsWriter = (records: readonly FindingRecord[]) => Promise<readonly UploadOutcome[]>;

export interface FindingsSinkOptions {
  readonly name: string;
  readonly writer: FindingsWriter;
  readonly clock: Clock;
  /** DEFENDER_PORTAL_URL, for the device link. */
  readonly defenderPortalUrl: string;
  /** The rule's device query bound to the detection's device (HuntingQuery), when the rule has one. */
  readonly huntingQuery?: (detection: Detection) => string | undefined;
}

export class FindingsSink implements DetectionSink {
  readonly name: string;
  /**
   * The analytics rule groups an episode's alerts into one incident within its look-back from the incident's
   * FIRST alert, and at most 150 alerts: the hunter opens the next episode where the incident would end.
   */
  readonly episodeLimits: EpisodeLimits = { lookbackFrom: 'firstDetection', maxDetections: ALERTS_PER_INCIDENT };
  private readonly pacer = new AlertPacer();
  private readonly mass = new MassDeploymentTracker();
  private written = 0;

  constructor(private readonly options: FindingsSinkOptions) {
    this.name = options.name;
  }

  async write(detections: readonly Detection[]): Promise<DetectionWriteResult[]> {
    const now = this.options.clock.now();
    const results: (DetectionWriteResult | undefined)[] = new Array(detections.length).fill(undefined);
    const records: FindingRecord[] = [];
    const positions: number[] = [];
    detections.forEach((detection, index) => {
      try {
        records.push(buildFindingRecord(detection, { writtenAt: now, alertAfter: this.pacer.next(now), defenderPortalUrl: this.options.defenderPortalUrl, huntingQuery: this.options.huntingQuery?.(detection) }));
        positions.push(index);
      } catch (error) {
        results[index] = { outcome: 'failed', message: `finding ${detection.findingId}: ${errorMessage(error)}`, permanent: true };
      }
    });
    // A run with more findings than one rule run raises one by one also announces itself, in the same upload.
    this.written += records.length;
    if (detections[0] !== undefined) this.mass.add(detections[0].rule, records, now);
    const announcement = this.mass.announcement(now, this.written, this.pacer.horizon(), this.options.defenderPortalUrl);
    const upload = announcement === undefined ? records : [...records, announcement];
    const outcomes = upload.length === 0 ? [] : await this.options.writer(upload);
    records.forEach((_, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined) return;
      results[positions[i]!] = outcome.accepted ? { outcome: 'written' } : { outcome: 'failed', message: outcome.message, permanent: outcome.permanent };
    });
    // Not tied to a detection: a refused announcement is written again with the next batch.
    if (announcement !== undefined && outcomes[records.length]?.accepted) this.mass.announced(announcement);
    return results.map((result) => result ?? { outcome: 'failed', message: 'the writer gave no outcome for this finding', permanent: false });
  }

  /** When the last finding written so far is due for its alert (for the run's log and report). */
  alertsPacedUntil(): Date | undefined {
    return this.pacer.horizon();
  }
}
