// INCIDENT_SINK=sentinel-alerts: the findings path into the EXISTING Sentinel workspace (deployed into its resource
// group). The hunter writes one record per new or updated device episode to a custom table through the Logs
// Ingestion API; a scheduled analytics rule turns each record into one alert with entities and MITRE, and groups
// an episode's alerts into one incident. Alerts from analytics rules reach the Defender portal; incidents created
// through the incidents API do not (docs/incidents.md, "Which sink").
//
// Resource types and api-versions:
//   https://learn.microsoft.com/azure/templates/microsoft.operationalinsights/2022-10-01/workspaces/tables
//   https://learn.microsoft.com/azure/templates/microsoft.insights/2023-03-11/datacollectionrules
//   https://learn.microsoft.com/azure/templates/microsoft.securityinsights/2025-09-01/alertrules
//   https://learn.microsoft.com/azure/templates/microsoft.authorization/2022-04-01/roleassignments
// A DCR of kind Direct has its own logs ingestion endpoint (properties.endpoints.logsIngestion), so no data
// collection endpoint is needed; a DCE is only for private link (azure-monitor/logs/logs-ingestion-api-overview,
// "Endpoint"). The DCR must be in the workspace's region (same page, "Configuration").
// The table's columns and the rule's MITRE mapping, severity, schedule and grouping are generated from the code
// and the rule YAML (`npm run gen:infra`, scripts/gen-infra.ts); test/infra/findingsInfra.test.ts fails when they
// drift, and runs the rule's query (findingsRule.kql, loaded below) through the local KQL evaluator.

import { monitoringMetricsPublisherRoleId } from 'roleIds.bicep'

@description('Name of the existing Sentinel (Log Analytics) workspace in this resource group.')
param sentinelWorkspaceName string

@description('Principal (object) id of the app\'s user-assigned managed identity.')
param appPrincipalId string

@description('Name of the data collection rule to create.')
param dataCollectionRuleName string

param tags object

var table = loadJsonContent('../generated/findingsTable.json')
var rule = loadJsonContent('../generated/findingsRule.json')

resource sentinelWorkspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: sentinelWorkspaceName
}

resource findingsTable 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
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

resource findingsDcr 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: dataCollectionRuleName
  location: sentinelWorkspace.location
  tags: tags
  kind: 'Direct'
  properties: {
    description: 'ammyy-hunter findings: Logs Ingestion API -> ${table.name}'
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
  dependsOn: [findingsTable]
}

// Lets the app's identity send to this DCR only: Monitoring Metrics Publisher is the role the Logs Ingestion API
// requires on the DCR (azure-monitor/logs/logs-ingestion-api-overview, "Configuration"), nothing broader.
resource appFindingsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: findingsDcr
  name: guid(findingsDcr.id, appPrincipalId, monitoringMetricsPublisherRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Scheduled, not NRT (infra/README.md, "The analytics rule"): an NRT rule raises at most 30 alerts per run and
// cannot look back past its one-minute window, so it could neither raise a mass deployment finding by finding
// nor recognise a record written twice; a scheduled rule raises up to 150 alerts per run and looks back 14 days.
resource findingsRule 'Microsoft.SecurityInsights/alertRules@2025-09-01' = {
  scope: sentinelWorkspace
  name: guid(sentinelWorkspace.id, 'ammyy-hunter-findings', rule.huntingRuleId)
  kind: 'Scheduled'
  properties: {
    displayName: rule.displayName
    description: rule.description
    enabled: true
    severity: rule.severity
    tactics: rule.tactics
    techniques: rule.techniques
    query: loadTextContent('findingsRule.kql')
    queryFrequency: rule.queryFrequency
    queryPeriod: rule.queryPeriod
    triggerOperator: 'GreaterThan'
    triggerThreshold: 0
    suppressionEnabled: false
    suppressionDuration: 'PT5H'
    // One alert per result row, i.e. per finding.
    eventGroupingSettings: {
      aggregationKind: 'AlertPerResult'
    }
    alertDetailsOverride: {
      alertDisplayNameFormat: '{{Title}}'
      alertDescriptionFormat: '{{Description}}'
      alertSeverityColumnName: 'Severity'
      alertDynamicProperties: [
        { alertProperty: 'AlertLink', value: 'DeviceUrl' }
      ]
    }
    // Custom details and entity mappings come from src/findings/analyticsRule.ts through the generated file (within
    // Sentinel's limits: 20 details, 2 KB; 10 mappings of 3 identifiers), so `hunter replay` shows the same entities.
    // The Host entity has no Defender device id identifier (sentinel/entities-reference): that is the
    // DefenderDeviceId custom detail.
    customDetails: rule.customDetails
    entityMappings: rule.entityMappings
    incidentConfiguration: {
      createIncident: true // in the Defender portal, Defender XDR creates the incident following this setting
      groupingConfiguration: {
        enabled: true
        // One incident per device episode: alerts group when their EpisodeId custom detail matches.
        matchingMethod: 'Selected'
        groupByCustomDetails: rule.groupByCustomDetails
        groupByEntities: []
        groupByAlertDetails: []
        // From the rule YAML's grouping look-back; at most 7 days (scheduled-rules-overview, "Alert grouping").
        lookbackDuration: rule.groupingLookback
        reopenClosedIncident: rule.reopenClosedIncident
      }
    }
  }
  dependsOn: [findingsTable]
}

@description('The DCR\'s logs ingestion endpoint; becomes LOGS_INGESTION_ENDPOINT.')
output logsIngestionEndpoint string = findingsDcr.properties.endpoints.logsIngestion
@description('The DCR\'s immutable id; becomes FINDINGS_DCR_IMMUTABLE_ID.')
output dataCollectionRuleImmutableId string = findingsDcr.properties.immutableId
@description('The stream the DCR declares; becomes FINDINGS_STREAM_NAME.')
output streamName string = table.streamName
output dataCollectionRuleId string = findingsDcr.id
output analyticsRuleId string = findingsRule.id
