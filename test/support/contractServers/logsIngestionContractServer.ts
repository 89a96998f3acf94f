/**
 * The Azure Monitor Logs Ingestion API (api-version 2023-01-01), as documented and as the service answers:
 *   POST {endpoint}/dataCollectionRules/{DCR immutable id}/streams/{stream}?api-version=2023-01-01
 *   Authorization: Bearer <token for https://monitor.azure.com/.default>, Content-Type: application/json,
 *   optional Content-Encoding: gzip; body: a JSON array of objects in the stream's shape; success: 204, no body.
 *   (learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview, "REST API call")
 * Limits (azure-monitor/fundamentals/service-limits, "Logs Ingestion API"): at most 1 MB per call, compressed and
 * uncompressed alike; over it the service answers 413 ContentLengthLimitExceeded "Maximum allowed content length:
 * 1048576 bytes (1 MB). Provided content length: N bytes." (as reported in JulianHayward/AzADServicePrincipalInsights#30);
 * throttling is 429 with Retry-After, scripted with failNext like 5xx. A token without Monitoring Metrics Publisher
 * on the DCR gets 403 OperationFailed (Azure/azure-sdk-for-net#37173, TROUBLESHOOTING).
 * Accepted records are stored in the DCR's output table with the instant they were received (`_TimeReceived`,
 * the standard column; the local evaluator reads it as ingestion_time()), so a test can run the analytics rule
 * over exactly what was ingested.
 */
import { gunzipSync } from 'node:zlib';
import { HttpsContractServer, serviceErrorBody, type ContractResponse, type RecordedRequest } from './httpsContractServer.js';

export const LOGS_INGESTION_API_VERSION = '2023-01-01';
/** "1 MB" as the service counts it (its 413 message: 1048576 bytes). */
export const MAX_CALL_BYTES = 1_048_576;

export interface DataCollectionRuleContract {
  readonly immutableId: string;
  readonly streamName: string;
  /** Columns the stream declares: other properties of a record are dropped, as the DCR does. */
  readonly columns: readonly string[];
}

export type IngestedRecord = Readonly<Record<string, unknown>> & { readonly _TimeReceived: string };

export class LogsIngestionContractServer extends HttpsContractServer {
  /** The output table, in arrival order (a record sent twice is stored twice: the service does not deduplicate). */
  readonly table: IngestedRecord[] = [];
  /** Each accepted call's record count, compressed and uncompressed size. */
  readonly calls: { records: number; bytes: number; uncompressedBytes: number }[] = [];
  private forbidden = false;

  constructor(
    readonly dcr: DataCollectionRuleContract,
    private readonly clock: () => Date = () => new Date(),
  ) {
    super((request) => this.handle(request));
  }

  /** The identity loses (or never had) Monitoring Metrics Publisher on the DCR. */
  revokePublisher(): void {
    this.forbidden = true;
  }

  private handle(request: RecordedRequest): ContractResponse {
    const match = /^\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)$/.exec(request.path);
    if (!match || request.method !== 'POST') return { status: 404, body: serviceErrorBody('NotFound', `No route for ${request.method} ${request.path}`) };
    const [, ruleId, stream] = match as unknown as [string, string, string];
    if (request.query.get('api-version') !== LOGS_INGESTION_API_VERSION) {
      return { status: 400, body: serviceErrorBody('InvalidApiVersion', `The api-version '${request.query.get('api-version')}' is not supported`) };
    }
    if (ruleId !== this.dcr.immutableId) return { status: 404, body: serviceErrorBody('NotFound', `Data collection rule with immutable Id '${ruleId}' not found`) };
    if (this.forbidden) {
      return { status: 403, body: serviceErrorBody('OperationFailed', `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${ruleId}'`) };
    }
    if (stream !== this.dcr.streamName) return { status: 400, body: serviceErrorBody('InvalidStream', `Stream '${stream}' is not declared by the data collection rule`) };
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return { status: 415, body: serviceErrorBody('UnsupportedMediaType', 'Content-Type must be application/json') };
    }
    const tooLarge = (bytes: number): ContractResponse => ({
      status: 413,
      body: serviceErrorBody('ContentLengthLimitExceeded', `Maximum allowed content length: ${MAX_CALL_BYTES} bytes (1 MB). Provided content length: ${bytes} bytes.`),
    });
    if (request.rawBody.length > MAX_CALL_BYTES) return tooLarge(request.rawBody.length);
    let text: Buffer;
    const encoding = String(request.headers['content-encoding'] ?? '').toLowerCase();
    if (encoding === 'gzip') {
      try {
        text = gunzipSync(request.rawBody);
      } catch {
        return { status: 400, body: serviceErrorBody('InvalidContentEncoding', 'The body is not valid gzip') };
      }
    } else if (encoding === '') {
      text = request.rawBody;
    } else {
      return { status: 400, body: serviceErrorBody('InvalidContentEncoding', `Content-Encoding '${encoding}' is not supported; use gzip`) };
    }
    if (text.length > MAX_CALL_BYTES) return tooLarge(text.length);
    let records: unknown;
    try {
      records = JSON.parse(text.toString('utf8'));
    } catch (error) {
      return { status: 400, body: serviceErrorBody('InvalidPayload', `The body is not valid JSON: ${(error as Error).message}`) };
    }
    if (!Array.isArray(records) || records.some((record) => typeof record !== 'object' || record === null || Array.isArray(record))) {
      return { status: 400, body: serviceErrorBody('InvalidPayload', 'The body must be a JSON array of objects') };
    }
    const receivedAt = this.clock().toISOString();
    for (const record of records as Record<string, unknown>[]) {
      const kept = Object.fromEntries(this.dcr.columns.filter((column) => column in record).map((column) => [column, record[column]]));
      this.table.push({ ...kept, _TimeReceived: receivedAt });
    }
    this.calls.push({ records: records.length, bytes: request.rawBody.length, uncompressedBytes: text.length });
    return { status: 204 };
  }
}
