/**
 * Microsoft Graph advanced hunting: POST /v1.0/security/runHuntingQuery with { Query, Timespan? };
 * 200 with { "@odata.context", schema: [{ name, type }], results: [{ column: value }] }
 * (learn.microsoft.com/graph/api/security-security-runhuntingquery). Like the service, it truncates
 * a result at 100,000 rows without saying so.
 */
import { HttpsContractServer, serviceErrorBody, type ContractResponse, type RecordedRequest } from './httpsContractServer.js';

export interface HuntingQuery {
  readonly Query: string;
  readonly Timespan: string | undefined;
}

export interface HuntingAnswer {
  readonly schema: readonly { readonly name: string; readonly type: string }[];
  readonly results: readonly Readonly<Record<string, unknown>>[];
}

export const graphRowLimit = 100_000;

export class GraphHuntingContractServer extends HttpsContractServer {
  readonly queries: HuntingQuery[] = [];

  constructor(answer: (query: HuntingQuery) => HuntingAnswer) {
    super((request) => this.handle(request, answer));
  }

  private handle(request: RecordedRequest, answer: (query: HuntingQuery) => HuntingAnswer): ContractResponse {
    if (request.method !== 'POST' || request.path !== '/v1.0/security/runHuntingQuery') {
      return { status: 400, body: serviceErrorBody('BadRequest', `Resource not found for the segment '${request.path.split('/').at(-1)}'.`) };
    }
    const body = JSON.parse(request.body) as { Query?: unknown; Timespan?: unknown };
    if (typeof body.Query !== 'string' || body.Query.trim() === '') return { status: 400, body: serviceErrorBody('BadRequest', 'Query is required') };
    const query: HuntingQuery = { Query: body.Query, Timespan: typeof body.Timespan === 'string' ? body.Timespan : undefined };
    this.queries.push(query);
    const result = answer(query);
    return {
      status: 200,
      body: {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults',
        schema: result.schema,
        results: result.results.slice(0, graphRowLimit),
      },
    };
  }
}
