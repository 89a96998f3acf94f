/**
 * DetectionSink on Microsoft Sentinel's incidents API through Azure Resource Manager: one incident
 * per episode (the episode id is the incident's name), one comment per update (the finding id is
 * the comment's name). Every write is an idempotent PUT: a retried run rewrites the same incident and
 * the same comment instead of adding new ones. Each detection costs one read (the etag the PUT
 * needs, and the SOC's status) and one PUT, plus the comment for an update. Optimistic concurrency
 * uses the resource etag in the body: a 409 Conflict ("Newer version of resource ... exists") means
 * someone (usually an analyst) changed the incident since we read it, so we read it again and
 * re-apply our change on top of theirs.
 * A Closed incident is left alone (the pipeline opens the next episode) unless the detection asks to
 * reopen it. Failures are the detection's result, permanent for a 4xx that is about this incident
 * (not 401/403/404 of the workspace, 408, 409, 412 or 429).
 */
import type { TokenCredential } from '@azure/core-auth';
import type { PipelineOptions, PipelineResponse } from '@azure/core-rest-pipeline';
import type { IncidentStatus } from '../../core/model.js';
import type { DetectionSink } from '../../core/ports.js';
import type { Detection, DetectionWriteResult } from '../../core/detection.js';
import { mapWithConcurrency } from '../../core/concurrency.js';
import { errorMessage } from '../../core/errors.js';
import { uuidV5 } from '../../core/ids.js';
import type { CallLog } from '../callLog.js';
import { ServiceError, serviceError, serviceErrorDetail } from '../http/serviceError.js';
import { createServicePipeline } from '../http/servicePipeline.js';
import { parseJsonBody, sendJson, type JsonRequest } from '../http/sendJson.js';
import { incidentDraft, mergedIncidentProperties, newIncidentProperties, type IncidentDraft } from './mergeIncident.js';
import { incidentResourceUrl, sentinelApiVersion, type SentinelIncident, type SentinelWorkspace } from './sentinelApi.js';
import { sentinelIncidentLimits } from './sentinelLimits.js';
import { trimTrailing } from '../../text/trimTrailing.js';

export interface SentinelIncidentSinkOptions extends SentinelWorkspace {
  readonly credential: TokenCredential;
  readonly apiVersion?: string;
  readonly callLog?: CallLog;
  readonly pipelineOptions?: PipelineOptions;
  /** Re-read-and-re-apply rounds after a 409 before giving up (default 5). */
  readonly maxConflictRetries?: number;
  /** Per-request client timeout in seconds (default 60). */
  readonly requestTimeoutSeconds?: number;
  /** Detections written at once (default 8). */
  readonly concurrency?: number;
}

/** Statuses that say nothing about this incident: the whole sink is misconfigured or busy, a retry may help. */
const NOT_ABOUT_THE_INCIDENT = new Set([401, 403, 404, 408, 409, 412, 429]);

type Written = Extract<DetectionWriteResult, { outcome: 'written' }>;

const HINTS: Readonly<Record<number, string>> = {
  401: 'the token was not accepted by Azure Resource Manager; check AZURE_CLIENT_ID and that RESOURCE_MANAGER_ENDPOINT matches its cloud',
  403: "the identity needs the 'Microsoft Sentinel Responder' (or Contributor) role on the workspace's resource group",
  404: 'check SENTINEL_SUBSCRIPTION_ID, SENTINEL_RESOURCE_GROUP and SENTINEL_WORKSPACE_NAME, and that Sentinel is enabled on the workspace',
};

export class SentinelIncidentSink implements DetectionSink {
  readonly name = 'sentinel';
  private readonly transport;
  private readonly apiVersion: string;
  private readonly maxConflictRetries: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;

  constructor(private readonly options: SentinelIncidentSinkOptions) {
    this.transport = createServicePipeline({
      credential: options.credential,
      scope: `${trimTrailing(options.armEndpoint, '/')}/.default`,
      service: this.name,
      callLog: options.callLog,
      pipelineOptions: options.pipelineOptions,
    });
    this.apiVersion = options.apiVersion ?? sentinelApiVersion;
    this.maxConflictRetries = options.maxConflictRetries ?? 5;
    this.timeoutMs = (options.requestTimeoutSeconds ?? 60) * 1000;
    this.concurrency = options.concurrency ?? 8;
  }

  write(detections: readonly Detection[]): Promise<DetectionWriteResult[]> {
    return mapWithConcurrency(detections, this.concurrency, async (detection): Promise<DetectionWriteResult> => {
      try {
        const written = await this.upsert(incidentDraft(detection), detection.sequence > 0);
        if (written.outcome !== 'written') return written;
        if (detection.text.updateComment !== undefined) {
          const comment = updateComment(detection.episodeId, detection.findingId, detection.sequence, detection.text.updateComment);
          await this.addComment(detection.episodeId, comment.id, comment.message);
        }
        return written;
      } catch (error) {
        const status = error instanceof ServiceError ? error.status : undefined;
        const permanent = status !== undefined && status >= 400 && status < 500 && !NOT_ABOUT_THE_INCIDENT.has(status);
        return { outcome: 'failed', message: errorMessage(error), permanent };
      }
    });
  }

  async readStatus(episodeId: string): Promise<IncidentStatus | undefined> {
    return (await this.read(episodeId))?.properties.status;
  }

