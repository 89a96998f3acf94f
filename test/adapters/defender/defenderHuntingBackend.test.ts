import { QueryResultTooLarge } from '../../../src/core/queryLimits.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../../src/adapters/callLog.js';
import { DefenderHuntingBackend } from '../../../src/adapters/defender/index.js';
import { hitsFromResult } from '../../../src/core/hitRows.js';
import type { QueryRequest } from '../../../src/core/model.js';
import { FixedTokenCredential } from '../../support/contractServers/fixedTokenCredential.js';
import { GraphHuntingContractServer, type HuntingAnswer } from '../../support/contractServers/graphHuntingContractServer.js';
import { serviceErrorBody } from '../../support/contractServers/httpsContractServer.js';
import { loopbackPipelineOptions } from '../../support/contractServers/loopbackPipeline.js';

const now = new Date('2026-11-25T12:00:00Z');
const schema = [
  { name: 'DeviceId', type: 'String' },
  { name: 'DeviceName', type: 'String' },
  { name: 'FirstSeen', type: 'DateTime' },
  { name: 'LastSeen', type: 'DateTime' },
  { name: 'Report', type: 'Object' },
  { name: 'Count', type: 'Int64' },
];
const oneHit: HuntingAnswer = {
  schema,
  results: [{ DeviceId: 'dev-1', DeviceName: 'ws-07', FirstSeen: '2026-11-20T10:00:00.1234567Z', LastSeen: '2026-11-21T08:30:00Z', Report: '[1001,1002]', Count: 2 }],
};

let answer: HuntingAnswer = oneHit;
const server = new GraphHuntingContractServer(() => answer);
let callLog: CallLog;
let credential: FixedTokenCredential;

function backend(): DefenderHuntingBackend {
  return new DefenderHuntingBackend({
    credential,
    graphEndpoint: server.url,
    timeoutSeconds: 30,
    callLog,
    clock: { now: () => now },
    pipelineOptions: loopbackPipelineOptions(),
  });
}

const request: QueryRequest = {
  query: 'DeviceFileCertificateInfo | where Signer has "Ammyy"',
  window: { start: new Date('2026-11-20T00:00:00Z'), end: new Date('2026-11-25T11:45:00Z') },
  purpose: 'hunt',
};

beforeAll(async () => { await server.start(); });
afterAll(async () => { await server.stop(); });
beforeEach(() => {
  answer = oneHit;
  callLog = new CallLog();
  credential = new FixedTokenCredential();
});

