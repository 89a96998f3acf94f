/**
 * Pipeline options for a real Azure SDK client talking to the loopback contract servers: trust their
 * self-signed certificate (every server of the process serves the same one) and retry quickly, so the
 * SDK's own retry policy runs as in production without making the tests wait.
 */
import type { PipelineOptions } from '@azure/core-rest-pipeline';
import { selfSignedCertificate } from './selfSignedCertificate.js';

export function loopbackPipelineOptions(options: { readonly maxRetries?: number } = {}): PipelineOptions {
  return {
    tlsOptions: { ca: selfSignedCertificate().cert },
    retryOptions: { maxRetries: options.maxRetries ?? 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  };
}
