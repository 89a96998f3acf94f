/**
 * The hunter's workbook (Microsoft.Insights/workbooks, infra/modules/health.bicep): what the run records and the
 * findings say over time, as charts where a chart reads better than a table. Each step's query is a file in
 * infra/modules/workbook/; `npm run gen:infra` embeds them in infra/generated/healthWorkbook.json, which the Bicep
 * deploys as the workbook's content (adding only the workspace as its fallback resource), and the tests run every
 * query in that file through the local evaluator.
 *
 * Workbook content (github.com/microsoft/Application-Insights-Workbooks, schema/workbook.json): `Notebook/1.0` with
 * items of type 1 (Markdown), 3 (a `KqlItem/1.0` query: queryType 0 = Logs, resourceType the workspace) and 9
 * (parameters; a time range picker is parameter type 4). Each query takes its time range from the TimeRange
 * parameter (`timeContextFromParameter`; learn.microsoft.com/azure/azure-monitor/visualize/workbooks-time,
 * "Reference a time parameter with bindings"), so the query text itself has no time filter.
 */

/** Steps whose name starts with this read the findings table: the Bicep drops them when no findings table is deployed. */
export const FINDINGS_STEP_PREFIX = 'findings-';
export const WORKBOOK_QUERY_DIR = 'infra/modules/workbook';
const WORKSPACE_RESOURCE_TYPE = 'microsoft.operationalinsights/workspaces';
const DAY_MS = 86_400_000;

export interface WorkbookQueryStep {
  /** The step's name; also its query file's (`<name>.kql` in WORKBOOK_QUERY_DIR). */
  readonly name: string;
  readonly title: string;
  readonly visualization: 'table' | 'timechart' | 'barchart' | 'categoricalbar';
  /** Half or full width. */
  readonly width: '50' | '100';
  readonly noDataMessage: string;
}

export const WORKBOOK_STEPS: readonly WorkbookQueryStep[] = [
  { name: 'healthNow', title: 'Hunting rules: last run, last success, watermark lag, parked devices, last error', visualization: 'table', width: '100', noDataMessage: 'No run records in the time range: is the Function running? (docs/operations.md)' },
  { name: 'runsByStatus', title: 'Runs per hour by status', visualization: 'barchart', width: '50', noDataMessage: 'No runs in the time range.' },
  { name: 'detectionsOverTime', title: 'Hits, detections created and updated, devices suppressed, per hour', visualization: 'timechart', width: '50', noDataMessage: 'No runs in the time range.' },
  { name: 'topExclusions', title: 'Top exclusions by suppressed activities', visualization: 'categoricalbar', width: '50', noDataMessage: 'No exclusion suppressed anything in the time range.' },
  { name: `${FINDINGS_STEP_PREFIX}episodeAge`, title: 'Devices per episode age', visualization: 'categoricalbar', width: '50', noDataMessage: 'No findings in the time range.' },
  { name: 'watermarkLag', title: 'Watermark lag (hours) per rule', visualization: 'timechart', width: '50', noDataMessage: 'No completed window yet.' },
  { name: 'phaseDurations', title: 'Seconds per run phase (average per hour)', visualization: 'timechart', width: '50', noDataMessage: 'No runs in the time range.' },
  { name: 'backendCalls', title: 'Backend queries and waits for the call quota, per hour', visualization: 'timechart', width: '50', noDataMessage: 'No runs in the time range.' },
  { name: 'serviceCalls', title: 'Azure service calls, retries and throttling, per hour', visualization: 'timechart', width: '50', noDataMessage: 'No service calls in the time range (local runs make none).' },
  { name: 'recentProblems', title: 'Recent runs that did not simply succeed', visualization: 'table', width: '100', noDataMessage: 'Every run in the time range succeeded with nothing failed or parked.' },
];

/** The file a step's query lives in, relative to the repository root. */
export function workbookQueryFile(step: Pick<WorkbookQueryStep, 'name'>): string {
  return `${WORKBOOK_QUERY_DIR}/${step.name}.kql`;
}

const INTRODUCTION = [
  '## ammyy-hunter: hunter health',
  'Every run of the hunter writes one record to `AmmyyHunterRuns_CL`, successful or not; the findings it raises are in `AmmyyHunterFindings_CL` (with `INCIDENT_SINK=sentinel-alerts`).',
  'The **ammyy-hunter: hunter health** analytics rule raises an alert in the SOC queue when runs stop succeeding, the watermark falls behind, detections stay parked or the hunt is throttled. What each alert means and what to do: `docs/operations.md` in the hunter\'s repository.',
].join('\n\n');

/** The workbook content (before the Bicep adds its fallback resource), with each step's query read by `readQuery(file)`. */
export function renderWorkbook(readQuery: (file: string) => string): Record<string, unknown> {
  const timeRange = {
    id: '5f3bd24b-7c0a-4e3b-9a54-6d1c5e2b7a01',
    version: 'KqlParameterItem/1.0',
    name: 'TimeRange',
    label: 'Time range',
    type: 4,
    isRequired: true,
    value: { durationMs: 7 * DAY_MS },
    typeSettings: { selectableValues: [1, 3, 7, 14, 30, 90].map((days) => ({ durationMs: days * DAY_MS })), allowCustom: true },
  };
  return {
    version: 'Notebook/1.0',
    items: [
      { type: 1, content: { json: INTRODUCTION }, name: 'introduction' },
      { type: 9, content: { version: 'KqlParameterItem/1.0', parameters: [timeRange], style: 'pills', queryType: 0, resourceType: WORKSPACE_RESOURCE_TYPE }, name: 'parameters' },
      ...WORKBOOK_STEPS.map((step) => ({
        type: 3,
        content: {
          version: 'KqlItem/1.0',
          query: readQuery(workbookQueryFile(step)),
          size: 0,
          title: step.title,
          noDataMessage: step.noDataMessage,
          timeContextFromParameter: 'TimeRange',
          queryType: 0,
          resourceType: WORKSPACE_RESOURCE_TYPE,
          visualization: step.visualization,
        },
        customWidth: step.width,
        name: step.name,
      })),
    ],
    $schema: 'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json',
  };
}
