import type { TokenCredential } from '@azure/core-auth';
import type { PipelineOptions } from '@azure/core-rest-pipeline';
import type { CallLog } from '../adapters/callLog.js';
import type { CredentialFactory } from './credential.js';

/** How the adapters reach Azure: identity, SDK pipeline options (retries, TLS) and the run's call log. */
export interface AzureAccess {
  readonly credentials: CredentialFactory;
  readonly pipelineOptions: PipelineOptions | undefined;
  readonly callLog: CallLog;
}

/** What a caller may override: tests point the real clients at loopback servers with their own token and CA. */
export interface AzureAccessOverrides {
  readonly credential?: TokenCredential;
  readonly pipelineOptions?: PipelineOptions;
}
