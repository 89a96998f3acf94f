/**
 * The whole Function with INCIDENT_SINK=sentinel-alerts: the timer handler built from app settings alone
 * (QUERY_BACKEND=log-analytics, state in Azurite), the real Log Analytics client and the real LogsIngestionClient
 * pointed at loopback contract servers. Then the analytics rule's query (the file the Bicep loads) runs over what
 * the ingestion server received, as Sentinel would run it: one alert per finding, with its entities; an update
 * raises one more alert for the same episode (one incident); while ingestion is down the run fails and nothing
 * advances, and the next run writes the findings it could not; evidence past the grouping look-back from the
 * episode's first alert opens the next episode, as the analytics rule's grouping would.
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
import { RULE_FREQUENCY_MS } from '../../src/findings/analyticsRule.js';
import { FINDINGS_COLUMNS, FINDINGS_STREAM_DEFAULT, FINDINGS_TABLE_NAME, localFindingsTableSchema } from '../../src/findings/findingsTable.js';
import { alertFromRow, type RaisedAlert } from '../../src/findings/ruleRuns.js';
import { evaluate } from '../../src/kql/index.js';
import { loadRule } from '../../src/rules/load.js';
import { serviceErrorBody } from '../support/contractServers/httpsContractServer.js';
import { LogsIngestionContractServer } from '../support/contractServers/logsIngestionContractServer.js';
import { appRoot, useLoopbackFunction } from '../support/loopbackFunction.js';
import { memoryTables } from '../kql/helpers.js';
import { readFindingsBicep } from '../infra/findingsBicep.js';

const rule = loadRule(path.join(appRoot, 'rules/ammyy-file-signature.yaml'));
const dcr = { immutableId: 'dcr-5f0e1d2c3b4a59687766554433221100', streamName: FINDINGS_STREAM_DEFAULT, columns: FINDINGS_COLUMNS.map((column) => column.name) };
const stateTable = 'AlertsPipeline';
const finance = { deviceId: '3f1c2b9a8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b', deviceName: 'wks-fin-007.contoso.local' };
const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
const query = readFindingsBicep().query;

let now = new Date('2026-11-20T12:00:00Z');
const clock: Clock = { now: () => new Date(now.getTime()) };
const ingestion = new LogsIngestionContractServer(dcr, () => now);
const fn = useLoopbackFunction({ tmpPrefix: 'hunter-alerts-', now: () => now, servers: [ingestion] });
const { credential } = fn;

const hunt = () =>
  fn.timerHandler({
    clock,
    stateTable,
    settings: () => ({ INCIDENT_SINK: 'sentinel-alerts', LOGS_INGESTION_ENDPOINT: ingestion.url, FINDINGS_DCR_IMMUTABLE_ID: dcr.immutableId }),
  });

async function invoke(handler: ReturnType<typeof createTimerHandler>, invocationId: string): Promise<string[]> {
  const logs: string[] = [];
  const context = new InvocationContext({ invocationId, functionName: 'ammyyHunter', logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`) });
  await handler(timer, context);
  return logs;
}

async function runReports(): Promise<RunReport[]> {
  const state = await TableStateStore.open(TableClient.fromConnectionString(fn.azurite().connectionString, stateTable, { allowInsecureConnection: true }));
  return (await state.listRunReports(rule.id, 10)).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** The analytics rule's runs over what the ingestion server received, every 5 minutes for the next half hour. */
async function alertsOfTheNextRuleRuns(): Promise<RaisedAlert[]> {
  const datetimes = localFindingsTableSchema.columns.filter((column) => column.type === 'datetime').map((column) => column.name);
  const rows = ingestion.table.map((record) => ({ ...record, ...Object.fromEntries(datetimes.map((name) => [name, new Date(record[name] as string)])) }));
  const tables = memoryTables({ [FINDINGS_TABLE_NAME]: rows }, [localFindingsTableSchema]);
  const alerts: RaisedAlert[] = [];
  for (let run = 0; run < 6; run += 1) {
    const runAt = new Date(now.getTime() + 60_000 + run * RULE_FREQUENCY_MS);
    for (const row of (await evaluate(query, { tables, now: runAt })).rows) alerts.push(alertFromRow(row, runAt));
  }
  return alerts;
}

