/**
 * The whole Function on the cloud adapters: the timer handler, built from app settings alone
 * (QUERY_BACKEND=log-analytics, INCIDENT_SINK=sentinel-incidents, state in Azurite), with the real Log Analytics
 * and Sentinel clients pointed at the loopback contract servers. The workspace runs the KQL it
 * receives over exported tables. A second invocation after one new signature event only updates.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { InvocationContext, type Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { TableStateStore } from '../../src/adapters/table/tableStateStore.js';
import type { Clock } from '../../src/core/ports.js';
import type { RunReport } from '../../src/core/report.js';
import type { createTimerHandler } from '../../src/functions/ammyyHunter.js';
import { loadRule } from '../../src/rules/load.js';
import { SentinelContractServer, type StoredIncident } from '../support/contractServers/sentinelContractServer.js';
import { serviceErrorBody, type RecordedRequest } from '../support/contractServers/httpsContractServer.js';
import { appRoot, useLoopbackFunction, workspaceId } from '../support/loopbackFunction.js';

const rule = loadRule(path.join(appRoot, 'rules/ammyy-file-signature.yaml'));
const sentinelWorkspace = { subscriptionId: '8d2f6c1e-4b7a-4c3d-9e5f-0a1b2c3d4e5f', resourceGroup: 'rg-soc', workspaceName: 'law-sentinel' };
const stateTable = 'CloudPipeline';
const finance = { deviceId: '3f1c2b9a8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b', deviceName: 'wks-fin-007.contoso.local' };
const deviceNames = ['laptop-mkt-113.contoso.local', 'srv-helpdesk-02.contoso.local', 'wks-fin-007.contoso.local'];
const bigReportId = '9007199254740993';
const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

let now = new Date('2026-11-20T12:00:00Z');
const clock: Clock = { now: () => new Date(now.getTime()) };
const sentinel = new SentinelContractServer(sentinelWorkspace);
const fn = useLoopbackFunction({ tmpPrefix: 'hunter-cloud-', now: () => now, servers: [sentinel] });
const { logAnalytics, credential } = fn;

/** The Function's handler with the loopback servers' token and CA; one handler serves every invocation, as in the host. */
function timerHandler(table = stateTable) {
  return fn.timerHandler({
    clock,
    stateTable: table,
    settings: () => ({
      QUERY_TIMEOUT_SECONDS: '60',
      INCIDENT_SINK: 'sentinel-incidents',
      SENTINEL_SUBSCRIPTION_ID: sentinelWorkspace.subscriptionId,
      SENTINEL_RESOURCE_GROUP: sentinelWorkspace.resourceGroup,
      SENTINEL_WORKSPACE_NAME: sentinelWorkspace.workspaceName,
      RESOURCE_MANAGER_ENDPOINT: sentinel.url,
    }),
  });
}

