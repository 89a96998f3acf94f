/**
 * The whole hunt with the cloud adapters: Log Analytics backend and Sentinel sink on their real clients,
 * pointed at the loopback contract servers (the workspace runs the KQL it receives over exported tables),
 * with the dedupe state in Azurite. A second run with one new signature event only updates.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallLog } from '../../src/adapters/callLog.js';
import { LogAnalyticsBackend } from '../../src/adapters/logAnalytics/index.js';
import { SentinelIncidentSink } from '../../src/adapters/sentinel/index.js';
import { startAzuriteTables, type AzuriteTables } from '../../src/adapters/table/azurite.js';
import { TableStateStore } from '../../src/adapters/table/tableStateStore.js';
import { createContextEnricher } from '../../src/context/index.js';
import { runHunt } from '../../src/core/hunt.js';
import { createNoExclusionsEvaluator } from '../../src/exclusions/index.js';
import { createIncidentRenderer } from '../../src/incidents/index.js';
import { loadRule } from '../../src/rules/load.js';
import { fixedClock } from '../../src/runtime/clock.js';
import { recordingLogger, lineLogger } from '../../src/runtime/logger.js';
import { FixedTokenCredential } from '../support/contractServers/fixedTokenCredential.js';
import { kqlWorkspace } from '../support/contractServers/kqlWorkspace.js';
import { LogAnalyticsContractServer } from '../support/contractServers/logAnalyticsContractServer.js';
import { SentinelContractServer } from '../support/contractServers/sentinelContractServer.js';

const workspaceId = '6f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const sentinelWorkspace = { subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'rg-soc', workspaceName: 'law-sentinel' };
let now = new Date('2026-11-20T12:00:00Z');
let dataDir: string;
let azurite: AzuriteTables;
const logAnalytics = new LogAnalyticsContractServer(workspaceId, kqlWorkspace(() => dataDir, () => now));
const sentinel = new SentinelContractServer(sentinelWorkspace);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-cloud-'));
  cpSync('test/fixtures/ammyy-basic', dataDir, { recursive: true });
  [azurite] = await Promise.all([startAzuriteTables({ persistenceDir: undefined }), logAnalytics.start(), sentinel.start()]);
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), logAnalytics.stop(), sentinel.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

async function huntOnce(callLog: CallLog) {
  const credential = new FixedTokenCredential();
  const pipelineOptions = (ca: string) => ({ tlsOptions: { ca }, retryOptions: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 } });
  const backend = new LogAnalyticsBackend({ credential, workspaceId, endpoint: logAnalytics.url, serverTimeoutSeconds: 60, callLog, pipelineOptions: pipelineOptions(logAnalytics.certificate) });
  const sink = new SentinelIncidentSink({ credential, armEndpoint: sentinel.url, ...sentinelWorkspace, callLog, pipelineOptions: pipelineOptions(sentinel.certificate) });
  const state = await TableStateStore.open(TableClient.fromConnectionString(azurite.connectionString, 'CloudPipeline', { allowInsecureConnection: true }));
  const rule = loadRule(path.resolve('rules/ammyy-file-signature.yaml'));
  const logger = recordingLogger(lineLogger(() => undefined));
  return runHunt(
    {
      backend,
      state,
      sink,
      renderer: createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' }),
      enricher: rule.contextQuery === undefined ? undefined : createContextEnricher(backend, { batchSize: 50 }),
      exclusions: createNoExclusionsEvaluator(),
      clock: fixedClock(now),
      logger,
    },
    { rule, dryRun: false, runReportRetentionDays: 30 },
  );
}

describe('the hunt on Log Analytics and Sentinel (contract servers)', () => {
  it('creates one incident per device, then only updates and comments on new evidence', async () => {
    const firstCalls = new CallLog();
    const first = await huntOnce(firstCalls);
    const finance = () => first.created.find((incident) => incident.deviceName === 'wks-fin-007.contoso.local')!;
    expect(first.status).toBe('succeeded');
    expect(first.failures).toEqual([]);
    expect(first.created.length).toBe(first.hits);
    expect(sentinel.incidents.size).toBe(first.created.length);
    const incidents = [...sentinel.incidents.values()].map((incident) => incident.properties as { title: string; status: string; severity: string; labels: { labelName: string }[]; description: string });
    expect(incidents.map((incident) => incident.title)).toEqual(expect.arrayContaining([
      'Ammyy Admin remote access tool (T1219) on laptop-mkt-113.contoso.local',
      'Ammyy Admin remote access tool (T1219) on srv-helpdesk-02.contoso.local',
      'Ammyy Admin remote access tool (T1219) on wks-fin-007.contoso.local',
    ]));
    expect(incidents.every((incident) => incident.status === 'New' && incident.severity === 'Medium' && incident.labels.some((label) => label.labelName === 'T1219'))).toBe(true);
    // The query the workspace received covers exactly the bound window.
    expect(logAnalytics.queries[0]!.timespan).toBe(`${first.window.start}/${first.window.end}`);
    // The context query went through the same backend, for the hit devices only.
    expect(logAnalytics.queries.some((query) => query.query.includes('DeviceProcessEvents') && query.query.includes(finance().deviceId))).toBe(true);
    // No retries and no server errors; a 400 is the optional IdentityInfo lookup on a workspace without that table.
    expect(firstCalls.entries().filter((call) => call.attempts !== 1 || call.status === undefined || call.status >= 500)).toEqual([]);
    expect(firstCalls.entries().filter((call) => call.status === 400).every((call) => call.service === 'log-analytics')).toBe(true);
    expect(firstCalls.entries().filter((call) => call.service === 'sentinel' && call.method === 'PUT')).toHaveLength(first.created.length);

    appendFileSync(path.join(dataDir, 'DeviceFileCertificateInfo.jsonl'), '\n' + JSON.stringify({
      Timestamp: '2026-11-20T13:00:00Z', DeviceId: finance().deviceId, DeviceName: 'wks-fin-007.contoso.local', SHA1: 'b4b3c5ce6b4a1e7c3b9b0c8e2f1a6d5c4b3a2918',
      IsSigned: true, SignatureType: 'Embedded', Signer: 'Ammyy LLC', IsTrusted: true, ReportId: 1009,
    }) + '\n');
    now = new Date('2026-11-20T14:00:00Z');
    const second = await huntOnce(new CallLog());
    expect(second.status).toBe('succeeded');
    expect(second.created).toHaveLength(0);
    expect(second.updated.map((incident) => incident.incidentId)).toEqual([finance().incidentId]);
    expect(sentinel.incidents.size).toBe(first.created.length);
    const comments = [...sentinel.incidents.get(finance().incidentId)!.comments.values()];
    expect(comments).toHaveLength(1);
    expect(comments[0]!.message).toContain('`1009`');
    expect(comments[0]!.message).not.toContain('`1001`');
  });
});
