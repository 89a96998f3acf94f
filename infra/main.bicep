// ammyy-hunter: one `azd up` deploys the hunter with least privilege.
// Creates a resource group with the app's identity, storage (host + state table), telemetry and the
// Function App (Flex Consumption, Node.js 22), and grants that identity rights on the EXISTING Sentinel
// workspace and, for the defender backend, the Microsoft Graph permission ThreatHunting.Read.All.
// With INCIDENT_SINK=sentinel-alerts it also adds the findings table, its DCR and the analytics rule to that
// workspace (modules/findings.bicep); whatever the sink, the run records table, its DCR, the health analytics rule
// and the workbook (modules/health.bicep).
// See infra/README.md for parameters, rights and rollback.
//
// Subscription-scope deployment, as azd expects for templates that create their resource group:
//   https://learn.microsoft.com/azure/developer/azure-developer-cli/make-azd-compatible
//   https://learn.microsoft.com/azure/templates/microsoft.resources/2022-09-01/resourcegroups
// User-defined functions: https://learn.microsoft.com/azure/azure-resource-manager/bicep/user-defined-functions

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Region for the new resources (must offer the Flex Consumption plan).')
param location string

@description('Resource group to create; defaults to rg-<environmentName>.')
param resourceGroupName string = ''

@description('Resource id of the EXISTING Microsoft Sentinel workspace: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>.')
param sentinelWorkspaceResourceId string

@description('Where the hunt runs: log-analytics (Sentinel workspace) or defender (Defender XDR advanced hunting over Microsoft Graph). QUERY_BACKEND.')
@allowed(['log-analytics', 'defender'])
param queryBackend string = 'log-analytics'

@description('Where detections go. sentinel-alerts: findings to a custom table through the Logs Ingestion API and an analytics rule that raises one alert per finding, with entities, in the Defender portal (the table, DCR, rule and the identity\'s right on the DCR are deployed). sentinel-incidents: incidents over ARM, for workspaces still in the Azure portal (grants Microsoft Sentinel Responder). INCIDENT_SINK; see docs/incidents.md.')
@allowed(['sentinel-alerts', 'sentinel-incidents'])
param incidentSink string = 'sentinel-alerts'

@description('For the defender backend: grant ThreatHunting.Read.All in this deployment (needs a deployer allowed to grant Graph app roles). false = run infra/scripts/grant-graph-permission.sh instead.')
param grantGraphPermission bool = true

@description('NCRONTAB schedule of the hunt (six fields, seconds first). HUNT_SCHEDULE; always set, because the timer trigger resolves %HUNT_SCHEDULE% at start-up.')
param huntSchedule string = '0 0 * * * *'

@description('DRY_RUN: "true" logs the incidents it would raise instead of raising them. Empty = hunter default (false).')
@allowed(['', 'true', 'false'])
param dryRun string = ''

@description('State table name. STATE_TABLE_NAME; the table is created here.')
param stateTableName string = 'AmmyyHunterState'

// The tuning settings below are passed through as strings; empty = the hunter's own default
// (src/config/settings.ts), so defaults live in one place.
@description('RULE_PATH: rule files or folders, comma-separated, relative to the app root (rules/rmm for the RMM pack). Empty = hunter default.')
param rulePath string = ''
@description('EXCLUSIONS_PATH (relative to the app root). Empty = no exclusions file.')
param exclusionsPath string = ''
@description('EXCLUSION_WARN_SHARE (0..1). Empty = hunter default.')
param exclusionWarnShare string = ''
@description('CONTEXT_BATCH_SIZE. Empty = hunter default.')
param contextBatchSize string = ''
@description('RUN_REPORT_RETENTION_DAYS. Empty = hunter default.')
param runReportRetentionDays string = ''
@description('QUERY_TIMEOUT_SECONDS. Empty = hunter default.')
param queryTimeoutSeconds string = ''
@description('LOG_ANALYTICS_ENDPOINT for sovereign clouds. Empty = hunter default (public cloud).')
param logAnalyticsEndpoint string = ''
@description('GRAPH_ENDPOINT for sovereign clouds. Empty = hunter default (public cloud).')
param graphEndpoint string = ''
@description('DEFENDER_PORTAL_URL for sovereign clouds. Empty = hunter default (public cloud).')
param defenderPortalUrl string = ''