  /**
   * Creates or updates the incident: one read (for the etag and the SOC's status), one PUT.
   * `isUpdate`: the detection extends an episode the pipeline believes exists; if it is gone, the
   * answer is `closed` (missing) and the pipeline opens the next episode rather than re-create it.
   */
  private async upsert(draft: IncidentDraft, isUpdate: boolean): Promise<Written | Extract<DetectionWriteResult, { outcome: 'closed' }>> {
    const what = `Sentinel incident ${draft.incidentId} write`;
    for (let round = 0; round <= this.maxConflictRetries; round += 1) {
      const existing = await this.read(draft.incidentId);
      if (existing === undefined && isUpdate) return { outcome: 'closed', missing: true };
      if (existing?.properties.status === 'Closed' && !draft.reopenIfClosed) return { outcome: 'closed', missing: false };
      const body = existing === undefined
        ? { properties: newIncidentProperties(draft) }
        : { ...(existing.etag !== undefined ? { etag: existing.etag } : {}), properties: mergedIncidentProperties(existing, draft) };
      const response = await this.send({ what, method: 'PUT', url: this.url(draft.incidentId), body });
      // The PUT carried the etag read just before: the incident now has the status it was sent with.
      if (response.status === 200 || response.status === 201) {
        const reopened = existing?.properties.status === 'Closed' && body.properties.status !== 'Closed';
        // The incident's page, as the service names it, never built by hand: IncidentProperties.incidentUrl, "the
        // deep-link url to the incident in Azure portal" (learn.microsoft.com/javascript/api/@azure/arm-securityinsight/incidentproperties).
        const link = parseJsonBody<SentinelIncident>(response, what).properties?.incidentUrl;
        return { outcome: 'written', existed: existing !== undefined, status: body.properties.status, ...(reopened ? { reopened } : {}), ...(link ? { link } : {}) };
      }
      if (response.status === 409) continue;
      throw serviceError(what, response, HINTS[response.status]);
    }
    throw new Error(`${what}: the incident kept changing under us (409) in ${this.maxConflictRetries + 1} rounds of read and re-apply; nothing was lost, the next run will retry`);
  }

  private async addComment(incidentId: string, commentId: string, message: string): Promise<void> {
    const what = `Sentinel comment ${commentId} on incident ${incidentId}`;
    if (message.length > sentinelIncidentLimits.commentChars) {
      throw new Error(`${what}: the message has ${message.length} characters, over Sentinel's ${sentinelIncidentLimits.commentChars}; the renderer must summarise it`);
    }
    const response = await this.send({ what, method: 'PUT', url: this.url(incidentId, commentId), body: { properties: { message } } });
    if (response.status === 200 || response.status === 201) return;
    throw serviceError(what, response, response.status === 404 ? 'the incident does not exist (yet); comments are written after the incident' : HINTS[response.status]);
  }

  private async read(incidentId: string): Promise<SentinelIncident | undefined> {
    const what = `Sentinel incident ${incidentId} read`;
    const response = await this.send({ what, method: 'GET', url: this.url(incidentId) });
    if (response.status === 404 && !parentMissing(response)) return undefined;
    if (response.status !== 200) throw serviceError(what, response, HINTS[response.status]);
    return parseJsonBody<SentinelIncident>(response, what);
  }

  private send(request: JsonRequest): Promise<PipelineResponse> {
    return sendJson(this.transport.pipeline, this.transport.httpClient, { ...request, timeoutMs: this.timeoutMs });
  }

  private url(incidentId: string, commentId?: string): string {
    return incidentResourceUrl(this.options, incidentId, this.apiVersion, commentId);
  }
}

/**
 * Sentinel keeps at most 100 comments per incident (sentinel-service-limits, "Incident limits"), analysts' included.
 * The hunter's updates take at most HUNTER_COMMENTS of them, one per update (named by the finding id, so a retry
 * rewrites it); later updates rewrite one last comment (named by the episode) with the newest update, so an
 * episode that keeps growing never fills the incident and never fails its writes. Nothing is lost: the incident's
 * description is rewritten with the whole episode's evidence on every update.
 */
export const HUNTER_COMMENTS = 80;

export function updateComment(episodeId: string, findingId: string, sequence: number, markdown: string): { id: string; message: string } {
  if (sequence < HUNTER_COMMENTS) return { id: findingId, message: markdown };
  const note = `_Update ${sequence}: updates after the ${HUNTER_COMMENTS - 1}th are written into this one comment, which each update replaces (an incident keeps at most 100 comments); the description always shows the whole episode._\n\n`;
  return { id: uuidV5(JSON.stringify(['latest-update-comment', episodeId])), message: fitComment(note + markdown) };
}

function fitComment(message: string): string {
  const limit = sentinelIncidentLimits.commentChars;
  return message.length <= limit ? message : `${message.slice(0, limit - 1)}…`;
}

/** A 404 for the subscription, resource group or workspace is a configuration error, not "no incident yet". */
function parentMissing(response: PipelineResponse): boolean {
  const { code } = serviceErrorDetail(response);
  return code !== undefined && /^(SubscriptionNotFound|ResourceGroupNotFound|WorkspaceNotFound|InvalidSubscriptionId)$/i.test(code);
}
