/**
 * QueryBackend on Microsoft Defender XDR advanced hunting through Microsoft Graph
 * (POST /v1.0/security/runHuntingQuery, learn.microsoft.com/graph/api/security-security-runhuntingquery).
 * Not the legacy api.security.microsoft.com advanced hunting API, which is being retired.
 * The service's limits are enforced before and after the call, so nothing incomplete passes as complete.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { PipelineOptions } from '@azure/core-rest-pipeline';
import type { QueryRequest, QueryResult } from '../../core/model.js';
import type { Clock, QueryBackend } from '../../core/ports.js';
import type { CallLog } from '../callLog.js';
import { serviceError } from '../http/serviceError.js';
import { createServicePipeline, serviceUrl } from '../http/servicePipeline.js';
import { parseJsonBody, sendJson } from '../http/sendJson.js';
import { QueryResultTooLarge } from '../../core/queryLimits.js';
import { defenderClientTimeoutMs, defenderMaxLookbackMs, defenderMaxRows, defenderPermission, defenderQueryLimits, defenderResultTooLarge } from './defenderLimits.js';
import { toQueryResult, type HuntingQueryResponse } from './huntingResults.js';

export interface DefenderHuntingBackendOptions {
  readonly credential: TokenCredential;
  /** GRAPH_ENDPOINT: https://graph.microsoft.com, graph.microsoft.us (US Gov L4), dod-graph.microsoft.us (L5). */
  readonly graphEndpoint: string;
  /** QUERY_TIMEOUT_SECONDS: how long we wait for one query (at least the service's own limit and a margin, see defenderLimits). */
  readonly timeoutSeconds: number;
  readonly callLog?: CallLog;
  readonly pipelineOptions?: PipelineOptions;
  /** For the 30-day look-back check; the system clock by default. */
  readonly clock?: Clock;
}

const HINTS: Readonly<Record<number, string>> = {
  400: 'the query was rejected; the message above is the service\'s',
  401: `the token was not accepted by Microsoft Graph; check the identity (AZURE_CLIENT_ID) and that GRAPH_ENDPOINT matches its cloud`,
  403: `the identity needs the Microsoft Graph application permission ${defenderPermission} with admin consent`,
  429: 'throttled by advanced hunting even after honouring Retry-After (quotas: 45 calls/minute, 1,500/hour and a CPU budget per hour and day)',
};

export class DefenderHuntingBackend implements QueryBackend {
  readonly name = 'defender';
  readonly maxLookbackMs = defenderMaxLookbackMs;
  readonly limits = defenderQueryLimits;
  private readonly transport;
  private readonly url: string;
  private readonly clock: Clock;

  constructor(private readonly options: DefenderHuntingBackendOptions) {
    this.transport = createServicePipeline({
      credential: options.credential,
      scope: serviceUrl(options.graphEndpoint, '/.default'),
      service: this.name,
      callLog: options.callLog,
      pipelineOptions: options.pipelineOptions,
    });
    this.url = serviceUrl(options.graphEndpoint, '/v1.0/security/runHuntingQuery');
    this.clock = options.clock ?? { now: () => new Date() };
  }

  async run(request: QueryRequest): Promise<QueryResult> {
    const what = `Defender advanced hunting ${request.purpose} query`;
    const oldestAllowed = this.clock.now().getTime() - defenderMaxLookbackMs;
    if (request.window.start.getTime() < oldestAllowed) {
      throw new Error(`${what}: the window starts ${request.window.start.toISOString()}, beyond advanced hunting's 30-day look-back (oldest allowed ${new Date(oldestAllowed).toISOString()}); the hunter must not report an incomplete window as complete`);
    }
    const response = await sendJson(this.transport.pipeline, this.transport.httpClient, {
      what,
      method: 'POST',
      url: this.url,
      // ISO 8601 interval "start/end": exactly the bound window (documented Timespan "Date/Date" form).
      body: { Query: request.query, Timespan: `${request.window.start.toISOString()}/${request.window.end.toISOString()}` },
      timeoutMs: defenderClientTimeoutMs(this.options.timeoutSeconds),
    });
    if (response.status !== 200) {
      const error = serviceError(what, response, HINTS[response.status]);
      throw response.status === 400 && defenderResultTooLarge.test(error.message) ? new QueryResultTooLarge(error.message, { cause: error }) : error;
    }
    const result = toQueryResult(parseJsonBody<HuntingQueryResponse>(response, what));
    if (result.rows.length >= defenderMaxRows) {
      throw new QueryResultTooLarge(`${what} returned ${result.rows.length.toLocaleString('en-US')} rows, advanced hunting's limit of ${defenderMaxRows.toLocaleString('en-US')}: the result is truncated. Narrow the query or shorten the window.`);
    }
    return result;
  }
}
