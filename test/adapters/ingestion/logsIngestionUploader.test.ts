/**
 * The real LogsIngestionClient (through LogsIngestionUploader) against the Logs Ingestion contract server: path,
 * api-version, token scope, gzip body, calls under the 1 MB limit, 413 for a record that is too large alone,
 * 429 with Retry-After and 5xx retried by the SDK pipeline, and per-record outcomes when a call still fails.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { CallLog } from '../../../src/adapters/callLog.js';
import { ingestionAudience, LogsIngestionUploader } from '../../../src/adapters/ingestion/logsIngestionUploader.js';
import { FixedTokenCredential } from '../../support/contractServers/fixedTokenCredential.js';
import { serviceErrorBody, type RecordedRequest } from '../../support/contractServers/httpsContractServer.js';
import { LOGS_INGESTION_API_VERSION, LogsIngestionContractServer, MAX_CALL_BYTES } from '../../support/contractServers/logsIngestionContractServer.js';

const dcr = { immutableId: 'dcr-0123456789abcdef0123456789abcdef', streamName: 'Custom-AmmyyHunterFindings', columns: ['TimeGenerated', 'FindingId', 'Payload'] };
const server = new LogsIngestionContractServer(dcr, () => new Date('2026-11-20T12:00:00Z'));
const credential = new FixedTokenCredential();
let callLog: CallLog;

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  callLog = new CallLog();
  server.table.length = 0;
  server.calls.length = 0;
  server.requests.length = 0;
});

function uploader(requestTimeoutMs?: number): LogsIngestionUploader {
  return new LogsIngestionUploader({
    requestTimeoutMs,
    endpoint: server.url,
    dcrImmutableId: dcr.immutableId,
    streamName: dcr.streamName,
    credential,
    callLog,
    pipelineOptions: { tlsOptions: { ca: server.certificate }, retryOptions: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 } },
  });
}

/** A finding-sized record (about 6 KB, the size of a finding with a full triage text). */
function record(index: number, payloadBytes = 6_000): Record<string, unknown> {
  return { TimeGenerated: '2026-11-20T12:00:00.000Z', FindingId: `finding-${index}`, Payload: `${index}:`.padEnd(payloadBytes, 'x') };
}

const bodyOf = (request: RecordedRequest) => gunzipSync(request.rawBody).toString('utf8');

