/**
 * DRY_RUN=true: log exactly what would be written to Sentinel and write nothing.
 * Status reads go through to the real sink when there is one, so the dry run takes the same
 * create/update/comment decisions a real run would.
 */
import type { IncidentComment, IncidentDraft, IncidentSink, IncidentStatus, Logger } from '../core/model.js';

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

  async upsert(draft: IncidentDraft): Promise<void> {
    this.logger.info(`dry run: would create or update incident ${draft.incidentId}`, {
      draft: { ...draft, firstActivity: draft.firstActivity.toISOString(), lastActivity: draft.lastActivity.toISOString() },
    });
  }

  async addComment(comment: IncidentComment): Promise<void> {
    this.logger.info(`dry run: would write comment ${comment.commentId} on incident ${comment.incidentId}`, { comment: { ...comment } });
  }
}
