import type { Settings } from '../config/settings.js';
import type { Clock, QueryBackend } from '../core/model.js';
import { LocalKqlBackend } from '../adapters/local/localKqlBackend.js';
import { LogAnalyticsBackend } from '../adapters/logAnalytics/index.js';
import { DefenderHuntingBackend } from '../adapters/defender/index.js';
import { openDataDir } from '../data/index.js';
import { localCatalogue } from '../adapters/local/localCatalogue.js';
import type { AzureAccess } from './azureAccess.js';

export interface BackendRuntime {
  readonly clock: Clock;
  readonly azure: AzureAccess;
  readonly fromRoot: (file: string) => string;
}

// loadConfig has already checked that the chosen backend's settings are present.
export function buildQueryBackend(settings: Settings, runtime: BackendRuntime): QueryBackend {
  const { azure } = runtime;
  switch (settings.QUERY_BACKEND) {
    case 'local':
      return new LocalKqlBackend(openDataDir(runtime.fromRoot(settings.LOCAL_DATA_DIR as string), localCatalogue), runtime.clock);
    case 'log-analytics':
      return new LogAnalyticsBackend({
        credential: azure.credentials(),
        workspaceId: settings.LOG_ANALYTICS_WORKSPACE_ID as string,
        endpoint: settings.LOG_ANALYTICS_ENDPOINT,
        serverTimeoutSeconds: settings.QUERY_TIMEOUT_SECONDS,
        callLog: azure.callLog,
        ...(azure.pipelineOptions ? { pipelineOptions: azure.pipelineOptions } : {}),
      });
    case 'defender':
      return new DefenderHuntingBackend({
        credential: azure.credentials(),
        graphEndpoint: settings.GRAPH_ENDPOINT,
        timeoutSeconds: settings.QUERY_TIMEOUT_SECONDS,
        callLog: azure.callLog,
        clock: runtime.clock,
        ...(azure.pipelineOptions ? { pipelineOptions: azure.pipelineOptions } : {}),
      });
  }
}
