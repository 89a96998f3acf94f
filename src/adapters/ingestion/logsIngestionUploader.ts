/**
 * Uploads records to a custom table through the Azure Monitor Logs Ingestion API with the real client
 * (`@azure/monitor-ingestion` LogsIngestionClient.upload), authenticated by the Function's managed identity.
 * The client splits the records into calls under the 1 MB limit, gzips each and sends them concurrently; its
 * pipeline retries 429 (after Retry-After), 408 and 5xx. A call that still fails is reported by the client with
 * the records it carried (`onError` / AggregateLogsUploadError.errors[].failedLogs), so each record's outcome is
 * known: the caller advances state only for the records that were accepted.
 * A record is refused for good only when a call that carried it alone was too large (413): nothing retries that.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { PipelineOptions } from '@azure/core-rest-pipeline';
import { isAggregateLogsUploadError, LogsIngestionClient, type LogsUploadFailure } from '@azure/monitor-ingestion';
import type { CallLog } from '../callLog.js';
import { addCallLog, addRequestTimeout, addThrottlingRetry } from '../http/servicePipeline.js';
import { errorMessage } from '../../core/errors.js';

export interface LogsIngestionTarget {
  /** The DCR's logs ingestion endpoint (or a DCE): LOGS_INGESTION_ENDPOINT. */
  readonly endpoint: string;
  readonly dcrImmutableId: string;
  readonly streamName: string;
}

export interface LogsIngestionUploaderOptions extends LogsIngestionTarget {
  readonly credential: TokenCredential;
  readonly callLog?: CallLog;
  readonly pipelineOptions?: PipelineOptions;
  /** Calls in flight at once (the client's default is 5). */
  readonly maxConcurrency?: number;
  /** How long one attempt may wait for its answer (addRequestTimeout's default unless given). */
  readonly requestTimeoutMs?: number;
}

export type UploadOutcome =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly message: string; readonly permanent: boolean };

const HINTS: Readonly<Record<number, string>> = {
  401: 'the token was not accepted; check AZURE_CLIENT_ID and that LOGS_INGESTION_ENDPOINT belongs to the same cloud',
  403: "the identity needs 'Monitoring Metrics Publisher' on the data collection rule (azd grants it with INCIDENT_SINK=sentinel-alerts)",
  404: 'check FINDINGS_DCR_IMMUTABLE_ID and that LOGS_INGESTION_ENDPOINT is the endpoint of that data collection rule',
  400: 'check FINDINGS_STREAM_NAME against the streams the data collection rule declares',
};

/**
 * The token audience of the endpoint's cloud (logs-ingestion-api-overview, "Request headers": monitor.azure.com,
 * monitor.azure.us, monitor.azure.cn). Any other host (a private link DCE alias, a test server) uses the public one.
 */
export function ingestionAudience(endpoint: string): string {
  const host = new URL(endpoint).hostname.toLowerCase();
  const cloud = /\.monitor\.azure\.(us|cn)$/.exec(host)?.[1];
  return `https://monitor.azure.${cloud ?? 'com'}`;
}

export class LogsIngestionUploader {
  readonly name = 'logs-ingestion';
  private readonly client: LogsIngestionClient;

  constructor(private readonly options: LogsIngestionUploaderOptions) {
    this.client = new LogsIngestionClient(options.endpoint, options.credential, {
      ...options.pipelineOptions,
      audience: ingestionAudience(options.endpoint),
      userAgentOptions: { userAgentPrefix: 'ammyy-hunter' },
    });
    // The service documents Retry-After on its 429s; if one came without, back off instead of failing the call.
    addThrottlingRetry(this.client.pipeline, options.pipelineOptions);
    addRequestTimeout(this.client.pipeline, options.requestTimeoutMs);
    addCallLog(this.client.pipeline, this.name, options.callLog);
  }

  /** One outcome per record, in order; never throws for a record the service refused. */
  async upload(records: readonly Record<string, unknown>[]): Promise<UploadOutcome[]> {
    if (records.length === 0) return [];
    const failed = new Map<Record<string, unknown>, UploadOutcome>();
    const noteFailure = ({ failedLogs, cause }: LogsUploadFailure): void => {
      const status = (cause as { statusCode?: number }).statusCode;
      const hint = status === undefined ? undefined : HINTS[status];
      const outcome: UploadOutcome = {
        accepted: false,
        message: `Logs Ingestion upload to ${this.options.streamName} failed${status === undefined ? '' : ` (${status})`}: ${errorMessage(cause)}${hint ? ` (${hint})` : ''}`,
        permanent: status === 413 && failedLogs.length === 1,
      };
      for (const record of failedLogs) failed.set(record, outcome);
    };
    try {
      await this.client.upload(this.options.dcrImmutableId, this.options.streamName, [...records], {
        ...(this.options.maxConcurrency ? { maxConcurrency: this.options.maxConcurrency } : {}),
        onError: noteFailure,
      });
    } catch (error) {
      // The client's documented error for failed calls; their records were reported through onError already.
      if (!isAggregateLogsUploadError(error)) {
        const outcome: UploadOutcome = { accepted: false, message: `Logs Ingestion upload to ${this.options.streamName} failed: ${errorMessage(error)}`, permanent: false };
        return records.map((record) => failed.get(record) ?? outcome);
      }
    }
    return records.map((record) => failed.get(record) ?? { accepted: true });
  }
}
