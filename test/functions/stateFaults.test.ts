/**
 * Issue 11's state faults through the timer handler, with the state in Azurite behind a loopback
 * proxy that plays the network: a run whose state writes are lost after the sink wrote its incidents
 * (the crash window between the two), and a state store that stops answering in the middle of a run.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvocationContext, type Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { createTimerHandler } from '../../src/functions/ammyyHunter.js';
import { fixedClock } from '../../src/runtime/clock.js';
import { useAzurite } from '../support/azurite.js';
import { startCountingProxy, withTableEndpoint, type CountingProxy } from '../support/countingProxy.js';

const az = useAzurite();
const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

async function setup(table: string) {
  const proxy = await startCountingProxy(az.azurite().tableEndpoint);
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-fn-'));
  const settings = {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    AzureWebJobsStorage: withTableEndpoint(az.azurite().connectionString, proxy.endpoint),
    QUERY_BACKEND: 'local',
    LOCAL_DATA_DIR: 'test/fixtures/ammyy-basic',
    INCIDENT_SINK: 'file',
    INCIDENT_OUT_DIR: outDir,
    STATE_TABLE_NAME: table,
  };
  const handler = createTimerHandler({ env: () => settings, clock: fixedClock(new Date('2026-11-20T12:00:00Z')), appRoot: process.cwd() });
  const invoke = async (onLog: (line: string) => void = () => undefined) => {
    const logs: string[] = [];
    const context = new InvocationContext({
      invocationId: 'state-faults',
      functionName: 'ammyyHunter',
      logHandler: (_level, ...args) => {
        const line = args.map(String).join(' ');
        logs.push(line);
        onLog(line);
      },
    });
    await handler(timer, context);
    return logs;
  };
  // Distinct incidents: the file sink appends an incident's new version as its last line.
  const incidents = () => [...new Set(readFileSync(path.join(outDir, 'incidents.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { incidentId: string }).incidentId))];
  return { proxy, invoke, incidents };
}

const isTransaction = (request: { method: string; path: string }) => request.method === 'POST' && request.path.includes('$batch');

describe('the timer function when state writes are lost', () => {
  it('after the sink wrote and the state did not, the next run counts those incidents as updated (resumed), not created', async () => {
    const { proxy, invoke, incidents } = await setup('FunctionLostWrites');
    try {
      proxy.drop = isTransaction;
      await expect(invoke()).rejects.toThrow(/state table/);
      expect(incidents()).toHaveLength(3);

      proxy.drop = undefined;
      const logs = await invoke();
      expect(logs.at(-1)).toMatch(/succeeded: .* 3 hit\(s\), 0 created, 3 updated/);
      expect(incidents()).toHaveLength(3);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

describe('the timer function when the state store dies mid-run', () => {
  it('fails naming the state table, where it is and what it was doing, and that the store is unreachable', async () => {
    const { proxy, invoke } = await setup('FunctionStoreDies');
    const endpoint = new URL(proxy.endpoint);
    // The devices are stored; the store goes away before the run report (and its watermark) is.
    const error = await invoke((line) => {
      if (line.startsWith('detections written')) void proxy.close();
    }).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error?.message).toContain(`state table FunctionStoreDies at ${endpoint.host}`);
    expect(error?.message).toMatch(/storing the report of run [0-9a-f-]+ failed: .*ECONNREFUSED/);
    expect(error?.message).toContain('the state store is unreachable');
  }, 120_000);
});