describe('DefenderHuntingBackend against the Graph runHuntingQuery contract', () => {
  it('posts Query and the window as an ISO 8601 interval and types the rows by the schema', async () => {
    const result = await backend().run(request);
    expect(server.queries.at(-1)).toEqual({ Query: request.query, Timespan: '2026-11-20T00:00:00.000Z/2026-11-25T11:45:00.000Z' });
    expect(credential.scopesRequested).toContain(`${server.url}/.default`);
    expect(result.columns.map((column) => column.type)).toEqual(['string', 'string', 'datetime', 'datetime', 'dynamic', 'long']);
    expect(result.rows).toEqual([{ DeviceId: 'dev-1', DeviceName: 'ws-07', FirstSeen: new Date('2026-11-20T10:00:00.123Z'), LastSeen: new Date('2026-11-21T08:30:00Z'), Report: [1001, 1002], Count: 2 }]);
    expect(callLog.entries()).toMatchObject([{ service: 'defender', method: 'POST', path: '/v1.0/security/runHuntingQuery', status: 200, attempts: 1 }]);
  });

  // Int64 values are JSON numbers in `results`, dynamic (Object) values JSON text: a ReportId beyond 2^53
  // must survive both, or the hit names other events than the ones Defender recorded.
  it('keeps Int64 values beyond 2^53 exact, in Int64 columns and inside dynamic ones', async () => {
    const raw = (text: string) => (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(text);
    answer = {
      schema: [...schema, { name: 'ReportId', type: 'Int64' }],
      results: [{ ...oneHit.results[0], Report: '[9007199254740993,1234567890123456789,7]', ReportId: raw('9007199254740993') }],
    };
    const result = await backend().run(request);
    expect(result.rows[0]).toMatchObject({ Report: ['9007199254740993', '1234567890123456789', 7], ReportId: '9007199254740993', Count: 2 });
    expect(hitsFromResult(result, 'rules/x.yaml').hits[0]!.reportIds).toEqual(['9007199254740993', '1234567890123456789', '7']);
  });

  it('declares the 30-day look-back and refuses a window beyond it without calling the service', async () => {
    expect(backend().maxLookbackMs).toBe(30 * 86_400_000);
    const before = server.queries.length;
    await expect(backend().run({ ...request, window: { start: new Date('2026-10-25T11:00:00Z'), end: request.window.end } })).rejects.toThrow(/30-day look-back/);
    expect(server.queries.length).toBe(before);
  });

  it('fails loudly when the result is truncated at 100,000 rows, as a result too large (a batching caller asks for less)', async () => {
    answer = { schema: [{ name: 'DeviceId', type: 'String' }], results: Array.from({ length: 100_250 }, (_, index) => ({ DeviceId: `dev-${index}` })) };
    await expect(backend().run(request)).rejects.toThrow(/100,000 rows.*truncated/);
    await expect(backend().run(request)).rejects.toBeInstanceOf(QueryResultTooLarge);
  });

  // learn.microsoft.com/defender-endpoint/api/run-advanced-query-api: over 124 MB is HTTP 400 "Query execution has exceeded the allowed result size".
  it('reports the 400 for a result over 124 MB as a result too large, quoting the service', async () => {
    server.failNext({ status: 400, body: serviceErrorBody('BadRequest', 'Query execution has exceeded the allowed result size. Optimize your query by limiting the amount of results and try again.') });
    const failure = backend().run(request);
    await expect(failure).rejects.toBeInstanceOf(QueryResultTooLarge);
    await expect(failure).rejects.toThrow(/HTTP 400.*allowed result size/);
  });

  it('declares its limits for batching callers: 100,000 rows and the query text bound', () => {
    expect(backend().limits).toEqual({ maxRows: 100_000, maxQueryChars: 256 * 1024 });
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    server.failNext({ status: 429, headers: { 'retry-after': '1' }, body: serviceErrorBody('TooManyRequests', 'Rate limit exceeded') });
    const started = Date.now();
    expect((await backend().run(request)).rows).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(callLog.entries()[0]).toMatchObject({ status: 200, attempts: 2 });
  });

  // core-rest-pipeline's throttling strategy retries a 429 only when it carries Retry-After (or
  // retry-after-ms), and its exponential strategy only 408 and 5xx: a bare 429 failed the run.
  it('retries a 429 without Retry-After with exponential back-off, then succeeds', async () => {
    server.failNext({ status: 429, body: serviceErrorBody('TooManyRequests', 'Rate limit exceeded') }, 2);
    expect((await backend().run(request)).rows).toHaveLength(1);
    expect(callLog.entries()[0]).toMatchObject({ status: 200, attempts: 3 });
  });

  it('gives up on a 429 without Retry-After after the configured retries, naming the quotas', async () => {
    server.failNext({ status: 429, body: serviceErrorBody('TooManyRequests', 'Rate limit exceeded') }, 4);
    await expect(backend().run(request)).rejects.toThrow(/HTTP 429 TooManyRequests: Rate limit exceeded.*45 calls\/minute/);
    expect(callLog.entries()[0]).toMatchObject({ status: 429, attempts: 4 });
  });

  // A single request runs at most 3 minutes ("Microsoft Defender XDR advanced hunting API", quotas) and
  // answers with its own error then ("Query exceeded the timeout period.", learn.microsoft.com/defender-xdr/
  // advanced-hunting-errors). A client that gives up at the same moment only ever sees its own abort.
  it('waits longer than the service does, so the service\'s own timeout error is what the operator reads', async () => {
    server.failNext({ status: 400, delayMs: 1_500, body: serviceErrorBody('BadRequest', 'Query exceeded the timeout period.') });
    const impatient = new DefenderHuntingBackend({
      credential, graphEndpoint: server.url, timeoutSeconds: 1, callLog, clock: { now: () => now },
      pipelineOptions: loopbackPipelineOptions(),
    });
    await expect(impatient.run(request)).rejects.toThrow(/HTTP 400 BadRequest: Query exceeded the timeout period\./);
  });

  it('retries a 500 and a 503 and succeeds', async () => {
    server.failNext({ status: 500, body: serviceErrorBody('InternalServerError', 'oops') });
    server.failNext({ status: 503, body: serviceErrorBody('ServiceUnavailable', 'busy') });
    expect((await backend().run(request)).rows).toHaveLength(1);
    expect(callLog.entries()[0]).toMatchObject({ status: 200, attempts: 3 });
  });

  it('names the missing permission on 403', async () => {
    server.failNext({ status: 403, body: serviceErrorBody('Forbidden', 'Insufficient privileges to complete the operation.') });
    await expect(backend().run(request)).rejects.toThrow(/HTTP 403 Forbidden: Insufficient privileges.*ThreatHunting\.Read\.All/);
  });

  it('explains a 401 with the service message', async () => {
    server.failNext({ status: 401, body: serviceErrorBody('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.') });
    await expect(backend().run(request)).rejects.toThrow(/HTTP 401 InvalidAuthenticationToken: Access token validation failure\. Invalid audience\..*GRAPH_ENDPOINT/);
  });

  it('gives up after the configured retries on persistent 5xx, with the service message', async () => {
    server.failNext({ status: 502, body: serviceErrorBody('BadGateway', 'upstream down') }, 4);
    await expect(backend().run(request)).rejects.toThrow(/HTTP 502 BadGateway: upstream down/);
    expect(callLog.entries()[0]).toMatchObject({ status: 502, attempts: 4 });
  });

  it('says which host did not answer when the connection fails, after retrying', async () => {
    const closed = new GraphHuntingContractServer(() => oneHit);
    await closed.start();
    const url = closed.url;
    await closed.stop();
    const unreachable = new DefenderHuntingBackend({
      credential, graphEndpoint: url, timeoutSeconds: 5, callLog, clock: { now: () => now },
      pipelineOptions: loopbackPipelineOptions({ maxRetries: 2 }),
    });
    await expect(unreachable.run(request)).rejects.toThrow(`Defender advanced hunting hunt query got no answer from ${new URL(url).host}`);
    expect(callLog.entries()[0]).toMatchObject({ status: undefined, attempts: 3 });
  });
});