// azure.yaml service name; the Function App carries it as the azd-service-name tag.
var azdServiceName = 'hunter'
var tags = { 'azd-env-name': environmentName, application: 'ammyy-hunter' }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
// The host storage connection name; the state table uses it too (STATE_TABLE_CONNECTION).
var hostStorageConnectionName = 'AzureWebJobsStorage'

// /subscriptions/{0:'', 1:'subscriptions', 2:sub}/resourceGroups/{4:rg}/providers/Microsoft.OperationalInsights/workspaces/{8:name}
var sentinelWorkspaceIdParts = split(sentinelWorkspaceResourceId, '/')
var sentinelSubscriptionId = sentinelWorkspaceIdParts[2]
var sentinelResourceGroupName = sentinelWorkspaceIdParts[4]
var sentinelWorkspaceName = last(sentinelWorkspaceIdParts)

func withoutTrailingSlash(uri string) string => endsWith(uri, '/') ? substring(uri, 0, length(uri) - 1) : uri

resource appResourceGroup 'Microsoft.Resources/resourceGroups@2022-09-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module appIdentity 'modules/identity.bicep' = {
  name: 'app-identity'
  scope: appResourceGroup
  params: {
    identityName: 'id-ammyy-hunter-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: appResourceGroup
  params: {
    storageAccountName: 'stammyy${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package'
    stateTableName: stateTableName
    appPrincipalId: appIdentity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: appResourceGroup
  params: {
    logAnalyticsWorkspaceName: 'log-ammyy-hunter-${resourceToken}'
    applicationInsightsName: 'appi-ammyy-hunter-${resourceToken}'
    location: location
    tags: tags
    appPrincipalId: appIdentity.outputs.principalId
  }
}

module sentinelAccess 'modules/sentinelAccess.bicep' = {
  name: 'sentinel-access-${resourceToken}'
  scope: resourceGroup(sentinelSubscriptionId, sentinelResourceGroupName)
  params: {
    sentinelWorkspaceName: sentinelWorkspaceName
    appPrincipalId: appIdentity.outputs.principalId
    grantQueryAccess: queryBackend == 'log-analytics'
    grantIncidentWrite: incidentSink == 'sentinel-incidents'
  }
}

var deployFindings = incidentSink == 'sentinel-alerts'

module findings 'modules/findings.bicep' = if (deployFindings) {
  name: 'findings-${resourceToken}'
  scope: resourceGroup(sentinelSubscriptionId, sentinelResourceGroupName)
  params: {
    sentinelWorkspaceName: sentinelWorkspaceName
    appPrincipalId: appIdentity.outputs.principalId
    dataCollectionRuleName: 'dcr-ammyy-hunter-findings-${resourceToken}'
    tags: tags
  }
}

// Hunter health, whatever the sink: run records, the health rule, the workbook (docs/operations.md).
module health 'modules/health.bicep' = {
  name: 'health-${resourceToken}'
  scope: resourceGroup(sentinelSubscriptionId, sentinelResourceGroupName)
  params: {
    sentinelWorkspaceName: sentinelWorkspaceName
    appPrincipalId: appIdentity.outputs.principalId
    dataCollectionRuleName: 'dcr-ammyy-hunter-runs-${resourceToken}'
    includeFindings: deployFindings
    tags: tags
  }
}

module graphPermission 'modules/graphPermission.bicep' = if (queryBackend == 'defender' && grantGraphPermission) {
  name: 'graph-permission'
  scope: appResourceGroup
  params: {
    appPrincipalId: appIdentity.outputs.principalId
  }
}

// Read by the Functions host (not by the hunter's code): identity-based host storage and
// Entra-authenticated telemetry.
//   https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity
//   https://learn.microsoft.com/azure/azure-functions/functions-app-settings#applicationinsights_authentication_string
var hostAppSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: appIdentity.outputs.clientId
  AzureWebJobsStorage__blobServiceUri: withoutTrailingSlash(storage.outputs.blobServiceUri)
  AzureWebJobsStorage__queueServiceUri: withoutTrailingSlash(storage.outputs.queueServiceUri)
  // Read by the host AND by the hunter (src/config/tableConnection.ts) for the state table.
  AzureWebJobsStorage__tableServiceUri: withoutTrailingSlash(storage.outputs.tableServiceUri)
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${appIdentity.outputs.clientId}'
}

