/**
 * DRY_RUN=true: log exactly what would be written and write nothing. Status reads go through to
 * the real sink when it keeps one, so the dry run takes the same decisions a real run would (a
 * closed episode opens the next one).
 */
import { statusAfterWrite } from '../../core/model.js';
import type { DetectionSink, Logger } from '../../core/ports.js';
import type { Detection, DetectionWriteResult } from '../../core/detection.js';

export class DryRunIncidentSink implements DetectionSink {
  readonly name: string;

  constructor(
    private readonly logger: Logger,
    private readonly readThrough?: DetectionSink,
  ) {
    this.name = `dry-run(${readThrough?.name ?? 'no sink'})`;
  }

  /** Writes nothing; answers what the real sink would, as far as its status read tells. */
  async write(detections: readonly Detection[]): Promise<DetectionWriteResult[]> {
    const results: DetectionWriteResult[] = [];
    for (const detection of detections) {
      const existing = await this.readThrough?.readStatus?.(detection.episodeId);
      if (this.readThrough?.readStatus !== undefined) {
        if (existing === undefined && detection.sequence > 0) {
          results.push({ outcome: 'closed', missing: true });
          continue;
        }
        if (existing === 'Closed' && !detection.reopenIfClosed) {
          results.push({ outcome: 'closed', missing: false });
          continue;
        }
      }
      this.logger.info(`dry run: would write detection ${detection.findingId} (episode ${detection.episodeId}, update ${detection.sequence})`, {
        detection: { ...detection, episodeStart: detection.episodeStart.toISOString(), firstSeen: detection.firstSeen.toISOString(), lastSeen: detection.lastSeen.toISOString() },
      });
      results.push({
        outcome: 'written',
        ...(existing !== undefined ? { existed: true, status: statusAfterWrite(existing, detection.reopenIfClosed), ...(existing === 'Closed' ? { reopened: true } : {}) } : {}),
      });
    }
    return results;
  }
}
