// The hunter's Function App on the Flex Consumption plan (Linux, Node.js 22), running as the
// user-assigned managed identity, with its app settings.
//
// Resource types and api-versions (Microsoft.Web 2024-04-01; functionAppConfig exists since 2023-12-01):
//   https://learn.microsoft.com/azure/templates/microsoft.web/2024-04-01/serverfarms
//   https://learn.microsoft.com/azure/templates/microsoft.web/2024-04-01/sites
//   https://learn.microsoft.com/azure/templates/microsoft.web/2024-04-01/sites/basicpublishingcredentialspolicies
// Flex Consumption in Bicep (sku FC1, functionAppConfig.deployment/runtime/scaleAndConcurrency, and the
// app settings Flex does not accept: FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION,
// WEBSITE_NODE_DEFAULT_VERSION, WEBSITE_RUN_FROM_PACKAGE...):
//   https://learn.microsoft.com/azure/azure-functions/functions-infrastructure-as-code?pivots=flex-consumption-plan
//   https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations

param functionAppName string
param planName string
param location string
param tags object

@description('azd service name from azure.yaml; azd finds the app to deploy to by the azd-service-name tag.')
param azdServiceName string

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityResourceId string

@description('Blob container URL (https://<account>.blob.core.windows.net/<container>) the plan deploys the package from.')
param deploymentContainerUrl string

@description('App settings by name. Settings whose value is empty are left out, so the hunter\'s own default applies.')
param appSettings object

@description('Largest number of instances the plan may scale out to. 40 is the smallest value Flex Consumption accepts; a timer-triggered hunter uses one.')
param maximumInstanceCount int = 40

@description('Instance memory size in MB (Flex Consumption offers 512, 2048 and 4096).')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

resource flexConsumptionPlan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux: Flex Consumption runs on Linux only.
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityResourceId}': {} }
  }
  properties: {
    serverFarmId: flexConsumptionPlan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          // The platform pulls the package from this container with the app's identity, not a key.
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      // Empty values are dropped: the hunter treats an unset setting as "use my default", and an
      // empty app setting would only hide that.
      appSettings: map(filter(items(appSettings), setting => !empty(setting.value)), setting => {
        name: setting.key
        value: setting.value
      })
    }
  }
}

// No publishing user/password: azd deploys with the deployer's Entra token, so basic auth stays off.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: { allow: false }
}

output functionAppName string = functionApp.name
output functionAppId string = functionApp.id
output defaultHostName string = functionApp.properties.defaultHostName
