// The app's own storage account: Functions host storage (AzureWebJobsStorage), the Flex Consumption
// deployment container and the hunter's state table. Reached only with Microsoft Entra ID (the
// user-assigned identity): shared key access is off, so no account key or connection string exists
// that could leak.
//
// Resource types and api-versions (Microsoft.Storage 2023-05-01):
//   https://learn.microsoft.com/azure/templates/microsoft.storage/2023-05-01/storageaccounts
//   https://learn.microsoft.com/azure/templates/microsoft.storage/2023-05-01/storageaccounts/blobservices/containers
//   https://learn.microsoft.com/azure/templates/microsoft.storage/2023-05-01/storageaccounts/tableservices/tables
// Role assignments (Microsoft.Authorization 2022-04-01):
//   https://learn.microsoft.com/azure/templates/microsoft.authorization/2022-04-01/roleassignments

import { storageBlobDataOwnerRoleId, storageQueueDataContributorRoleId, storageTableDataContributorRoleId } from 'roleIds.bicep'

@description('Storage account name: 3-24 lowercase letters and digits, globally unique.')
@minLength(3)
@maxLength(24)
param storageAccountName string

param location string
param tags object

@description('Blob container the Flex Consumption plan deploys the app package from.')
param deploymentContainerName string

@description('Table holding the hunter state (dedupe keys, run reports); the same value is given to the app as STATE_TABLE_NAME.')
param stateTableName string

@description('Principal (object) id of the app\'s user-assigned managed identity.')
param appPrincipalId string

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    // Identity only: no account keys, no SAS signed with them. Functions reaches it through
    // AzureWebJobsStorage__credential=managedidentity.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

// Created here so the app needs no right to create tables; its role below covers this table only.
resource stateTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: stateTableName
}

// Host storage and the deployment package: blob data at account scope, because the host creates its own
// containers (azure-webjobs-hosts, azure-webjobs-secrets) next to the deployment container.
resource appBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storageAccount
  name: guid(storageAccount.id, appPrincipalId, storageBlobDataOwnerRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwnerRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Host storage: the Functions host's storage connection uses queues.
resource appQueueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storageAccount
  name: guid(storageAccount.id, appPrincipalId, storageQueueDataContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributorRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Hunter state: entities of the state table only (scope = the table, not the account).
resource appStateTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: stateTable
  name: guid(stateTable.id, appPrincipalId, storageTableDataContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output storageAccountName string = storageAccount.name
output storageAccountId string = storageAccount.id
// Service endpoints end in '/'; the app settings below strip it so URIs compose cleanly.
output blobServiceUri string = storageAccount.properties.primaryEndpoints.blob
output queueServiceUri string = storageAccount.properties.primaryEndpoints.queue
output tableServiceUri string = storageAccount.properties.primaryEndpoints.table
output deploymentContainerUrl string = '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainer.name}'
output stateTableName string = stateTable.name
