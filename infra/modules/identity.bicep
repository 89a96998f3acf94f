// The app's user-assigned managed identity. User-assigned (not system-assigned) so it exists before the
// Function App: its role assignments and the Graph permission are in place when the app first starts,
// and it survives a delete/recreate of the app.
//   https://learn.microsoft.com/azure/templates/microsoft.managedidentity/2023-01-31/userassignedidentities

param identityName string
param location string
param tags object

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

output identityResourceId string = appIdentity.id
output clientId string = appIdentity.properties.clientId
output principalId string = appIdentity.properties.principalId
