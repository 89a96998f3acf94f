/**
 * Run records through the real Logs Ingestion client (issue 16, "Run records in the workspace"): the timer handler
 * built from app settings alone (Log Analytics backend, state in Azurite, findings to one DCR), with RUNS_* naming a
 * second Direct DCR whose loopback contract server speaks the documented Logs Ingestion API (POST
 * dataCollectionRules/{id}/streams/{stream}?api-version=2023-01-01, 204; learn.microsoft.com/azure/azure-monitor/
 * logs/logs-ingestion-api-overview). Every run writes one record, a failed run too (with its error), a record the
 * service refuses never fails the hunt, and the health rule (the query health.bicep deploys) raises over exactly what
 * the service received.
 */
import path from 'node:path';
import { InvocationContext, type Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/ports.js';
import { FINDINGS_COLUMNS, FINDINGS_STREAM_DEFAULT } from '../../src/findings/findingsTable.js';
import { RUNS_COLUMNS, RUNS_STREAM_DEFAULT } from '../../src/health/runsTable.js';
import { loadRule } from '../../src/rules/load.js';
import { serviceErrorBody } from '../support/contractServers/httpsContractServer.js';
import { LogsIngestionContractServer } from '../support/contractServers/logsIngestionContractServer.js';
import { appRoot, useLoopbackFunction } from '../support/loopbackFunction.js';
import { healthAlertsOver } from '../support/runRecords.js';

const rule = loadRule(path.join(appRoot, 'rules/ammyy-file-signature.yaml'));
const findingsDcr = { immutableId: 'dcr-5f0e1d2c3b4a59687766554433221100', streamName: FINDINGS_STREAM_DEFAULT, columns: FINDINGS_COLUMNS.map((column) => column.name) };
const runsDcr = { immutableId: 'dcr-0a1b2c3d4e5f60718293a4b5c6d7e8f9', streamName: RUNS_STREAM_DEFAULT, columns: RUNS_COLUMNS.map((column) => column.name) };
const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
const HOUR = 3_600_000;
const start = new Date('2026-11-20T12:00:00Z');

let now = start;
const clock: Clock = { now: () => new Date(now.getTime()) };
const findings = new LogsIngestionContractServer(findingsDcr, () => now);
const runs = new LogsIngestionContractServer(runsDcr, () => now);
const fn = useLoopbackFunction({ tmpPrefix: 'hunter-runs-cloud-', now: () => now, servers: [findings, runs] });
const { logAnalytics } = fn;

const handler = () =>
  fn.timerHandler({
    clock,
    stateTable: 'RunRecordsCloud',
    settings: () => ({
      INCIDENT_SINK: 'sentinel-alerts',
      LOGS_INGESTION_ENDPOINT: findings.url,
      FINDINGS_DCR_IMMUTABLE_ID: findingsDcr.immutableId,
      RUNS_INGESTION_ENDPOINT: runs.url,
      RUNS_DCR_IMMUTABLE_ID: runsDcr.immutableId,
    }),
  });

/** Runs the Function once at `at`; resolves with its log lines and whether it threw (to the host, which retries). */
async function runAt(at: Date, invocationId: string): Promise<{ logs: string; threw: boolean }> {
  now = at;
  const logs: string[] = [];
  const context = new InvocationContext({ invocationId, functionName: 'ammyyHunter', logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`) });
  const threw = await handler()(timer, context).then(() => false, () => true);
  return { logs: logs.join('\n'), threw };
}

/** The health rule, as Sentinel runs it at `at`, over what the runs DCR's service received. */
const healthAlertsAt = (at: Date) => healthAlertsOver(runs.table, at);

describe('run records through the Logs Ingestion API (contract server, real LogsIngestionClient)', () => {
  it('writes one record per run, a failed run with its error; a refused record never fails the hunt; the health rule reads them', async () => {
    // A healthy run: one record with the run's counts, every property a column the DCR's stream declares.
    expect((await runAt(start, 'healthy')).threw).toBe(false);
    expect(runs.table).toHaveLength(1);
    const healthy = runs.table[0]!;
    expect(healthy).toMatchObject({ RuleId: rule.id, Status: 'succeeded', Backend: 'log-analytics', Sink: 'sentinel-alerts', Hits: 3, Created: 3, Error: '' });
    expect(healthy.QueryFrequencyMs).toBe(rule.queryFrequencyMs);
    expect(Object.keys(healthy).filter((name) => name !== '_TimeReceived').sort()).toEqual(runsDcr.columns.slice().sort());
    expect(findings.table).toHaveLength(3);
    expect(await healthAlertsAt(new Date(start.getTime() + 0.5 * HOUR))).toEqual([]);

    // The workspace is down (503 through every retry): the run fails to the host and still writes its record.
    logAnalytics.failNext({ status: 503, body: serviceErrorBody('ServiceUnavailable', 'the workspace is unavailable') }, 4);
    const failing = await runAt(new Date(start.getTime() + HOUR), 'failing');
    expect(failing.threw).toBe(true);
    expect(runs.table).toHaveLength(2);
    expect(runs.table[1]).toMatchObject({ RuleId: rule.id, Status: 'failed' });
    expect(String(runs.table[1]!.Error)).toMatch(/503/);

    // Two intervals and a half after the last success, the health rule raises with that run's error.
    const alerts = await healthAlertsAt(new Date(start.getTime() + 2.5 * HOUR));
    expect(alerts.map((alert) => alert.Problem)).toEqual(['NoSuccessfulRun']);
    expect(String(alerts[0]!.LastError)).toMatch(/503/);

    // The runs DCR refuses the record (403: the identity lost Monitoring Metrics Publisher on it): the hunt succeeds
    // all the same, writes its findings, and says in its log that the record was not written.
    runs.revokePublisher();
    const refused = await runAt(new Date(start.getTime() + 2 * HOUR), 'refused');
    expect(refused.threw).toBe(false);
    expect(refused.logs).toContain('ammyyHunter succeeded');
    expect(refused.logs).toMatch(/run record not written.*403/s);
    expect(runs.table).toHaveLength(2);
  });
});
