/**
 * The whole Function against loopback services, for one test file: Azurite tables, a Log Analytics contract server
 * over a copy of the ammyy-basic fixture workspace, and the file's other contract servers, started before its tests
 * and stopped after; the timer handler built from app settings alone, with the loopback servers' token and CA.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { startAzuriteTables, type AzuriteTables } from '../../src/adapters/table/azurite.js';
import type { Clock } from '../../src/core/ports.js';
import { createTimerHandler } from '../../src/functions/ammyyHunter.js';
import { FixedTokenCredential } from './contractServers/fixedTokenCredential.js';
import { kqlWorkspace } from './contractServers/kqlWorkspace.js';
import { LogAnalyticsContractServer } from './contractServers/logAnalyticsContractServer.js';
import { loopbackPipelineOptions } from './contractServers/loopbackPipeline.js';

export const appRoot = fileURLToPath(new URL('../..', import.meta.url));
export const workspaceId = '6f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

export interface LoopbackServer {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

export interface LoopbackFunctionOptions {
  /** Prefix of the temporary copy of the fixture workspace. */
  readonly tmpPrefix: string;
  /** What the workspace answers as its current time. */
  readonly now: () => Date;
  /** The file's other contract servers (Sentinel, Logs Ingestion DCRs), started and stopped with the rest. */
  readonly servers: readonly LoopbackServer[];
}

export interface TimerHandlerOptions {
  readonly clock: Clock;
  readonly stateTable: string;
  /** The sink's and run records' settings; read at each invocation, once the servers are listening. */
  readonly settings: () => Record<string, string>;
}

export function useLoopbackFunction(options: LoopbackFunctionOptions) {
  let dataDir: string | undefined;
  let azurite: AzuriteTables | undefined;
  const running = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the loopback Function is not running (use inside a test)');
    return value;
  };
  const logAnalytics = new LogAnalyticsContractServer(workspaceId, kqlWorkspace(() => running(dataDir), options.now));
  const credential = new FixedTokenCredential();

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix));
    cpSync(path.join(appRoot, 'test/fixtures/ammyy-basic'), dataDir, { recursive: true });
    [azurite] = await Promise.all([startAzuriteTables({ persistenceDir: undefined }), logAnalytics.start(), ...options.servers.map((server) => server.start())]);
  });
  afterAll(async () => {
    await Promise.all([azurite?.stop(), logAnalytics.stop(), ...options.servers.map((server) => server.stop())]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    logAnalytics,
    credential,
    dataDir: () => running(dataDir),
    azurite: () => running(azurite),
    /** The Function's handler, its app settings as in local.settings.json pointing at the loopback servers. */
    timerHandler: ({ clock, stateTable, settings }: TimerHandlerOptions) =>
      createTimerHandler({
        env: () => ({
          FUNCTIONS_WORKER_RUNTIME: 'node',
          AzureWebJobsStorage: running(azurite).connectionString,
          STATE_TABLE_NAME: stateTable,
          QUERY_BACKEND: 'log-analytics',
          LOG_ANALYTICS_WORKSPACE_ID: workspaceId,
          LOG_ANALYTICS_ENDPOINT: logAnalytics.url,
          ...settings(),
        }),
        clock,
        appRoot,
        azure: { credential, pipelineOptions: loopbackPipelineOptions() },
      }),
  };
}
