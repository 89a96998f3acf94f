/**
 * The Table Storage client sends with no time limit: a state store whose connection stays open and never
 * answers (a stalled proxy or load balancer) held the run until the Function's timeout killed it, with
 * nothing in the report. The state table's client now abandons an attempt after the request timeout,
 * the pipeline retries it, and the last failure names the host and the limit. (The Logs Ingestion client
 * has the same limit: test/adapters/ingestion/logsIngestionUploader.test.ts.)
 */
import { createServer, type Server, type Socket } from 'node:net';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRequestTimeout } from '../../../src/adapters/http/servicePipeline.js';
import { requestTimeoutPolicyName } from '../../../src/adapters/http/requestTimeout.js';
import { stateTableClient } from '../../../src/compose/stateStore.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { CallLog } from '../../../src/adapters/callLog.js';

// Azurite's documented development account (public).
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Accepts connections and reads requests, and never answers. */
let silent: Server;
const sockets: Socket[] = [];
let connectionString: string;

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.push(socket);
    socket.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('a state store that never answers', () => {
  it('fails the request after the timeout, retried, naming the host and the limit', async () => {
    const client = TableClient.fromConnectionString(connectionString, 'State', { allowInsecureConnection: true, retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 10 } });
    addRequestTimeout(client.pipeline, 200);
    const before = sockets.length;
    await expect(client.createTable()).rejects.toThrow(`no answer from ${new URL(connectionString.split('TableEndpoint=')[1]!).host} within 0.2 s`);
    expect(sockets.length - before).toBe(3); // the first attempt and two retries, each abandoned
  });

  it('is what the state table client the hunter builds does', () => {
    const config = loadConfig({ QUERY_BACKEND: 'defender', INCIDENT_SINK: 'file', AzureWebJobsStorage: connectionString });
    const client = stateTableClient(config, { credentials: () => { throw new Error('no identity in this test'); }, pipelineOptions: undefined, callLog: new CallLog() });
    expect(client.pipeline.getOrderedPolicies().map((policy) => policy.name)).toContain(requestTimeoutPolicyName);
  });
});
