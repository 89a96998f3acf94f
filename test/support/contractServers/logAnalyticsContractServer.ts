/**
 * Log Analytics query API: POST /v1/workspaces/{workspaceId}/query with { query, timespan } and an
 * optional `Prefer: wait=N`; 200 with { tables: [{ name, columns: [{ name, type }], rows }] } and, for a
 * partial result, an `error` beside the tables (learn.microsoft.com/azure/azure-monitor/logs/api/response-format).
 * Values travel as JSON: datetime as ISO text, dynamic as JSON text, long as a number.
 */
import { HttpsContractServer, serviceErrorBody, type ContractResponse, type RecordedRequest } from './httpsContractServer.js';

export interface LogAnalyticsTable {
  readonly name?: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface LogAnalyticsQuery {
  readonly workspaceId: string;
  readonly query: string;
  readonly timespan: string | undefined;
  readonly prefer: string | undefined;
}

export interface LogAnalyticsResult {
  readonly tables: readonly LogAnalyticsTable[];
  readonly error?: unknown;
}

export type LogAnalyticsAnswer = (query: LogAnalyticsQuery) => LogAnalyticsResult | Promise<LogAnalyticsResult>;

/** Thrown by an answer for a query the service would reject: 400 with a SemanticError detail, as Log Analytics does. */
export class QueryRejected extends Error {}

const QUERY_PATH = /^\/v1\/workspaces\/([^/]+)\/query$/;

export class LogAnalyticsContractServer extends HttpsContractServer {
  readonly queries: LogAnalyticsQuery[] = [];

  constructor(workspaceId: string, answer: LogAnalyticsAnswer) {
    super((request) => this.handle(request, workspaceId, answer));
  }

  private async handle(request: RecordedRequest, workspaceId: string, answer: LogAnalyticsAnswer): Promise<ContractResponse> {
    const match = QUERY_PATH.exec(request.path);
    if (request.method !== 'POST' || !match) return { status: 404, body: serviceErrorBody('PathNotFoundError', `The requested path does not exist: ${request.path}`) };
    if (match[1] !== workspaceId) return { status: 404, body: serviceErrorBody('WorkspaceNotFoundError', `The workspace could not be found: ${match[1]}`) };
    const body = JSON.parse(request.body) as { query?: unknown; timespan?: unknown };
    if (typeof body.query !== 'string' || body.query.trim() === '') return { status: 400, body: serviceErrorBody('BadArgumentError', 'The request had some invalid properties: query') };
    const query: LogAnalyticsQuery = {
      workspaceId: match[1],
      query: body.query,
      timespan: typeof body.timespan === 'string' ? body.timespan : undefined,
      prefer: typeof request.headers.prefer === 'string' ? request.headers.prefer : undefined,
    };
    this.queries.push(query);
    let result: LogAnalyticsResult;
    try {
      result = await answer(query);
    } catch (error) {
      if (!(error instanceof QueryRejected)) throw error;
      return { status: 400, body: { error: { code: 'BadArgumentError', message: 'The request had some invalid properties', details: [{ code: 'SemanticError', message: error.message }] } } };
    }
    return { status: 200, body: { tables: result.tables.map((table) => ({ name: table.name ?? 'PrimaryResult', columns: table.columns, rows: table.rows })), ...(result.error ? { error: result.error } : {}) } };
  }
}

/** The error object Log Analytics puts beside partial tables. */
export function partialErrorBody(innerMessage: string): unknown {
  return {
    code: 'PartialError',
    message: 'There were some errors when processing your query.',
    details: [{ code: 'EngineError', message: 'Something went wrong processing your query on the server.', innererror: { code: '-2133196797', message: innerMessage, severity: 2, severityName: 'Error' } }],
  };
}
