// Grants the app's managed identity the Microsoft Graph application permission ThreatHunting.Read.All,
// which the defender backend needs for POST /security/runHuntingQuery.
//
// Uses the Microsoft Graph Bicep extension (GA, types v1.0.0, Bicep >= 0.36.1):
//   https://learn.microsoft.com/graph/templates/bicep/whats-new
//   https://learn.microsoft.com/graph/templates/reference/approleassignedto (Microsoft.Graph/appRoleAssignedTo@v1.0)
//   https://learn.microsoft.com/graph/templates/reference/serviceprincipals (existing lookup by appId)
// Graph resources are deployed with the DEPLOYING user's rights: they need AppRoleAssignment.ReadWrite.All
// and Application.Read.All (in practice Privileged Role Administrator or Global Administrator). A deployer
// without them sets GRANT_GRAPH_PERMISSION=false and has an admin run infra/scripts/grant-graph-permission.sh.

extension 'br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:1.0.0'

import { graphThreatHuntingReadAllAppRoleId, microsoftGraphAppId } from 'roleIds.bicep'

@description('Principal (object) id of the app\'s user-assigned managed identity (its service principal).')
param appPrincipalId string

resource microsoftGraph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: microsoftGraphAppId
}

resource threatHuntingReadAll 'Microsoft.Graph/appRoleAssignedTo@v1.0' = {
  principalId: appPrincipalId
  resourceId: microsoftGraph.id
  appRoleId: graphThreatHuntingReadAllAppRoleId
}
