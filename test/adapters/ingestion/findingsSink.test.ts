/**
 * The findings sink on the real LogsIngestionClient against the Logs Ingestion contract server, and the analytics
 * rule's query (from the file the Bicep loads) over exactly what the server ingested: 1,000 findings written in
 * batches raise 1,000 alerts, once each, never more than 149 in a rule run, announced as a mass deployment; a call that keeps failing fails only
 * its own findings.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { FindingsSink } from '../../../src/adapters/ingestion/findingsSink.js';
import { LogsIngestionUploader } from '../../../src/adapters/ingestion/logsIngestionUploader.js';
import { ALERTS_PER_RULE_RUN, RULE_FREQUENCY_MS } from '../../../src/findings/analyticsRule.js';
import { FINDINGS_COLUMNS, FINDINGS_STREAM_DEFAULT, FINDINGS_TABLE_NAME, localFindingsTableSchema } from '../../../src/findings/findingsTable.js';
import { evaluate, type Row } from '../../../src/kql/index.js';
import { FixedTokenCredential } from '../../support/contractServers/fixedTokenCredential.js';
import { serviceErrorBody } from '../../support/contractServers/httpsContractServer.js';
import { LogsIngestionContractServer } from '../../support/contractServers/logsIngestionContractServer.js';
import { findingSource } from '../../support/findingSources.js';
import { memoryTables } from '../../kql/helpers.js';
import { readFindingsBicep } from '../../infra/findingsBicep.js';

let now = new Date('2026-11-20T12:00:00Z');
const dcr = { immutableId: 'dcr-0123456789abcdef0123456789abcdef', streamName: FINDINGS_STREAM_DEFAULT, columns: FINDINGS_COLUMNS.map((column) => column.name) };
const server = new LogsIngestionContractServer(dcr, () => now);
const query = readFindingsBicep().query;

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.table.length = 0;
  server.calls.length = 0;
  now = new Date('2026-11-20T12:00:00Z');
});

function sink(): FindingsSink {
  const uploader = new LogsIngestionUploader({
    endpoint: server.url,
    dcrImmutableId: dcr.immutableId,
    streamName: dcr.streamName,
    credential: new FixedTokenCredential(),
    pipelineOptions: { tlsOptions: { ca: server.certificate }, retryOptions: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 } },
  });
  return new FindingsSink({ name: 'sentinel-alerts', writer: (records) => uploader.upload(records), clock: { now: () => now }, defenderPortalUrl: 'https://security.microsoft.com' });
}

/** The rule's runs every 5 minutes over what the server ingested (ingestion_time() = when the server received it). */
async function ruleRuns(from: Date, count: number): Promise<Row[][]> {
  // Rows in the evaluator's representation: datetime columns as Date.
  const datetimes = localFindingsTableSchema.columns.filter((column) => column.type === 'datetime').map((column) => column.name);
  const rows = server.table.map((record) => ({ ...record, ...Object.fromEntries(datetimes.map((name) => [name, new Date(record[name] as string)])) }));
  const tables = memoryTables({ [FINDINGS_TABLE_NAME]: rows }, [localFindingsTableSchema]);
  const runs: Row[][] = [];
  for (let index = 0; index < count; index += 1) runs.push([...(await evaluate(query, { tables, now: new Date(from.getTime() + index * RULE_FREQUENCY_MS) })).rows]);
  return runs;
}

describe('FindingsSink on the Logs Ingestion API', () => {
  it('writes 1,000 findings in batches, each raised by the analytics rule once, at most 149 per rule run', async () => {
    const writer = sink();
    for (let batch = 0; batch < 10; batch += 1) {
      const results = await writer.write(Array.from({ length: 100 }, (_, index) => findingSource(batch * 100 + index)));
      expect(results.every((result) => result.outcome === 'written')).toBe(true);
    }
    // Plus the mass deployment announcements (more than one rule run's worth of findings): 100, 200, 400, 800 devices.
    expect(server.table.filter((record) => record.Reason !== 'massDeployment')).toHaveLength(1_000);
    expect(server.table.filter((record) => record.Reason === 'massDeployment').map((record) => record.DeviceCount)).toEqual([100, 200, 400, 800]);
    const horizon = writer.alertsPacedUntil()!;
    const runs = await ruleRuns(new Date(now.getTime() + 60_000), Math.ceil((horizon.getTime() - now.getTime()) / RULE_FREQUENCY_MS) + 2);
    const raised = runs.flat().map((row) => row.FindingId as string).filter((id) => !id.startsWith('mass-deployment:'));
    expect(raised).toHaveLength(1_000);
    expect(new Set(raised).size).toBe(1_000);
    expect(Math.max(...runs.map((rows) => rows.length))).toBeLessThan(ALERTS_PER_RULE_RUN);
    // Each call under 1 MB; finding records are a few KB, so a call carries hundreds.
    expect(server.calls.every((call) => call.uncompressedBytes <= 1_048_576)).toBe(true);
  });

  it('fails only the findings of a call the service keeps refusing, and says why', async () => {
    server.failNext({ status: 503, body: serviceErrorBody('ServiceUnavailable', 'ingestion is down') }, 4, (request) => gunzipSync(request.rawBody).toString('utf8').includes('"episode-3-0"'));
    const results = await sink().write([findingSource(1), findingSource(2), findingSource(3)]);
    // The three records fit one call, so the call that failed carried all three.
    expect(results.map((result) => result.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(results[2]).toMatchObject({ outcome: 'failed', permanent: false });
    expect(results[2]!.outcome === 'failed' ? results[2]!.message : '').toMatch(/503/);
    expect(server.table).toHaveLength(0);
    // The next run writes them again and they are raised.
    const retried = await sink().write([findingSource(1), findingSource(2), findingSource(3)]);
    expect(retried.every((result) => result.outcome === 'written')).toBe(true);
  });
});
