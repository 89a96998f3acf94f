/**
 * The body of each Log Analytics answer exactly as the service sent it, keyed by our client request id.
 * LogsQueryClient reads the body with JSON.parse, which rounds every long beyond 2^53 (a ReportId then
 * names another event) in the rows and inside dynamic values; and its error deserializer keeps only the
 * first level of an error's `details`, dropping the `innererror` where Log Analytics says what went wrong
 * (e.g. E_QUERY_RESULT_SET_TOO_LARGE). The backend reads rows and errors from this text instead.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export const clientRequestIdHeader = 'x-ms-client-request-id';

export class ResponseBodies {
  private readonly bodies = new Map<string, string>();

  /** Runs after the retry policy, so it sees every attempt; the last attempt's body is the one kept. */
  readonly policy: PipelinePolicy = {
    name: 'logAnalyticsResponseBodies',
    sendRequest: async (request, next) => {
      const response = await next(request);
      const id = request.headers.get(clientRequestIdHeader);
      if (id && typeof response.bodyAsText === 'string') this.bodies.set(id, response.bodyAsText);
      return response;
    },
  };

  /** The body of the last answer to this request id; forgotten once taken. */
  take(id: string): string | undefined {
    const body = this.bodies.get(id);
    this.bodies.delete(id);
    return body;
  }
}
