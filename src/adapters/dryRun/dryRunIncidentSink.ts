/**
 * DRY_RUN=true: log exactly what would be written to Sentinel and write nothing.
 * Status reads go through to the real sink when there is one, so the dry run takes the same
 * create/update/comment decisions a real run would.
 */
import { statusAfterUpsert, type IncidentComment, type IncidentDraft, type IncidentStatus } from '../../core/model.js';
import type { IncidentSink, Logger } from '../../core/ports.js';

export class DryRunIncidentSink implements IncidentSink {
  readonly name: string;

  constructor(
    private readonly logger: Logger,
    private readonly readThrough?: IncidentSink,
  ) {
    this.name = `dry-run(${readThrough?.name ?? 'no sink'})`;
  }

  async getStatus(incidentId: string): Promise<IncidentStatus | undefined> {
    return this.readThrough?.getStatus(incidentId);
  }

  /** Writes nothing; answers the status the incident would have after the write, as the real sink would. */
  async upsert(draft: IncidentDraft): Promise<IncidentStatus> {
    const existing = await this.readThrough?.getStatus(draft.incidentId);
    this.logger.info(`dry run: would create or update incident ${draft.incidentId}`, {
      draft: { ...draft, firstActivity: draft.firstActivity.toISOString(), lastActivity: draft.lastActivity.toISOString() },
    });
    return existing === undefined ? draft.status : statusAfterUpsert(existing, draft.status);
  }

  async addComment(comment: IncidentComment): Promise<void> {
    this.logger.info(`dry run: would write comment ${comment.commentId} on incident ${comment.incidentId}`, { comment: { ...comment } });
  }
}
