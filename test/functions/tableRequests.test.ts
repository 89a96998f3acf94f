/**
 * Issue 14's state budget through the timer handler, as the Function runs it (settings, composition
 * root, table opened per invocation): a mass deployment to 1,000 new devices costs at most
 * ceil(1000 / 100) + 2 Table writes (the table's create-if-missing, 10 transactions of 100 devices,
 * the run report carrying the watermark), and the same hits again cost the create and the report.
 * Requests are counted by a loopback proxy in front of Azurite, as the storage account bills them
 * (a batch transaction is one request).
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvocationContext, type Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { createTimerHandler } from '../../src/functions/ammyyHunter.js';
import { settableClock } from '../support/settableClock.js';
import { useAzurite } from '../support/azurite.js';
import { useCountingProxy, withTableEndpoint } from '../support/countingProxy.js';

const az = useAzurite();
const countingProxy = useCountingProxy(() => az.azurite().tableEndpoint);

const FIXTURE = 'test/fixtures/ammyy-basic';
const DEVICES = 1_000;
const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

/** The fixture's first Ammyy-signed file, seen on `devices` devices; the context tables as they are. */
function massDeployment(devices: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hunter-mass-'));
  for (const file of ['DeviceNetworkEvents.jsonl', 'DeviceProcessEvents.jsonl', 'IdentityInfo.jsonl', 'replay.json']) copyFileSync(path.join(FIXTURE, file), path.join(dir, file));
  const sample = JSON.parse(readFileSync(path.join(FIXTURE, 'DeviceFileCertificateInfo.jsonl'), 'utf8').split('\n')[0]!) as Record<string, unknown>;
  const rows = Array.from({ length: devices }, (_, i) => JSON.stringify({ ...sample, DeviceId: `d${i.toString(16).padStart(39, '0')}`, DeviceName: `ws-${i}.contoso.local`, ReportId: 50_000 + i }));
  writeFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), rows.join('\n') + '\n');
  return dir;
}

const writes = () => countingProxy().requests.filter((request) => request.method !== 'GET');

describe('Table requests per timer invocation', () => {
  it(`${DEVICES.toLocaleString('en-US')} new devices: at most ceil(${DEVICES} / 100) + 2 writes; the same hits again: the create and the report`, async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-fn-'));
    const settings = {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: withTableEndpoint(az.azurite().connectionString, countingProxy().endpoint),
      QUERY_BACKEND: 'local',
      LOCAL_DATA_DIR: massDeployment(DEVICES),
      INCIDENT_SINK: 'file',
      INCIDENT_OUT_DIR: outDir,
      STATE_TABLE_NAME: 'FunctionRequests',
    };
    const logs: string[] = [];
    const context = () => new InvocationContext({ invocationId: 'requests', functionName: 'ammyyHunter', logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')) });
    const clock = settableClock(new Date('2026-11-20T12:00:00Z'));
    const handler = createTimerHandler({ env: () => settings, clock, appRoot: process.cwd() });

    countingProxy().reset();
    await handler(timer, context());
    expect(logs.join('\n')).toMatch(new RegExp(`ammyyHunter succeeded: .* ${DEVICES} created`));
    console.log(`${DEVICES} new devices through the timer handler: ${writes().length} Table writes, ${countingProxy().requests.length} requests`);
    expect(writes().length).toBeLessThanOrEqual(Math.ceil(DEVICES / 100) + 2);

    countingProxy().reset();
    // The rule's next due run (queryFrequency PT1H): the same hits are still in its window.
    clock.advance(3_600_000);
    await handler(timer, context());
    expect(logs.at(-1)).toMatch(/succeeded: .* 0 created, 0 updated/);
    expect(writes()).toHaveLength(2);
  }, 300_000);
});
