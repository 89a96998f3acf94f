/**
 * IncidentSink on Microsoft Sentinel through Azure Resource Manager. Incident and comment ids come
 * from the pipeline (deterministic), so every write is an idempotent PUT: a retried run rewrites the
 * same incident and the same comment instead of adding new ones. Optimistic concurrency uses the
 * resource etag in the body: a 409 Conflict ("Newer version of resource ... exists") means someone (usually
 * an analyst) changed the incident since we read it, so we read it again and re-apply our change on top of theirs. Any other failure throws
 * with the service's message, so the pipeline does not advance its state.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { PipelineOptions, PipelineResponse } from '@azure/core-rest-pipeline';
import type { IncidentComment, IncidentDraft, IncidentStatus } from '../../core/model.js';
import type { IncidentSink } from '../../core/ports.js';
import type { CallLog } from '../callLog.js';
import { serviceError, serviceErrorDetail } from '../http/serviceError.js';
import { createServicePipeline } from '../http/servicePipeline.js';
import { parseJsonBody, sendJson, type JsonRequest } from '../http/sendJson.js';
import { mergedIncidentProperties, newIncidentProperties } from './mergeIncident.js';
import { incidentUrl, sentinelApiVersion, type SentinelIncident, type SentinelWorkspace } from './sentinelApi.js';
import { sentinelIncidentLimits } from './sentinelLimits.js';

export interface SentinelIncidentSinkOptions extends SentinelWorkspace {
  readonly credential: TokenCredential;
  readonly apiVersion?: string;
  readonly callLog?: CallLog;
  readonly pipelineOptions?: PipelineOptions;
  /** Re-read-and-re-apply rounds after a 409 before giving up (default 5). */
  readonly maxConflictRetries?: number;
  /** Per-request client timeout in seconds (default 60). */
  readonly requestTimeoutSeconds?: number;
}

const HINTS: Readonly<Record<number, string>> = {
  401: 'the token was not accepted by Azure Resource Manager; check AZURE_CLIENT_ID and that RESOURCE_MANAGER_ENDPOINT matches its cloud',
  403: "the identity needs the 'Microsoft Sentinel Responder' (or Contributor) role on the workspace's resource group",
  404: 'check SENTINEL_SUBSCRIPTION_ID, SENTINEL_RESOURCE_GROUP and SENTINEL_WORKSPACE_NAME, and that Sentinel is enabled on the workspace',
};

export class SentinelIncidentSink implements IncidentSink {
  readonly name = 'sentinel';
  private readonly transport;
  private readonly apiVersion: string;
  private readonly maxConflictRetries: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: SentinelIncidentSinkOptions) {
    this.transport = createServicePipeline({
      credential: options.credential,
      scope: `${options.armEndpoint.replace(/\/+$/, '')}/.default`,
      service: this.name,
      callLog: options.callLog,
      pipelineOptions: options.pipelineOptions,
    });
    this.apiVersion = options.apiVersion ?? sentinelApiVersion;
    this.maxConflictRetries = options.maxConflictRetries ?? 5;
    this.timeoutMs = (options.requestTimeoutSeconds ?? 60) * 1000;
  }

  async getStatus(incidentId: string): Promise<IncidentStatus | undefined> {
    return (await this.read(incidentId))?.properties.status;
  }

  async upsert(draft: IncidentDraft): Promise<IncidentStatus> {
    const what = `Sentinel incident ${draft.incidentId} write`;
    for (let round = 0; round <= this.maxConflictRetries; round += 1) {
      const existing = await this.read(draft.incidentId);
      const body = existing === undefined
        ? { properties: newIncidentProperties(draft) }
        : { ...(existing.etag !== undefined ? { etag: existing.etag } : {}), properties: mergedIncidentProperties(existing, draft) };
      const response = await this.send({ what, method: 'PUT', url: this.url(draft.incidentId), body });
      // The PUT carried the etag read just before: the incident now has the status it was sent with.
      if (response.status === 200 || response.status === 201) return body.properties.status;
      if (response.status === 409) continue;
      throw serviceError(what, response, HINTS[response.status]);
    }
    throw new Error(`${what}: the incident kept changing under us (409) in ${this.maxConflictRetries + 1} rounds of read and re-apply; nothing was lost, the next run will retry`);
  }

  async addComment(comment: IncidentComment): Promise<void> {
    const what = `Sentinel comment ${comment.commentId} on incident ${comment.incidentId}`;
    if (comment.message.length > sentinelIncidentLimits.commentChars) {
      throw new Error(`${what}: the message has ${comment.message.length} characters, over Sentinel's ${sentinelIncidentLimits.commentChars}; the renderer must summarise it`);
    }
    const response = await this.send({ what, method: 'PUT', url: this.url(comment.incidentId, comment.commentId), body: { properties: { message: comment.message } } });
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
    return incidentUrl(this.options, incidentId, this.apiVersion, commentId);
  }
}

/** A 404 for the subscription, resource group or workspace is a configuration error, not "no incident yet". */
function parentMissing(response: PipelineResponse): boolean {
  const { code } = serviceErrorDetail(response);
  return code !== undefined && /^(SubscriptionNotFound|ResourceGroupNotFound|WorkspaceNotFound|InvalidSubscriptionId)$/i.test(code);
}
