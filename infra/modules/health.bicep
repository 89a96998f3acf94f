// Hunter health in the EXISTING Sentinel workspace (deployed into its resource group), whatever INCIDENT_SINK: the run
// records table and its own data collection rule (the hunter writes one record per run through the Logs Ingestion
// API), the health analytics rule that raises an alert in the SOC's queue when the hunt stops, falls behind, parks
// detections or is throttled, and the workbook over the run records and findings. docs/operations.md says what each
// alert means and what to do.
//
// Resource types and api-versions:
//   https://learn.microsoft.com/azure/templates/microsoft.operationalinsights/2022-10-01/workspaces/tables
//   https://learn.microsoft.com/azure/templates/microsoft.insights/2023-03-11/datacollectionrules
//   https://learn.microsoft.com/azure/templates/microsoft.securityinsights/2025-09-01/alertrules
//   https://learn.microsoft.com/azure/templates/microsoft.insights/2023-06-01/workbooks
//   https://learn.microsoft.com/azure/templates/microsoft.authorization/2022-04-01/roleassignments
// A second DCR rather than a second stream in the findings DCR (docs/operations.md, "Run records"): the run records
// exist whatever the sink (the findings DCR only with sentinel-alerts); the Logs Ingestion API throttles per DCR
// (azure-monitor/fundamentals/service-limits, "Logs Ingestion API": requests and data per minute per DCR), so a mass
// deployment's findings cannot throttle the record that reports it; and a findings DCR that is deleted or refuses the
// identity (403/404) fails the findings, not the record that says so.
// The table's columns, the rule's schedule, details and grouping and the workbook's content are generated from the
// code (`npm run gen:infra`); test/infra/healthInfra.test.ts fails when they drift, and runs the rule's query
// (healthRule.kql, loaded below) and every workbook query through the local KQL evaluator.

import { monitoringMetricsPublisherRoleId } from 'roleIds.bicep'

@description('Name of the existing Sentinel (Log Analytics) workspace in this resource group.')
param sentinelWorkspaceName string

@description('Principal (object) id of the app\'s user-assigned managed identity.')
param appPrincipalId string

@description('Name of the run records data collection rule to create.')
param dataCollectionRuleName string

@description('Whether the findings table is deployed (INCIDENT_SINK=sentinel-alerts): the workbook\'s findings steps read it.')
param includeFindings bool

param tags object

var table = loadJsonContent('../generated/runsTable.json')
var rule = loadJsonContent('../generated/healthRule.json')
var workbookContent = loadJsonContent('../generated/healthWorkbook.json')

resource sentinelWorkspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: sentinelWorkspaceName
}

resource runsTable 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: sentinelWorkspace
  name: table.name
  properties: {
    plan: 'Analytics' // analytics rules query Analytics tables; Basic and Auxiliary plans are not for alerting
    retentionInDays: table.retentionInDays
    schema: {
      name: table.name
      description: table.description
      columns: table.tableColumns
    }
  }
}

// Kind Direct: the DCR has its own logs ingestion endpoint, no DCE needed (logs-ingestion-api-overview, "Endpoint");
// in the workspace's region (same page, "Data collection rule").
resource runsDcr 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: dataCollectionRuleName
  location: sentinelWorkspace.location
  tags: tags
  kind: 'Direct'
  properties: {
    description: 'ammyy-hunter run records: Logs Ingestion API -> ${table.name}'
    streamDeclarations: {
      '${table.streamName}': {
        columns: table.streamColumns
      }
    }
    destinations: {
      logAnalytics: [
        {
          name: 'sentinelWorkspace'
          workspaceResourceId: sentinelWorkspace.id
        }
      ]
    }
    dataFlows: [
      {
        streams: [table.streamName]
        destinations: ['sentinelWorkspace']
        // The hunter sends records in the table's shape, so nothing to transform.
        transformKql: 'source'
        outputStream: 'Custom-${table.name}'
      }
    ]
  }
  dependsOn: [runsTable]
}

// Lets the app's identity send to this DCR only: Monitoring Metrics Publisher is the role the Logs Ingestion API
// requires on the DCR (logs-ingestion-api-overview, "Configuration"), nothing broader.
resource appRunsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: runsDcr
  name: guid(runsDcr.id, appPrincipalId, monitoringMetricsPublisherRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// A Sentinel analytics rule, not an Azure Monitor alert: its alerts reach the same queue as the detections (the
// Defender portal's incidents). Scheduled every hour over 14 days, the longest look-back (scheduled-rules-overview,
// "Query scheduling"), so a rule that has stopped writing records is still known; one alert per rule and problem,
// grouped into one incident per rule and problem for up to 7 days ("Alert grouping").
resource healthRule 'Microsoft.SecurityInsights/alertRules@2025-09-01' = {
  scope: sentinelWorkspace
  name: guid(sentinelWorkspace.id, 'ammyy-hunter-health')
  kind: 'Scheduled'
  properties: {
    displayName: rule.displayName
    description: rule.description
    enabled: true
    severity: 'Medium' // each alert takes its own from the Severity column below
    tactics: []
    techniques: []
    query: loadTextContent('healthRule.kql')
    queryFrequency: rule.queryFrequency
    queryPeriod: rule.queryPeriod
    triggerOperator: 'GreaterThan'
    triggerThreshold: 0
    suppressionEnabled: false
    suppressionDuration: 'PT5H'
    eventGroupingSettings: {
      aggregationKind: 'AlertPerResult'
    }
    // The run's error is in the description and in the LastError custom detail.
    alertDetailsOverride: {
      alertDisplayNameFormat: '{{Title}}'
      alertDescriptionFormat: '{{Description}}'
      alertSeverityColumnName: 'Severity'
    }
    customDetails: rule.customDetails
    incidentConfiguration: {
      createIncident: true
      groupingConfiguration: {
        enabled: true
        matchingMethod: 'Selected'
        groupByCustomDetails: rule.groupByCustomDetails
        groupByEntities: []
        groupByAlertDetails: []
        lookbackDuration: rule.groupingLookback
        reopenClosedIncident: false
      }
    }
  }
  dependsOn: [runsTable]
}

// The workbook (workbooks-automate; resource-manager-workbooks): shared, listed among the workspace's workbooks in
// Sentinel (category 'sentinel', source the workspace, as Sentinel's own solution packages deploy theirs). Its content
// is the generated file as it is, with the workspace as the resource its queries run on, and without the findings
// steps when no findings table is deployed.
resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(sentinelWorkspace.id, 'ammyy-hunter-health-workbook')
  location: sentinelWorkspace.location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'ammyy-hunter: hunter health'
    category: 'sentinel'
    sourceId: sentinelWorkspace.id
    version: 'Notebook/1.0'
    serializedData: string(union(workbookContent, {
      items: filter(workbookContent.items, item => includeFindings || !startsWith(item.name, 'findings-'))
      fallbackResourceIds: [sentinelWorkspace.id]
    }))
  }
  dependsOn: [runsTable]
}

@description('The run records DCR\'s logs ingestion endpoint; becomes RUNS_INGESTION_ENDPOINT.')
output logsIngestionEndpoint string = runsDcr.properties.endpoints.logsIngestion
@description('The run records DCR\'s immutable id; becomes RUNS_DCR_IMMUTABLE_ID.')
output dataCollectionRuleImmutableId string = runsDcr.properties.immutableId
@description('The stream the run records DCR declares; becomes RUNS_STREAM_NAME.')
output streamName string = table.streamName
output dataCollectionRuleId string = runsDcr.id
output healthRuleId string = healthRule.id
output workbookId string = workbook.id
