import { describe, expect, it } from 'vitest';
import { sentinelIncidentLink } from '../../src/compose/incidentLinks.js';
import { loadConfig } from '../../src/config/loadConfig.js';

const sentinel = {
  QUERY_BACKEND: 'log-analytics',
  LOG_ANALYTICS_WORKSPACE_ID: '11111111-2222-3333-4444-555555555555',
  INCIDENT_SINK: 'sentinel-incidents',
  SENTINEL_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000001',
  SENTINEL_RESOURCE_GROUP: 'rg-soc',
  SENTINEL_WORKSPACE_NAME: 'law-sentinel',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
};

describe('links to an earlier episode\'s incident', () => {
  it('point at the incident page in the Azure portal of the configured cloud', () => {
    const link = sentinelIncidentLink(loadConfig({ ...sentinel, AZURE_PORTAL_URL: 'https://portal.azure.us/' }).settings);
    expect(link?.('5315f623-251f-56de-8cae-b7b48fe35803')).toBe(
      'https://portal.azure.us/#asset/Microsoft_Azure_Security_Insights/Incident/subscriptions/00000000-0000-0000-0000-000000000001' +
        '/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-sentinel' +
        '/providers/Microsoft.SecurityInsights/Incidents/5315f623-251f-56de-8cae-b7b48fe35803',
    );
  });

  it('are absent when incidents go to local files', () => {
    expect(sentinelIncidentLink(loadConfig({ ...sentinel, INCIDENT_SINK: 'file' }).settings)).toBeUndefined();
  });
});