// Read by the hunter: the names of src/config/settings.ts (settingNames). test/infra keeps the two lists
// in step. LOCAL_DATA_DIR and INCIDENT_OUT_DIR are not set: the local backend and the file sink are for
// a workstation, not for Azure.
var hunterAppSettings = {
  HUNT_SCHEDULE: huntSchedule
  QUERY_BACKEND: queryBackend
  RULE_PATH: rulePath
  EXCLUSIONS_PATH: exclusionsPath
  EXCLUSION_WARN_SHARE: exclusionWarnShare
  CONTEXT_BATCH_SIZE: contextBatchSize
  STATE_TABLE_NAME: storage.outputs.stateTableName
  STATE_TABLE_CONNECTION: hostStorageConnectionName
  RUN_REPORT_RETENTION_DAYS: runReportRetentionDays
  INCIDENT_SINK: incidentSink
  LOGS_INGESTION_ENDPOINT: deployFindings ? findings.outputs.logsIngestionEndpoint : ''
  FINDINGS_DCR_IMMUTABLE_ID: deployFindings ? findings.outputs.dataCollectionRuleImmutableId : ''
  FINDINGS_STREAM_NAME: deployFindings ? findings.outputs.streamName : ''
  RUNS_INGESTION_ENDPOINT: health.outputs.logsIngestionEndpoint
  RUNS_DCR_IMMUTABLE_ID: health.outputs.dataCollectionRuleImmutableId
  RUNS_STREAM_NAME: health.outputs.streamName
  SENTINEL_SUBSCRIPTION_ID: sentinelSubscriptionId
  SENTINEL_RESOURCE_GROUP: sentinelResourceGroupName
  SENTINEL_WORKSPACE_NAME: sentinelWorkspaceName
  LOG_ANALYTICS_WORKSPACE_ID: sentinelAccess.outputs.workspaceCustomerId
  DRY_RUN: dryRun
  QUERY_TIMEOUT_SECONDS: queryTimeoutSeconds
  // Picks the user-assigned identity for every Azure SDK credential the hunter builds.
  AZURE_CLIENT_ID: appIdentity.outputs.clientId
  // From the cloud this deployment runs in (environment(): loginEndpoint, resourceManager, portal), so
  // sovereign clouds need no extra parameter for these three.
  //   https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-deployment#environment
  AZURE_AUTHORITY_HOST: withoutTrailingSlash(environment().authentication.loginEndpoint)
  RESOURCE_MANAGER_ENDPOINT: withoutTrailingSlash(environment().resourceManager)
  AZURE_PORTAL_URL: withoutTrailingSlash(environment().portal)
  LOG_ANALYTICS_ENDPOINT: logAnalyticsEndpoint
  GRAPH_ENDPOINT: graphEndpoint
  DEFENDER_PORTAL_URL: defenderPortalUrl
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'function-app'
  scope: appResourceGroup
  params: {
    functionAppName: 'func-ammyy-hunter-${resourceToken}'
    planName: 'plan-ammyy-hunter-${resourceToken}'
    location: location
    tags: tags
    azdServiceName: azdServiceName
    identityResourceId: appIdentity.outputs.identityResourceId
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appSettings: union(hostAppSettings, hunterAppSettings)
  }
  // Storage, telemetry and Sentinel rights come in through the outputs used above. The Graph permission
  // does not, and the app must not fetch a Graph token before it holds the app role: a managed identity
  // token is cached for hours with the roles it had when issued.
  dependsOn: [graphPermission]
}

// azd stores these in .azure/<env>/.env (UPPER_SNAKE by convention).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = appResourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.functionAppName
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = appIdentity.outputs.clientId
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = appIdentity.outputs.principalId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.storageAccountName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output STATE_TABLE_NAME string = storage.outputs.stateTableName
output QUERY_BACKEND string = queryBackend
output SENTINEL_WORKSPACE_RESOURCE_ID string = sentinelWorkspaceResourceId
output INCIDENT_SINK string = incidentSink
output HEALTH_WORKBOOK_ID string = health.outputs.workbookId
output GRAPH_PERMISSION_GRANTED_BY_DEPLOYMENT bool = queryBackend == 'defender' && grantGraphPermission
