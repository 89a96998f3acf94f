/**
 * LogsQueryClient's deserializer keeps only the first level of an error's `details` and drops their
 * `innererror`, which is where Log Analytics says what actually went wrong (e.g. E_QUERY_RESULT_SET_TOO_LARGE).
 * This policy keeps the raw `error` object of each response, keyed by our client request id, so the
 * backend can quote the service in full.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export const clientRequestIdHeader = 'x-ms-client-request-id';

export class ServiceErrorCapture {
  private readonly errors = new Map<string, unknown>();

  readonly policy: PipelinePolicy = {
    name: 'logAnalyticsServiceErrorCapture',
    sendRequest: async (request, next) => {
      const response = await next(request);
      const id = request.headers.get(clientRequestIdHeader);
      const text = response.bodyAsText;
      if (id && text && text.includes('"error"')) {
        try {
          const parsed = JSON.parse(text) as { error?: unknown };
          if (parsed.error !== undefined) this.errors.set(id, parsed.error);
        } catch {
          // not JSON: the SDK reports such a response itself
        }
      }
      return response;
    },
  };

  /** The last error the service sent for this request id; forgotten once taken. */
  take(id: string): unknown {
    const error = this.errors.get(id);
    this.errors.delete(id);
    return error;
  }
}
