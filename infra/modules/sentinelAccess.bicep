// Rights on the EXISTING Microsoft Sentinel workspace (deployed into that workspace's resource group,
// which may be in another subscription). Nothing here creates or changes the workspace itself.
//
// Resource types and api-versions:
//   https://learn.microsoft.com/azure/templates/microsoft.operationalinsights/2023-09-01/workspaces (existing)
//   https://learn.microsoft.com/azure/templates/microsoft.authorization/2022-04-01/roleassignments
// Sentinel roles: https://learn.microsoft.com/azure/sentinel/roles

import { logAnalyticsReaderRoleId, sentinelResponderRoleId } from 'roleIds.bicep'

@description('Name of the existing Sentinel (Log Analytics) workspace in this resource group.')
param sentinelWorkspaceName string

@description('Principal (object) id of the app\'s user-assigned managed identity.')
param appPrincipalId string

@description('Grant Log Analytics Reader: only the log-analytics backend queries this workspace.')
param grantQueryAccess bool

@description('Grant Microsoft Sentinel Responder: only INCIDENT_SINK=sentinel-incidents writes incidents.')
param grantIncidentWrite bool

resource sentinelWorkspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: sentinelWorkspaceName
}

// Query the workspace (QUERY_BACKEND=log-analytics). Not granted for the defender backend, which
// queries Microsoft Graph instead.
resource appLogAnalyticsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantQueryAccess) {
  scope: sentinelWorkspace
  name: guid(sentinelWorkspace.id, appPrincipalId, logAnalyticsReaderRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReaderRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Create and update incidents and add comments (INCIDENT_SINK=sentinel-incidents), whichever backend found the hit.
// The alerts sink needs no Sentinel role: it writes to its DCR (modules/findings.bicep) and the rule raises the alerts.
resource appSentinelResponder 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantIncidentWrite) {
  scope: sentinelWorkspace
  name: guid(sentinelWorkspace.id, appPrincipalId, sentinelResponderRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', sentinelResponderRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('Workspace (customer) id the Log Analytics query API addresses; becomes LOG_ANALYTICS_WORKSPACE_ID.')
output workspaceCustomerId string = sentinelWorkspace.properties.customerId