async function invoke(hunt: ReturnType<typeof createTimerHandler>, invocationId: string): Promise<string[]> {
  const logs: string[] = [];
  const context = new InvocationContext({
    invocationId,
    functionName: 'ammyyHunter',
    logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`),
  });
  await hunt(timer, context);
  return logs;
}

/** The run reports the Function kept in its state table, oldest first. */
async function runReports(table = stateTable): Promise<RunReport[]> {
  const state = await TableStateStore.open(TableClient.fromConnectionString(fn.azurite().connectionString, table, { allowInsecureConnection: true }));
  return (await state.listRunReports(rule.id, 5)).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

interface IncidentProperties {
  title: string;
  severity: string;
  status: string;
  labels: { labelName: string; labelType?: string }[];
  description: string;
  firstActivityTimeUtc?: string;
  lastActivityTimeUtc?: string;
}
const propertiesOf = (incident: StoredIncident | undefined) => incident?.properties as unknown as IncidentProperties;
const incidentPath = (incidentId: string) =>
  `/subscriptions/${sentinelWorkspace.subscriptionId}/resourceGroups/${sentinelWorkspace.resourceGroup}/providers/Microsoft.OperationalInsights` +
  `/workspaces/${sentinelWorkspace.workspaceName}/providers/Microsoft.SecurityInsights/incidents/${incidentId}`;
const sent = (requests: readonly RecordedRequest[]) => requests.map((request) => `${request.method} ${request.path}`).sort();

/**
 * The run report lists every HTTP call the adapters made, each sent once: no retry (429, 5xx,
 * network), no call without an answer, and exactly the requests each server received, so no
 * retry or extra call can hide from the report.
 */
function expectEveryCallSentOnce(report: RunReport, received: { logAnalytics: readonly RecordedRequest[]; sentinel: readonly RecordedRequest[] }): void {
  const calls = report.serviceCalls ?? [];
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.filter((call) => call.attempts !== 1 || call.status === undefined || call.status >= 500)).toEqual([]);
  const reported = (service: string) => calls.filter((call) => call.service === service).map((call) => `${call.method} ${call.path}`).sort();
  expect(reported('log-analytics')).toEqual(sent(received.logAnalytics));
  expect(reported('sentinel')).toEqual(sent(received.sentinel));
  expect(calls.filter((call) => call.service === 'log-analytics').every((call) => call.status === 200)).toBe(true);
}

describe('the ammyyHunter Function on Log Analytics and Sentinel (contract servers)', () => {
  it('raises one Sentinel incident per device, then on new evidence only updates and comments', async () => {
    const hunt = timerHandler();

    // First invocation: an empty state table, so every hit is a new device.
    const firstLogs = await invoke(hunt, 'first-run');
    expect(firstLogs.filter((line) => line.startsWith('error:'))).toEqual([]);
    expect(firstLogs.join('\n')).toContain('ammyyHunter succeeded');
    expect(firstLogs.join('\n')).toContain('3 hit(s), 3 created, 0 updated');
    const [first] = await runReports();
    expect(first).toMatchObject({ status: 'succeeded', backend: 'log-analytics', sink: 'sentinel', hits: 3, failures: [], warnings: [] });
    expect(first!.created.map((incident) => incident.deviceName).sort()).toEqual(deviceNames);

    // The incidents Sentinel received: one per device, written for a SOC analyst.
    expect(sentinel.incidents.size).toBe(3);
    for (const created of first!.created) {
      const incident = propertiesOf(sentinel.incidents.get(created.episodeId));
      expect(incident.title).toBe(`Ammyy Admin remote access tool (T1219) on ${created.deviceName}`);
      expect(incident.severity).toBe('Medium');
      expect(incident.status).toBe('New');
      expect(incident.labels.map((label) => label.labelName)).toEqual(expect.arrayContaining(['RMM', 'Ammyy', 'T1219', rule.id]));
      expect(incident.description).toContain(created.deviceName);
      expect(incident.description).toContain(created.deviceId);
      expect(incident.description).toContain(`https://security.microsoft.com/machines/${created.deviceId}`);
      expect(incident.description).toContain('T1219');
      expect(incident.description).toContain('Command and Control');
      expect(Date.parse(incident.firstActivityTimeUtc ?? '')).toBeLessThanOrEqual(Date.parse(incident.lastActivityTimeUtc ?? ''));
    }
    const financeIncidentId = first!.created.find((incident) => incident.deviceId === finance.deviceId)!.episodeId;
    const financeBefore = propertiesOf(sentinel.incidents.get(financeIncidentId));
    expect(financeBefore.description).toMatch(/`1001`, `1002`/);
    expect(financeBefore.lastActivityTimeUtc).toBe('2026-11-18T09:02:10.000Z');

    // The workspace received the hunt query over exactly the bound window, with the server timeout,
    // then the context query for the hit devices over the same window.
    const window = `${first!.window.start}/${first!.window.end}`;
    const [huntQuery, ...otherQueries] = logAnalytics.queries;
    expect(huntQuery).toMatchObject({ workspaceId, timespan: window, prefer: 'wait=60' });
    expect(huntQuery!.query).toContain('DeviceFileCertificateInfo');
    expect(huntQuery!.query).toContain(`datetime(${first!.window.start})`);
    const contextQuery = otherQueries.find((query) => query.query.includes('DeviceProcessEvents'));
    expect(contextQuery).toMatchObject({ workspaceId, timespan: window });
    for (const created of first!.created) expect(contextQuery!.query).toContain(`"${created.deviceId}"`);
    expect(credential.scopesRequested).toEqual(expect.arrayContaining([`${logAnalytics.url}/.default`, `${sentinel.url}/.default`]));

    // The run report shows each call, each sent once.
    expectEveryCallSentOnce(first!, { logAnalytics: logAnalytics.requests, sentinel: sentinel.requests });
    expect(first!.serviceCalls!.filter((call) => call.service === 'sentinel' && call.method === 'PUT').map((call) => call.status)).toEqual([201, 201, 201]);

    // New evidence on one device, found by the next hourly run. Its ReportId is beyond 2^53, as Defender's
    // are: it reaches the comment exact (LogsQueryClient's JSON.parse made it ...992, another event).
    appendFileSync(path.join(fn.dataDir(), 'DeviceFileCertificateInfo.jsonl'), '\n' + JSON.stringify({
      Timestamp: '2026-11-20T12:30:00Z', DeviceId: finance.deviceId, DeviceName: finance.deviceName, SHA1: 'b4b3c5ce6b4a1e7c3b9b0c8e2f1a6d5c4b3a2918',
      IsSigned: true, SignatureType: 'Embedded', Signer: 'Ammyy LLC', IsTrusted: true, ReportId: 0,
    }).replace('"ReportId":0', `"ReportId":${bigReportId}`) + '\n');
    now = new Date('2026-11-20T13:00:00Z');
    const seenBefore = { logAnalytics: logAnalytics.requests.length, queries: logAnalytics.queries.length, sentinel: sentinel.requests.length };

    const secondLogs = await invoke(hunt, 'second-run');
    expect(secondLogs.filter((line) => line.startsWith('error:'))).toEqual([]);
    expect(secondLogs.join('\n')).toContain('ammyyHunter succeeded');
    expect(secondLogs.join('\n')).toMatch(/\d+ hit\(s\), 0 created, 1 updated, 0 suppressed/);
    const reports = await runReports();
    expect(reports).toHaveLength(2);
    const second = reports[1]!;
    expect(second).toMatchObject({ status: 'succeeded', created: [], suppressed: [], failures: [], warnings: [] });
    expect(second.unchanged).toBe(second.hits - 1);
    expect(second.updated.map((incident) => [incident.episodeId, incident.newReportIds])).toEqual([[financeIncidentId, 1]]);

    // Sentinel: no new incident; the finance incident updated in place with one comment naming only the new report id.
    expect(sentinel.incidents.size).toBe(3);
    const financeAfter = propertiesOf(sentinel.incidents.get(financeIncidentId));
    expect(financeAfter.status).toBe('New');
    expect(financeAfter.lastActivityTimeUtc).toBe('2026-11-20T12:30:00.000Z');
    expect(financeAfter.firstActivityTimeUtc).toBe(financeBefore.firstActivityTimeUtc);
    const comments = [...sentinel.incidents.get(financeIncidentId)!.comments.values()];
    expect(comments).toHaveLength(1);
    expect(comments[0]!.message).toContain(`\`${bigReportId}\``);
    expect(financeAfter.description).toContain(`\`${bigReportId}\``);
    expect(comments[0]!.message).not.toMatch(/`100[12]`/);
    for (const [incidentId, incident] of sentinel.incidents) if (incidentId !== financeIncidentId) expect(incident.comments.size).toBe(0);
    const secondSentinel = sentinel.requests.slice(seenBefore.sentinel);
    expect(secondSentinel.filter((request) => request.method === 'PUT').map((request) => request.path.replace(/\/comments\/[^/]+$/, '/comments/*'))).toEqual([
      incidentPath(financeIncidentId),
      `${incidentPath(financeIncidentId)}/comments/*`,
    ]);

    // The second hunt query covers the second run's window.
    const secondQueries = logAnalytics.queries.slice(seenBefore.queries);
    expect(secondQueries[0]).toMatchObject({ timespan: `${second.window.start}/${second.window.end}` });
    expect(second.window.end).toBe('2026-11-20T12:45:00.000Z');

    expectEveryCallSentOnce(second, { logAnalytics: logAnalytics.requests.slice(seenBefore.logAnalytics), sentinel: secondSentinel });
  });

  it('parks a device whose incident Sentinel refuses for good (400): the others are raised, the watermark moves, the same incident goes in later', async () => {
    // A state table of its own, and a Sentinel workspace without the first test's incidents.
    const table = 'CloudParking';
    const hunt = timerHandler(table);
    sentinel.incidents.clear();
    now = new Date('2026-11-20T12:00:00Z');
    const refused = serviceErrorBody('BadRequest', 'The title of the incident is not valid.');
    sentinel.failNext({ status: 400, body: refused }, 1, (request) => request.method === 'PUT' && request.body.includes(finance.deviceName));

    const logs = await invoke(hunt, 'refused-run');
    expect(logs.join('\n')).toMatch(/ammyyHunter succeeded: .* 2 created, 0 updated/);
    const [refusedRun] = await runReports(table);
    expect(refusedRun).toMatchObject({ status: 'succeeded', failures: [], watermark: refusedRun!.window.end });
    expect(refusedRun!.parked).toEqual([
      expect.objectContaining({ deviceId: finance.deviceId, step: 'sink', attempts: 1, state: 'parked', since: now.toISOString(), message: expect.stringMatching(/400.*not valid/s) }),
    ]);
    expect(sentinel.incidents.size).toBe(2);

    // An hour later (its first retry is due), Sentinel takes it: one more incident, counted as created once.
    now = new Date(now.getTime() + 60 * 60_000);
    const retryLogs = await invoke(hunt, 'retry-run');
    expect(retryLogs.join('\n')).toMatch(/ammyyHunter succeeded: .* 1 created, 0 updated/);
    const retried = (await runReports(table)).at(-1)!;
    expect(retried.created).toEqual([expect.objectContaining({ deviceId: finance.deviceId })]);
    expect(retried.parked).toEqual([]);
    expect(sentinel.incidents.size).toBe(3);
  });
});
