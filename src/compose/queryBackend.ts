import type { Settings } from '../config/settings.js';
import type { Clock, QueryBackend } from '../core/ports.js';
import { logAnalyticsQuotas } from '../adapters/logAnalytics/logAnalyticsLimits.js';
import { defenderQuotas } from '../adapters/defender/defenderLimits.js';
import type { CallQuota } from '../budget/callBudget.js';
import type { AzureAccess } from './azureAccess.js';

export interface BackendRuntime {
  readonly clock: Clock;
  readonly azure: AzureAccess;
  readonly fromRoot: (file: string) => string;
}

// loadConfig has already checked that the chosen backend's settings are present.
export async function buildQueryBackend(settings: Settings, runtime: BackendRuntime): Promise<QueryBackend> {
  const { azure } = runtime;
  switch (settings.QUERY_BACKEND) {
    case 'local':
      return localBackend(runtime.fromRoot(settings.LOCAL_DATA_DIR as string), runtime.clock);
    case 'log-analytics': {
      // Each backend's SDK is loaded only when that backend is chosen.
      const { LogAnalyticsBackend } = await import('../adapters/logAnalytics/logAnalyticsBackend.js');
      return new LogAnalyticsBackend({
        credential: azure.credentials(),
        workspaceId: settings.LOG_ANALYTICS_WORKSPACE_ID as string,
        endpoint: settings.LOG_ANALYTICS_ENDPOINT,
        serverTimeoutSeconds: settings.QUERY_TIMEOUT_SECONDS,
        callLog: azure.callLog,
        ...(azure.pipelineOptions ? { pipelineOptions: azure.pipelineOptions } : {}),
      });
    }
    case 'defender': {
      const { DefenderHuntingBackend } = await import('../adapters/defender/defenderHuntingBackend.js');
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
}

/** The documented call quotas of the chosen backend; the local evaluator has none. */
export function backendQuotas(settings: Settings): readonly CallQuota[] {
  switch (settings.QUERY_BACKEND) {
    case 'local':
      return [];
    case 'log-analytics':
      return logAnalyticsQuotas;
    case 'defender':
      return defenderQuotas;
  }
}

/** Loaded on demand: the evaluator and data loader are most of the code, and Azure never needs them. */
async function localBackend(dataDir: string, clock: Clock): Promise<QueryBackend> {
  const [{ LocalKqlBackend }, { openDataDir }, { localCatalogue }] = await Promise.all([
    import('../adapters/local/localKqlBackend.js'),
    import('../data/index.js'),
    import('../adapters/local/localCatalogue.js'),
  ]);
  return new LocalKqlBackend(openDataDir(dataDir, localCatalogue), clock);
}
