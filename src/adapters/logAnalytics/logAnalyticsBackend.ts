/**
 * QueryBackend on a Log Analytics workspace (Sentinel), through the SDK's LogsQueryClient
 * (@azure/monitor-query-logs; @azure/monitor-query is deprecated). The query runs over exactly the
 * bound window, and anything short of a complete result fails the run, so the watermark stays put.
 * The client sends the query, retries and decides success or partial failure; the rows and the
 * service's errors are read from the body as it arrived (responseBodies.ts says why).
 */
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelineOptions } from '@azure/core-rest-pipeline';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import type { QueryRequest, QueryResult } from '../../core/model.js';
import type { QueryBackend } from '../../core/ports.js';
import type { CallLog } from '../callLog.js';
import { addCallLog, addThrottlingRetry } from '../http/servicePipeline.js';
import { QueryResultTooLarge } from '../../core/queryLimits.js';
import { logAnalyticsMaxRows, logAnalyticsMaxServerTimeoutSeconds, logAnalyticsQueryLimits, logAnalyticsResultTooLarge } from './logAnalyticsLimits.js';
import { describeQueryFailure, describePartialError } from './logAnalyticsErrors.js';
import { parseLogAnalyticsBody, toQueryResult } from './logAnalyticsResults.js';
import { clientRequestIdHeader, ResponseBodies } from './responseBodies.js';
import { trimTrailing } from '../../text/trimTrailing.js';

export interface LogAnalyticsBackendOptions {
  readonly credential: TokenCredential;
  /** The workspace (customer) id, a GUID: LOG_ANALYTICS_WORKSPACE_ID. */
  readonly workspaceId: string;
  /** LOG_ANALYTICS_ENDPOINT: https://api.loganalytics.io, .us (Government) or .azure.cn (China). */
  readonly endpoint: string;
  /** QUERY_TIMEOUT_SECONDS: how long the service may run the query (capped at 600 s). */
  readonly serverTimeoutSeconds: number;
  readonly callLog?: CallLog;
  /** Retry and TLS options for the SDK pipeline. */
  readonly pipelineOptions?: PipelineOptions;
}

export class LogAnalyticsBackend implements QueryBackend {
  readonly name = 'log-analytics';
  readonly limits = logAnalyticsQueryLimits;
  private readonly client: LogsQueryClient;
  private readonly serverTimeoutSeconds: number;
  private readonly responseBodies = new ResponseBodies();

  constructor(private readonly options: LogAnalyticsBackendOptions) {
    const endpoint = trimTrailing(options.endpoint, '/');
    this.serverTimeoutSeconds = Math.min(options.serverTimeoutSeconds, logAnalyticsMaxServerTimeoutSeconds);
    this.client = new LogsQueryClient(options.credential, {
      ...options.pipelineOptions,
      // The client uses `endpoint` as the full base URL (it appends /v1 only to its default) and asks
      // for the public-cloud scope unless told otherwise, so both are set for sovereign clouds.
      endpoint: `${endpoint}/v1`,
      credentials: { scopes: [`${endpoint}/.default`] },
      audience: endpoint,
    });
    addThrottlingRetry(this.client.pipeline, options.pipelineOptions);
    addCallLog(this.client.pipeline, this.name, options.callLog);
    this.client.pipeline.addPolicy(this.responseBodies.policy, { afterPhase: 'Retry' });
  }

  async run(request: QueryRequest): Promise<QueryResult> {
    const what = `Log Analytics ${request.purpose} query on workspace ${this.options.workspaceId}`;
    const requestId = randomUUID();
    let answer;
    try {
      answer = await this.client.queryWorkspace(
        this.options.workspaceId,
        request.query,
        { startTime: request.window.start, endTime: request.window.end },
        {
          serverTimeoutInSeconds: this.serverTimeoutSeconds,
          requestOptions: {
            headers: { [clientRequestIdHeader]: requestId },
            // The service stops at its timeout; this stops us waiting on a connection that never answers.
            timeout: (this.serverTimeoutSeconds + 30) * 1000,
          },
        },
      );
    } catch (error) {
      throw new Error(`${what} failed: ${describeQueryFailure(error, parseLogAnalyticsBody(this.responseBodies.take(requestId))?.error)}`, { cause: error });
    }
    const body = parseLogAnalyticsBody(this.responseBodies.take(requestId));
    if (answer.status === LogsQueryResultStatus.PartialFailure) {
      const detail = describePartialError(body?.error ?? answer.partialError);
      const message = `${what} returned a partial result, which the hunter never treats as complete: ${detail}`;
      throw logAnalyticsResultTooLarge.test(detail) ? new QueryResultTooLarge(message) : new Error(message);
    }
    if (body === undefined) throw new Error(`${what} answered without a JSON body the hunter could read; refusing to treat it as an empty result`);
    const table = body.tables?.[0];
    // Every successful query answers with its primary table, rows or not: no table is no answer.
    if (table === undefined) throw new Error(`${what} returned no result table; refusing to treat it as an empty result`);
    const result = toQueryResult(table);
    if (result.rows.length >= logAnalyticsMaxRows) {
      throw new QueryResultTooLarge(`${what} returned ${result.rows.length.toLocaleString('en-US')} rows, Log Analytics' limit of ${logAnalyticsMaxRows.toLocaleString('en-US')}: the result may be truncated. Narrow the query or shorten the window.`);
    }
    return result;
  }
}
