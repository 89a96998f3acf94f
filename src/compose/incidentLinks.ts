import type { Settings } from '../config/settings.js';
import { workspaceResourcePath } from '../adapters/sentinel/sentinelApi.js';
import { trimTrailing } from '../text/trimTrailing.js';

/**
 * The Azure portal page of a Sentinel incident, so an incident can link the previous episode's.
 * Only when incidents go to Sentinel: a local file sink has no page to link.
 */
export function sentinelIncidentLink(settings: Settings): ((incidentId: string) => string | undefined) | undefined {
  const { SENTINEL_SUBSCRIPTION_ID: subscription, SENTINEL_RESOURCE_GROUP: group, SENTINEL_WORKSPACE_NAME: workspace } = settings;
  if (settings.INCIDENT_SINK !== 'sentinel-incidents' || !subscription || !group || !workspace) return undefined;
  const portal = trimTrailing(settings.AZURE_PORTAL_URL, '/');
  const workspacePath = workspaceResourcePath({ subscriptionId: subscription, resourceGroup: group, workspaceName: workspace });
  return (incidentId) =>
    `${portal}/#asset/Microsoft_Azure_Security_Insights/Incident${workspacePath}/providers/Microsoft.SecurityInsights/Incidents/${encodeURIComponent(incidentId)}`;
}
