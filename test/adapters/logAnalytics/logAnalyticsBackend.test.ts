import { QueryResultTooLarge } from '../../../src/core/queryLimits.js';
import { hitsFromResult } from '../../../src/core/hitRows.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LogAnalyticsBackend } from '../../../src/adapters/logAnalytics/index.js';
import { CallLog } from '../../../src/adapters/callLog.js';
import type { QueryRequest } from '../../../src/core/model.js';
import { FixedTokenCredential } from '../../support/contractServers/fixedTokenCredential.js';
import { serviceErrorBody } from '../../support/contractServers/httpsContractServer.js';
import { LogAnalyticsContractServer, partialErrorBody, type LogAnalyticsAnswer } from '../../support/contractServers/logAnalyticsContractServer.js';
import { loopbackPipelineOptions } from '../../support/contractServers/loopbackPipeline.js';

const workspaceId = '11111111-2222-3333-4444-555555555555';
const huntColumns = [
  { name: 'DeviceId', type: 'string' },
  { name: 'DeviceName', type: 'string' },
  { name: 'FirstSeen', type: 'datetime' },
  { name: 'LastSeen', type: 'datetime' },
  { name: 'Report', type: 'dynamic' },
  { name: 'Count', type: 'long' },
];
const huntRow = ['dev-1', 'ws-07', '2026-11-20T10:00:00Z', '2026-11-21T08:30:00.1234567Z', '[1001,1002]', 2];

let answer: LogAnalyticsAnswer = () => ({ tables: [{ columns: huntColumns, rows: [huntRow] }] });
const server = new LogAnalyticsContractServer(workspaceId, (query) => answer(query));
let callLog: CallLog;
let credential: FixedTokenCredential;

function backend(): LogAnalyticsBackend {
  return new LogAnalyticsBackend({
    credential,
    workspaceId,
    endpoint: server.url,
    serverTimeoutSeconds: 180,
    callLog,
    pipelineOptions: loopbackPipelineOptions(),
  });
}

const request: QueryRequest = {
  query: 'DeviceFileCertificateInfo | where Signer has "Ammyy"',
  window: { start: new Date('2026-11-20T00:00:00Z'), end: new Date('2026-11-25T00:00:00Z') },
  purpose: 'hunt',
};

beforeAll(async () => { await server.start(); });
afterAll(async () => { await server.stop(); });
beforeEach(() => {
  answer = () => ({ tables: [{ columns: huntColumns, rows: [huntRow] }] });
  callLog = new CallLog();
  credential = new FixedTokenCredential();
});