describe('the ammyyHunter Function with INCIDENT_SINK=sentinel-alerts (contract servers)', () => {
  it('writes one finding per device episode through the Logs Ingestion API; the analytics rule raises one alert each, and one more per update', async () => {
    const handler = hunt();
    const firstLogs = await invoke(handler, 'first-run');
    expect(firstLogs.join('\n')).toContain('ammyyHunter succeeded');
    const [first] = await runReports();
    expect(first).toMatchObject({ status: 'succeeded', sink: 'sentinel-alerts', hits: 3, failures: [] });
    expect(ingestion.table).toHaveLength(3);
    expect(credential.scopesRequested).toContain('https://monitor.azure.com/.default');
    expect(first!.serviceCalls!.filter((call) => call.service === 'logs-ingestion').map((call) => call.status)).toEqual([204]);

    const alerts = await alertsOfTheNextRuleRuns();
    expect(alerts).toHaveLength(3);
    const financeAlert = alerts.find((alert) => alert.title.endsWith(finance.deviceName))!;
    expect(financeAlert.severity).toBe('Medium');
    expect(financeAlert.entities.find((entity) => entity.type === 'Host')?.identifiers).toEqual({ HostName: 'wks-fin-007', DnsDomain: 'contoso.local' });
    expect(financeAlert.entities.map((entity) => entity.type)).toEqual(expect.arrayContaining(['Host', 'FileHash', 'File', 'Process', 'Account', 'IP', 'URL']));
    expect(financeAlert.customDetails).toMatchObject({ DefenderDeviceId: finance.deviceId });

    // New evidence on the finance device while the ingestion service is down: the run fails, nothing advances.
    appendFileSync(path.join(fn.dataDir(), 'DeviceFileCertificateInfo.jsonl'), '\n' + JSON.stringify({
      Timestamp: '2026-11-20T12:30:00Z', DeviceId: finance.deviceId, DeviceName: finance.deviceName, SHA1: 'b4b3c5ce6b4a1e7c3b9b0c8e2f1a6d5c4b3a2918',
      IsSigned: true, SignatureType: 'Embedded', Signer: 'Ammyy LLC', IsTrusted: true, ReportId: 1009,
    }) + '\n');
    now = new Date('2026-11-20T13:00:00Z');
    ingestion.failNext({ status: 503, body: serviceErrorBody('ServiceUnavailable', 'ingestion is down') }, 4);
    await expect(invoke(handler, 'second-run')).rejects.toThrow();
    const failed = (await runReports()).at(-1)!;
    expect(failed.status).toBe('failed');
    expect(failed.failures.map((failure) => failure.deviceName)).toEqual([finance.deviceName]);
    expect(failed.failures[0]!.message).toMatch(/503/);
    expect(ingestion.table).toHaveLength(3);

    // The service is back: the next run writes the update, the rule raises one alert for the same episode.
    now = new Date('2026-11-20T14:00:00Z');
    const thirdLogs = await invoke(handler, 'third-run');
    expect(thirdLogs.join('\n')).toContain('ammyyHunter succeeded');
    expect(ingestion.table).toHaveLength(4);
    const update = ingestion.table[3]!;
    expect(update).toMatchObject({ Sequence: 1, EpisodeId: financeAlert.episodeId, DeviceId: finance.deviceId, NewReportIds: ['1009'] });
    const next = await alertsOfTheNextRuleRuns();
    expect(next.map((alert) => [alert.episodeId, alert.customDetails.FindingId])).toEqual([[financeAlert.episodeId, update.FindingId]]);

    // Sentinel groups an alert into the episode's incident only within the grouping look-back (the rule's P7D) of the
    // incident's FIRST alert (scheduled-rules-overview, "Alert grouping"): evidence 7 days after the episode opened,
    // though less than 7 days after its update, opens the next episode (the sink's EpisodeLimits), its own incident.
    appendFileSync(path.join(fn.dataDir(), 'DeviceFileCertificateInfo.jsonl'), JSON.stringify({
      Timestamp: '2026-11-27T12:30:00Z', DeviceId: finance.deviceId, DeviceName: finance.deviceName, SHA1: 'b4b3c5ce6b4a1e7c3b9b0c8e2f1a6d5c4b3a2918',
      IsSigned: true, SignatureType: 'Embedded', Signer: 'Ammyy LLC', IsTrusted: true, ReportId: 1010,
    }) + '\n');
    now = new Date('2026-11-27T13:00:00Z');
    expect((await invoke(handler, 'fourth-run')).join('\n')).toContain('ammyyHunter succeeded');
    expect(ingestion.table).toHaveLength(5);
    const reopened = ingestion.table[4]!;
    expect(reopened).toMatchObject({ Sequence: 0, Reason: 'lookbackExpired', PreviousEpisodeId: financeAlert.episodeId, DeviceId: finance.deviceId, NewReportIds: ['1010'] });
    expect(reopened.EpisodeId).not.toBe(financeAlert.episodeId);
  });
});
