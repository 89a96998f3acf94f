/**
 * The slice of the Microsoft Sentinel REST API the sink uses (Microsoft.SecurityInsights, stable
 * api-version 2025-09-01: learn.microsoft.com/rest/api/securityinsights/incidents/create-or-update and
 * .../incident-comments/create-or-update).
 */
import type { IncidentStatus, Severity } from '../../core/model.js';
import { trimTrailing } from '../../text/trimTrailing.js';

export const sentinelApiVersion = '2025-09-01';

export interface SentinelLabel {
  readonly labelName: string;
  /** `User` for labels set through the API or by people; `AutoAssigned` for the service's own. */
  readonly labelType?: 'User' | 'AutoAssigned';
}

export interface SentinelOwner {
  readonly assignedTo?: string;
  readonly email?: string;
  readonly objectId?: string;
  readonly userPrincipalName?: string;
  readonly ownerType?: string;
}

/** The writable incident properties (read-only ones such as incidentNumber are ignored on PUT). */
export interface SentinelIncidentProperties {
  readonly title: string;
  readonly description?: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly classification?: string;
  readonly classificationReason?: string;
  readonly classificationComment?: string;
  readonly owner?: SentinelOwner;
  readonly labels?: readonly SentinelLabel[];
  readonly firstActivityTimeUtc?: string;
  readonly lastActivityTimeUtc?: string;
}

export interface SentinelIncident {
  readonly etag?: string;
  /** As read: the writable properties, and the read-only link to the incident's page the service adds. */
  readonly properties: SentinelIncidentProperties & { readonly incidentUrl?: string };
}

export interface SentinelWorkspace {
  /** RESOURCE_MANAGER_ENDPOINT: management.azure.com, management.usgovcloudapi.net, management.chinacloudapi.cn. */
  readonly armEndpoint: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspaceName: string;
}

/** `/subscriptions/…/resourceGroups/…/providers/Microsoft.OperationalInsights/workspaces/…`, each segment URL-encoded. */
export function workspaceResourcePath(workspace: Pick<SentinelWorkspace, 'subscriptionId' | 'resourceGroup' | 'workspaceName'>): string {
  return segmentPath(['subscriptions', workspace.subscriptionId, 'resourceGroups', workspace.resourceGroup, 'providers', 'Microsoft.OperationalInsights', 'workspaces', workspace.workspaceName]);
}

/** The ARM URL of an incident (or one of its comments); not its portal page, which the service returns as `incidentUrl`. */
export function incidentResourceUrl(workspace: SentinelWorkspace, incidentId: string, apiVersion: string, commentId?: string): string {
  const incidentPath = segmentPath([
    'providers', 'Microsoft.SecurityInsights', 'incidents', incidentId,
    ...(commentId === undefined ? [] : ['comments', commentId]),
  ]);
  return `${trimTrailing(workspace.armEndpoint, '/')}${workspaceResourcePath(workspace)}${incidentPath}?api-version=${encodeURIComponent(apiVersion)}`;
}

function segmentPath(segments: readonly string[]): string {
  return segments.map((segment) => `/${encodeURIComponent(segment)}`).join('');
}