describe('LogAnalyticsBackend against the Log Analytics query contract', () => {
  it('queries exactly the bound window with a server timeout and returns typed rows', async () => {
    const result = await backend().run(request);
    expect(server.queries.at(-1)).toMatchObject({ workspaceId, query: request.query, timespan: '2026-11-20T00:00:00.000Z/2026-11-25T00:00:00.000Z', prefer: 'wait=180' });
    expect(credential.scopesRequested).toContain(`${server.url}/.default`);
    expect(result.columns).toEqual(huntColumns);
    expect(result.rows).toEqual([{
      DeviceId: 'dev-1', DeviceName: 'ws-07', FirstSeen: new Date('2026-11-20T10:00:00Z'), LastSeen: new Date('2026-11-21T08:30:00.123Z'), Report: [1001, 1002], Count: 2,
    }]);
    expect(callLog.entries()).toMatchObject([{ service: 'log-analytics', method: 'POST', path: `/v1/workspaces/${workspaceId}/query`, status: 200, attempts: 1 }]);
  });

  // Log Analytics sends a long as a JSON number and a dynamic value as JSON text
  // (learn.microsoft.com/azure/azure-monitor/logs/api/response-format). Defender's ReportIds pass 2^53: the
  // SDK's JSON.parse rounded them, in the long column and inside make_set's dynamic, and a rounded id names
  // another event (9007199254740993 became 9007199254740992).
  it('keeps longs beyond 2^53 exact, in long columns and inside dynamic ones, through the real LogsQueryClient', async () => {
    const raw = (text: string) => (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(text);
    answer = () => ({
      tables: [{
        columns: [...huntColumns, { name: 'ReportId', type: 'long' }, { name: 'Small', type: 'long' }],
        rows: [[...huntRow.slice(0, 4), '[9007199254740993,1234567890123456789,-9223372036854775808,7]', 2, raw('9007199254740993'), 9007199254740991]],
      }],
    });
    const result = await backend().run(request);
    expect(result.rows[0]).toMatchObject({
      Report: ['9007199254740993', '1234567890123456789', '-9223372036854775808', 7], ReportId: '9007199254740993', Small: 9007199254740991, Count: 2,
    });
    expect(hitsFromResult(result, 'rules/x.yaml').hits[0]!.reportIds).toEqual(['9007199254740993', '1234567890123456789', '-9223372036854775808', '7']);
  });

  it('fails the run on a partial result, quoting the service', async () => {
    answer = () => ({ tables: [{ columns: huntColumns, rows: [huntRow] }], error: partialErrorBody('Query exceeded the memory budget') });
    await expect(backend().run(request)).rejects.toThrow(/partial result.*Query exceeded the memory budget/);
  });

  it('fails loudly at the 500,000-row limit, as a result too large (a batching caller asks for less)', async () => {
    const rows = Array.from({ length: 500_000 }, (_, index) => [`dev-${index}`]);
    answer = () => ({ tables: [{ columns: [{ name: 'DeviceId', type: 'string' }], rows }] });
    const failure = backend().run(request);
    await expect(failure).rejects.toThrow(/500,000 rows.*may be truncated/);
    await expect(failure).rejects.toBeInstanceOf(QueryResultTooLarge);
  });

  // learn.microsoft.com/kusto/concepts/query-limits: over 64 MB is a partial failure with E_QUERY_RESULT_SET_TOO_LARGE.
  it('reports a partial result over the size limit as a result too large; other partial results stay plain failures', async () => {
    answer = () => ({ tables: [{ columns: huntColumns, rows: [huntRow] }], error: partialErrorBody("Query result set has exceeded the internal data size limit 67108864 (E_QUERY_RESULT_SET_TOO_LARGE).") });
    await expect(backend().run(request)).rejects.toBeInstanceOf(QueryResultTooLarge);
    answer = () => ({ tables: [{ columns: huntColumns, rows: [huntRow] }], error: partialErrorBody('Query exceeded the memory budget') });
    await expect(backend().run(request)).rejects.not.toBeInstanceOf(QueryResultTooLarge);
  });

  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    server.failNext({ status: 429, headers: { 'retry-after': '1' }, body: serviceErrorBody('ThrottledError', 'Too many requests') });
    const started = Date.now();
    const result = await backend().run(request);
    expect(result.rows).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(callLog.entries()[0]).toMatchObject({ status: 200, attempts: 2 });
  });

  // Log Analytics answers throttling with 429 (learn.microsoft.com/azure/azure-monitor/logs/api/errors);
  // without Retry-After the SDK's default retry policy passes it straight back.
  it('retries a 429 without Retry-After with exponential back-off, then succeeds', async () => {
    server.failNext({ status: 429, body: serviceErrorBody('ThrottledError', 'Too many requests') }, 2);
    expect((await backend().run(request)).rows).toHaveLength(1);
    expect(callLog.entries()[0]).toMatchObject({ status: 200, attempts: 3 });
  });

  it('retries a 500 and succeeds', async () => {
    server.failNext({ status: 500, body: serviceErrorBody('InternalServerError', 'transient') });
    expect((await backend().run(request)).rows).toHaveLength(1);
    expect(callLog.entries()[0]).toMatchObject({ status: 200, attempts: 2 });
  });

  it('explains a 403 with the service message and what role is missing', async () => {
    server.failNext({ status: 403, body: serviceErrorBody('InsufficientAccessError', 'The provided credentials have insufficient access to perform the requested operation') });
    await expect(backend().run(request)).rejects.toThrow(/HTTP 403.*insufficient access.*Log Analytics Reader/);
    expect(callLog.entries()[0]).toMatchObject({ status: 403, attempts: 1 });
  });

  it('rethrows a bad query with the service message', async () => {
    server.failNext({ status: 400, body: { error: { code: 'BadArgumentError', message: 'The request had some invalid properties', details: [{ code: 'SemanticError', message: "'where' operator: Failed to resolve column named 'Signr'" }] } } });
    await expect(backend().run(request)).rejects.toThrow(/HTTP 400.*Failed to resolve column named 'Signr'/);
  });
});
