/**
 * Microsoft Sentinel incidents and incident comments over ARM (api-version 2025-09-01):
 * GET/PUT .../providers/Microsoft.SecurityInsights/incidents/{id} and PUT .../incidents/{id}/comments/{commentId}.
 * Implements the documented rules the sink relies on: title/severity/status required, severity and status
 * enums, a Closed incident needs a classification, labels are { labelName, labelType }, 201 on create
 * and 200 on update, a stale body etag is refused with 409 Conflict "Newer version of resource ... exists" (as the
 * service answers: Azure/Azure-Sentinel#909), comments need an existing incident, a message of at most 30,000
 * characters, and an incident holds at most 100 comments (learn.microsoft.com/azure/sentinel/sentinel-service-limits,
 * "Incident limits"). `analyst` edits incidents the way a SOC analyst in the portal would.
 */
import { randomUUID } from 'node:crypto';
import { HttpsContractServer, serviceErrorBody, type ContractResponse, type RecordedRequest } from './httpsContractServer.js';

export interface StoredIncident {
  etag: string;
  properties: Record<string, unknown>;
  readonly comments: Map<string, { message: string }>;
  readonly incidentNumber: number;
}

/** sentinel-service-limits, "Incident limits": number of comments per incident. */
export const MAX_COMMENTS_PER_INCIDENT = 100;
const SEVERITIES = ['High', 'Medium', 'Low', 'Informational'];
const STATUSES = ['New', 'Active', 'Closed'];
const CLASSIFICATIONS = ['Undetermined', 'TruePositive', 'BenignPositive', 'FalsePositive'];
const PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/providers\/Microsoft\.SecurityInsights\/incidents\/([^/]+)(?:\/comments\/([^/]+))?$/;

export class SentinelContractServer extends HttpsContractServer {
  readonly incidents = new Map<string, StoredIncident>();
  private nextNumber = 1;
  private beforeNextWrite: (() => void) | undefined;

  constructor(readonly workspace: { readonly subscriptionId: string; readonly resourceGroup: string; readonly workspaceName: string }, readonly apiVersion = '2025-09-01') {
    super((request) => this.handle(request));
  }

  /** An analyst changes the incident in the portal: new etag, as in the service. */
  analyst(incidentId: string, change: Record<string, unknown>): void {
    const incident = this.incidents.get(incidentId);
    if (!incident) throw new Error(`no incident ${incidentId}`);
    incident.properties = { ...incident.properties, ...change };
    incident.etag = `"${randomUUID()}"`;
  }

  /** Runs `change` after the next incident PUT arrives and before it is applied: a concurrent edit. */
  onceBeforeNextWrite(change: () => void): void {
    this.beforeNextWrite = change;
  }

