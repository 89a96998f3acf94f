/**
 * "Devices stay parked" (issue 16) through the whole Function: INCIDENT_SINK=sentinel-incidents against the Sentinel
 * contract server, which refuses one device's incident with 400 (a 4xx about this incident: the sink's permanent
 * failure, so the device is parked and the others are raised; docs/state-and-windows.md, "Parked devices"), run
 * records to a runs-DCR contract server through the real LogsIngestionClient. Runs every hour succeed; the records
 * say since when the device is parked, and the health rule raises 'DevicesParked', alone, once it has been parked for
 * longer than two intervals.
 */
import { InvocationContext, type Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/ports.js';
import { RUNS_COLUMNS, RUNS_STREAM_DEFAULT } from '../../src/health/runsTable.js';
import { serviceErrorBody } from '../support/contractServers/httpsContractServer.js';
import { LogsIngestionContractServer } from '../support/contractServers/logsIngestionContractServer.js';
import { SentinelContractServer } from '../support/contractServers/sentinelContractServer.js';
import { useLoopbackFunction } from '../support/loopbackFunction.js';
import { healthAlertsOver } from '../support/runRecords.js';

const sentinelWorkspace = { subscriptionId: '8d2f6c1e-4b7a-4c3d-9e5f-0a1b2c3d4e5f', resourceGroup: 'rg-soc', workspaceName: 'law-sentinel' };
const runsDcr = { immutableId: 'dcr-0a1b2c3d4e5f60718293a4b5c6d7e8f9', streamName: RUNS_STREAM_DEFAULT, columns: RUNS_COLUMNS.map((column) => column.name) };
const refusedDevice = 'wks-fin-007.contoso.local';
const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
const HOUR = 3_600_000;
const start = new Date('2026-11-20T12:00:00Z');
const hour = (hours: number) => new Date(start.getTime() + hours * HOUR);

let now = start;
const clock: Clock = { now: () => new Date(now.getTime()) };
const sentinel = new SentinelContractServer(sentinelWorkspace);
const runs = new LogsIngestionContractServer(runsDcr, () => now);
const fn = useLoopbackFunction({ tmpPrefix: 'hunter-parked-', now: () => now, servers: [sentinel, runs] });

const handler = () =>
  fn.timerHandler({
    clock,
    stateTable: 'ParkedHealth',
    settings: () => ({
      INCIDENT_SINK: 'sentinel-incidents',
      SENTINEL_SUBSCRIPTION_ID: sentinelWorkspace.subscriptionId,
      SENTINEL_RESOURCE_GROUP: sentinelWorkspace.resourceGroup,
      SENTINEL_WORKSPACE_NAME: sentinelWorkspace.workspaceName,
      RESOURCE_MANAGER_ENDPOINT: sentinel.url,
      RUNS_INGESTION_ENDPOINT: runs.url,
      RUNS_DCR_IMMUTABLE_ID: runsDcr.immutableId,
    }),
  });

async function runAt(at: Date): Promise<void> {
  now = at;
  const context = new InvocationContext({ invocationId: `run-${at.toISOString()}`, functionName: 'ammyyHunter', logHandler: () => undefined });
  await handler()(timer, context);
}

/** The health rule, as Sentinel runs it at `at`, over what the runs DCR's service received. */
const healthAlertsAt = (at: Date) => healthAlertsOver(runs.table, at);

describe('a device whose incident Sentinel refuses, through the Function and its run records', () => {
  it("is parked while every run succeeds; the records say since when, and the health rule raises 'DevicesParked' after two intervals", async () => {
    // Sentinel refuses that device's incident, every time it is sent (400: about this incident, not retried).
    sentinel.failNext(
      { status: 400, body: serviceErrorBody('BadRequest', 'Incident properties are invalid') },
      50,
      (request) => request.method === 'PUT' && !request.path.includes('/comments/') && request.body.includes(refusedDevice),
    );
    for (let run = 0; run <= 3; run++) await runAt(hour(run));

    expect(runs.table.map((record) => record.Status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(runs.table[0]).toMatchObject({ Created: 2, ParkedDevices: 1, ParkedSince: start.toISOString() });
    expect(runs.table[3]).toMatchObject({ ParkedDevices: 1, ParkedSince: start.toISOString() });
    expect(JSON.stringify(runs.table[0]!.Parked)).toContain(refusedDevice);

    // Parked for 1.5 hours: not yet; for 3.5 hours (more than two of the rule's hourly intervals): raised, alone.
    expect(await healthAlertsAt(hour(1.5))).toEqual([]);
    const alerts = await healthAlertsAt(hour(3.5));
    expect(alerts.map((alert) => alert.Problem)).toEqual(['DevicesParked']);
    expect(alerts[0]).toMatchObject({ ParkedDevices: 1, Severity: 'Medium' });
    expect(String(alerts[0]!.Title)).toBe('ammyy-hunter: 1 detection(s) parked for 3.5 h');
  });
});