describe('LogsIngestionUploader against the Logs Ingestion contract', () => {
  it('posts gzip JSON to /dataCollectionRules/{id}/streams/{stream} with api-version 2023-01-01 and a monitor.azure.com token, in calls under 1 MB', async () => {
    const records = Array.from({ length: 1_000 }, (_, index) => record(index));
    const outcomes = await uploader().upload(records);
    expect(outcomes.every((outcome) => outcome.accepted)).toBe(true);
    expect(server.table.map((row) => row.FindingId).sort()).toEqual(records.map((row) => row.FindingId as string).sort());
    for (const request of server.requests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe(`/dataCollectionRules/${dcr.immutableId}/streams/${dcr.streamName}`);
      expect(request.query.get('api-version')).toBe(LOGS_INGESTION_API_VERSION);
      expect(request.headers['content-encoding']).toBe('gzip');
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(bodyOf(request).length).toBeLessThanOrEqual(MAX_CALL_BYTES);
    }
    // About 6 MB of records: the client splits them into calls of at most 1 MB uncompressed.
    expect(server.calls.length).toBeGreaterThanOrEqual(6);
    expect(credential.scopesRequested).toContain('https://monitor.azure.com/.default');
    expect(callLog.entries().every((entry) => entry.service === 'logs-ingestion' && entry.status === 204 && entry.attempts === 1)).toBe(true);
  });

  it('waits out a 429 with Retry-After and retries a 503 inside the SDK pipeline, so every record is accepted', async () => {
    server.failNext({ status: 429, headers: { 'retry-after': '1' }, body: serviceErrorBody('TooManyRequests', 'Too many requests') });
    server.failNext({ status: 503, body: serviceErrorBody('ServiceUnavailable', 'try again') });
    const outcomes = await uploader().upload([record(1), record(2)]);
    expect(outcomes).toEqual([{ accepted: true }, { accepted: true }]);
    expect(callLog.entries()).toHaveLength(1);
    expect(callLog.entries()[0]).toMatchObject({ status: 204, attempts: 3 });
  });

  it('backs off and retries a 429 that came without Retry-After', async () => {
    server.failNext({ status: 429, body: serviceErrorBody('TooManyRequests', 'Too many requests') });
    expect(await uploader().upload([record(1)])).toEqual([{ accepted: true }]);
    expect(callLog.entries()[0]).toMatchObject({ status: 204, attempts: 2 });
  });

  // The SDK sends with no time limit: a connection that never answered held the run until the Function's timeout.
  it('abandons an attempt that gets no answer within the request timeout and retries it', async () => {
    server.failNext({ status: 204, delayMs: 5_000 });
    expect(await uploader(300).upload([record(1)])).toEqual([{ accepted: true }]);
    expect(callLog.entries()[0]).toMatchObject({ status: 204, attempts: 2 });
  });

  it('reports the records of a call that never gets an answer, naming the host and the limit', async () => {
    server.failNext({ status: 204, delayMs: 5_000 }, 4);
    const [outcome] = await uploader(300).upload([record(1)]);
    expect(outcome).toMatchObject({ accepted: false, permanent: false });
    expect(outcome!.accepted ? '' : outcome!.message).toContain(`no answer from ${new URL(server.url).host} within 0.3 s`);
  });

  it('reports the records of a call that still fails after the retries, and only those', async () => {
    const records = Array.from({ length: 400 }, (_, index) => record(index));
    // Every attempt of the call carrying finding-7 fails.
    server.failNext({ status: 500, body: serviceErrorBody('InternalServerError', 'boom') }, 4, (request) => bodyOf(request).includes('"finding-7"'));
    const outcomes = await uploader().upload(records);
    const failedIds = records.filter((_, index) => !outcomes[index]!.accepted).map((row) => row.FindingId);
    expect(failedIds).toContain('finding-7');
    expect(failedIds.length).toBeLessThan(records.length);
    expect(server.table.some((row) => row.FindingId === 'finding-7')).toBe(false);
    expect(server.table).toHaveLength(records.length - failedIds.length);
    const failure = outcomes[7]!;
    expect(failure).toMatchObject({ accepted: false, permanent: false });
    expect(failure.accepted ? '' : failure.message).toMatch(/500/);
  });

  it('refuses for good a record too large to send alone (413 ContentLengthLimitExceeded), and still sends the others', async () => {
    const outcomes = await uploader().upload([record(1), record(2, MAX_CALL_BYTES + 10), record(3)]);
    expect(outcomes[0]).toEqual({ accepted: true });
    expect(outcomes[2]).toEqual({ accepted: true });
    expect(outcomes[1]).toMatchObject({ accepted: false, permanent: true });
    expect(outcomes[1]!.accepted ? '' : outcomes[1]!.message).toMatch(/413.*1048576 bytes/);
  });

  it('names the missing role on 403, for every record, without calling them permanent', async () => {
    server.revokePublisher();
    const outcomes = await uploader().upload([record(1), record(2)]);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ accepted: false, permanent: false });
      expect(outcome.accepted ? '' : outcome.message).toMatch(/403.*Monitoring Metrics Publisher/);
    }
  });
});

describe('ingestionAudience', () => {
  it("follows the endpoint's cloud (logs-ingestion-api-overview, request headers)", () => {
    expect(ingestionAudience('https://dcr-1.westeurope-1.ingest.monitor.azure.com')).toBe('https://monitor.azure.com');
    expect(ingestionAudience('https://dcr-1.usgovvirginia-1.ingest.monitor.azure.us')).toBe('https://monitor.azure.us');
    expect(ingestionAudience('https://dcr-1.chinanorth3-1.ingest.monitor.azure.cn')).toBe('https://monitor.azure.cn');
    expect(ingestionAudience('https://127.0.0.1:8443')).toBe('https://monitor.azure.com');
  });
});
