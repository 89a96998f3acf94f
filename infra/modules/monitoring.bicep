// The app's own telemetry: a Log Analytics workspace and a workspace-based Application Insights
// resource with local (instrumentation key) authentication disabled, so telemetry is accepted only
// from a Microsoft Entra identity holding Monitoring Metrics Publisher. This workspace is NOT the
// Sentinel workspace the hunter queries; the app only writes its own logs here.
//
// Resource types and api-versions:
//   https://learn.microsoft.com/azure/templates/microsoft.operationalinsights/2023-09-01/workspaces
//   https://learn.microsoft.com/azure/templates/microsoft.insights/2020-02-02/components
//   https://learn.microsoft.com/azure/templates/microsoft.authorization/2022-04-01/roleassignments
// Entra-authenticated ingestion (APPLICATIONINSIGHTS_AUTHENTICATION_STRING, DisableLocalAuth):
//   https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication
//   https://learn.microsoft.com/azure/azure-functions/opentelemetry-howto (Functions: "Authorization=AAD;ClientId=...")

import { monitoringMetricsPublisherRoleId } from 'roleIds.bicep'

param logAnalyticsWorkspaceName string
param applicationInsightsName string
param location string
param tags object

@description('Principal (object) id of the app\'s user-assigned managed identity.')
param appPrincipalId string

@description('Days the app\'s own logs are kept.')
param logRetentionDays int = 30

resource logAnalyticsWorkspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsWorkspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalyticsWorkspace.id
    // Only Entra-authenticated telemetry is accepted: the instrumentation key alone is not enough.
    DisableLocalAuth: true
  }
}

// Lets the app's identity send telemetry to this Application Insights resource only.
resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: applicationInsights
  name: guid(applicationInsights.id, appPrincipalId, monitoringMetricsPublisherRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output applicationInsightsName string = applicationInsights.name
// The Application Insights connection string names the ingestion endpoint and instrumentation key; with
// DisableLocalAuth it is not a credential (ingestion also needs the Entra token).
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
output logAnalyticsWorkspaceId string = logAnalyticsWorkspace.id
