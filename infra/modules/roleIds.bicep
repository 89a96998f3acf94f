// Built-in Azure role definition ids, one named constant each, imported where a role is assigned.
// Built-in role ids are the same in every tenant; they are listed in
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (Storage, Monitor, Security pages).
// Compile-time imports (`@export()` / `import`) are documented at
// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-import

// Storage Blob Data Owner: the Functions host creates its own containers (azure-webjobs-hosts,
// azure-webjobs-secrets) and takes blob leases for the timer trigger's singleton lock; Flex Consumption
// reads the deployment package from the deployment container. Owner (not Contributor) is what the
// Functions identity-based connection docs list for AzureWebJobsStorage.
@export()
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner

// Storage Queue Data Contributor: the host's AzureWebJobsStorage connection uses queues (listed as
// required for the host storage connection in the Functions identity-based connection docs).
@export()
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor

// Storage Table Data Contributor: read, insert, update and delete entities in the hunter's state table
// (dedupe keys and run reports). Assigned on the state table only, not on the account.
@export()
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor

// Monitoring Metrics Publisher: lets the identity send telemetry to an Application Insights resource
// whose local (instrumentation key) authentication is disabled.
@export()
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher

// Log Analytics Reader: the least built-in role that can run queries against the Sentinel workspace
// (QUERY_BACKEND=log-analytics). It reads; it cannot change the workspace or its data.
@export()
var logAnalyticsReaderRoleId = '73c42c96-874c-492b-b04d-ab87d138a893' // Log Analytics Reader

// Microsoft Sentinel Responder: the least built-in role that can create and update incidents and add
// incident comments (Microsoft.SecurityInsights/incidents/*, without delete). Sentinel Reader cannot
// write incidents; Sentinel Contributor could also change analytics rules and connectors.
@export()
var sentinelResponderRoleId = '3e150937-b8fe-4cfb-8069-0eaf05ecd056' // Microsoft Sentinel Responder

// Microsoft Graph application permission (app role) ThreatHunting.Read.All: run advanced hunting queries
// through POST /security/runHuntingQuery (QUERY_BACKEND=defender). This is the app role id on the
// Microsoft Graph service principal (appId 00000003-0000-0000-c000-000000000000), see
// https://learn.microsoft.com/graph/permissions-reference#threathuntingreadall
@export()
var graphThreatHuntingReadAllAppRoleId = 'dd98c7f5-2d42-42d3-a0e4-633161547251' // ThreatHunting.Read.All (Microsoft Graph app role)

// Microsoft Graph's application id, the same in every tenant; used to find its service principal.
@export()
var microsoftGraphAppId = '00000003-0000-0000-c000-000000000000' // Microsoft Graph (first-party application id)