  private handle(request: RecordedRequest): ContractResponse {
    const match = PATH.exec(request.path);
    if (!match) return { status: 404, body: serviceErrorBody('NotFound', `No route for ${request.path}`) };
    const [, subscriptionId, resourceGroup, workspaceName, incidentId, commentId] = match as unknown as [string, string, string, string, string, string | undefined];
    if (request.query.get('api-version') !== this.apiVersion) {
      return { status: 400, body: serviceErrorBody('InvalidApiVersionParameter', `The api-version '${request.query.get('api-version')}' is invalid.`) };
    }
    if (subscriptionId !== this.workspace.subscriptionId) return { status: 404, body: serviceErrorBody('SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`) };
    if (resourceGroup.toLowerCase() !== this.workspace.resourceGroup.toLowerCase()) return { status: 404, body: serviceErrorBody('ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`) };
    if (workspaceName !== this.workspace.workspaceName) return { status: 404, body: serviceErrorBody('WorkspaceNotFound', `Workspace '${workspaceName}' not found.`) };
    if (commentId !== undefined) return this.handleComment(request, incidentId, commentId);
    if (request.method === 'GET') return this.getIncident(request.path, incidentId);
    if (request.method === 'PUT') return this.putIncident(request, incidentId);
    return { status: 405, body: serviceErrorBody('MethodNotAllowed', `${request.method} is not supported`) };
  }

  private representation(path: string, incidentId: string, incident: StoredIncident): unknown {
    return {
      id: path,
      name: incidentId,
      type: 'Microsoft.SecurityInsights/Incidents',
      etag: incident.etag,
      properties: { ...incident.properties, incidentNumber: incident.incidentNumber, incidentUrl: `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident${path}` },
    };
  }

  private getIncident(path: string, incidentId: string): ContractResponse {
    const incident = this.incidents.get(incidentId);
    if (!incident) return { status: 404, body: serviceErrorBody('NotFound', `Incident ${incidentId} not found`) };
    return { status: 200, body: this.representation(path, incidentId, incident) };
  }

  private putIncident(request: RecordedRequest, incidentId: string): ContractResponse {
    const body = JSON.parse(request.body) as { etag?: unknown; properties?: Record<string, unknown> };
    const properties = body.properties;
    const problem = validateIncident(properties);
    if (problem) return { status: 400, body: serviceErrorBody('BadRequest', problem) };
    const change = this.beforeNextWrite;
    this.beforeNextWrite = undefined;
    change?.();
    const existing = this.incidents.get(incidentId);
    if (existing && body.etag !== undefined && body.etag !== existing.etag) {
      return { status: 409, body: serviceErrorBody('Conflict', `Newer version of resource '${incidentId}' exists. Data was not saved`) };
    }
    const readOnly = ['incidentNumber', 'incidentUrl', 'createdTimeUtc', 'lastModifiedTimeUtc'];
    const writable = Object.fromEntries(Object.entries(properties!).filter(([name]) => !readOnly.includes(name)));
    if (existing) {
      existing.properties = writable;
      existing.etag = `"${randomUUID()}"`;
      return { status: 200, body: this.representation(request.path, incidentId, existing) };
    }
    const created: StoredIncident = { etag: `"${randomUUID()}"`, properties: writable, comments: new Map(), incidentNumber: this.nextNumber++ };
    this.incidents.set(incidentId, created);
    return { status: 201, body: this.representation(request.path, incidentId, created) };
  }

  private handleComment(request: RecordedRequest, incidentId: string, commentId: string): ContractResponse {
    const incident = this.incidents.get(incidentId);
    if (!incident) return { status: 404, body: serviceErrorBody('NotFound', `Incident ${incidentId} not found`) };
    if (request.method === 'GET') {
      const comment = incident.comments.get(commentId);
      return comment ? { status: 200, body: { name: commentId, properties: comment } } : { status: 404, body: serviceErrorBody('NotFound', `Comment ${commentId} not found`) };
    }
    if (request.method !== 'PUT') return { status: 405, body: serviceErrorBody('MethodNotAllowed', `${request.method} is not supported`) };
    const body = JSON.parse(request.body) as { properties?: { message?: unknown } };
    const message = body.properties?.message;
    if (typeof message !== 'string' || message === '') return { status: 400, body: serviceErrorBody('BadRequest', 'properties.message is required') };
    if (message.length > 30_000) return { status: 400, body: serviceErrorBody('BadRequest', 'Comment message exceeds 30000 characters') };
    const existed = incident.comments.has(commentId);
    if (!existed && incident.comments.size >= MAX_COMMENTS_PER_INCIDENT) {
      return { status: 400, body: serviceErrorBody('BadRequest', `An incident can have at most ${MAX_COMMENTS_PER_INCIDENT} comments`) };
    }
    incident.comments.set(commentId, { message });
    return { status: existed ? 200 : 201, body: { name: commentId, type: 'Microsoft.SecurityInsights/Incidents/Comments', properties: { message, createdTimeUtc: new Date().toISOString() } } };
  }
}

function validateIncident(properties: Record<string, unknown> | undefined): string | undefined {
  if (!properties) return 'properties is required';
  if (typeof properties.title !== 'string' || properties.title === '') return 'properties.title is required';
  if (!SEVERITIES.includes(properties.severity as string)) return `properties.severity must be one of ${SEVERITIES.join(', ')}`;
  if (!STATUSES.includes(properties.status as string)) return `properties.status must be one of ${STATUSES.join(', ')}`;
  if (properties.status === 'Closed' && !CLASSIFICATIONS.includes(properties.classification as string)) return 'A closed incident requires a classification';
  if (properties.labels !== undefined) {
    if (!Array.isArray(properties.labels)) return 'properties.labels must be an array';
    for (const label of properties.labels as unknown[]) {
      const typed = label as { labelName?: unknown; labelType?: unknown };
      if (typeof typed.labelName !== 'string' || (typed.labelType !== undefined && !['User', 'AutoAssigned'].includes(typed.labelType as string))) return 'labels are { labelName, labelType: User | AutoAssigned }';
    }
  }
  for (const name of ['firstActivityTimeUtc', 'lastActivityTimeUtc']) {
    if (properties[name] !== undefined && Number.isNaN(Date.parse(String(properties[name])))) return `properties.${name} must be a date-time`;
  }
  return undefined;
}
