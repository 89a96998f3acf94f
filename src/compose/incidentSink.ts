import type { Settings } from '../config/settings.js';
import type { DetectionSink, Logger } from '../core/ports.js';
import { FileIncidentSink } from '../adapters/local/fileIncidentSink.js';
import { SentinelIncidentSink } from '../adapters/sentinel/index.js';
import { DryRunIncidentSink } from '../adapters/dryRun/dryRunIncidentSink.js';
import type { AzureAccess } from './azureAccess.js';

export interface SinkRuntime {
  readonly azure: AzureAccess;
  readonly logger: Logger;
  readonly fromRoot: (file: string) => string;
}

/** DRY_RUN wraps the real sink: statuses are still read, nothing is written. */
export function buildIncidentSink(settings: Settings, runtime: SinkRuntime): DetectionSink {
  const sink = chosenSink(settings, runtime);
  return settings.DRY_RUN ? new DryRunIncidentSink(runtime.logger, sink) : sink;
}

function chosenSink(settings: Settings, runtime: SinkRuntime): DetectionSink {
  switch (settings.INCIDENT_SINK) {
    case 'file':
      return new FileIncidentSink(runtime.fromRoot(settings.INCIDENT_OUT_DIR));
    case 'sentinel-incidents':
      return sentinelSink(settings, runtime.azure);
    case 'sentinel-alerts':
      // Wired once the batch sink port (Detection) is on main; until then the default stays sentinel-incidents.
      throw new Error('INCIDENT_SINK=sentinel-alerts is not available in this build yet: use sentinel-incidents');
  }
}

// loadConfig has already checked that the Sentinel workspace settings are present for this sink.
function sentinelSink(settings: Settings, azure: AzureAccess): DetectionSink {
  return new SentinelIncidentSink({
    credential: azure.credentials(),
    armEndpoint: settings.RESOURCE_MANAGER_ENDPOINT,
    subscriptionId: settings.SENTINEL_SUBSCRIPTION_ID as string,
    resourceGroup: settings.SENTINEL_RESOURCE_GROUP as string,
    workspaceName: settings.SENTINEL_WORKSPACE_NAME as string,
    callLog: azure.callLog,
    ...(azure.pipelineOptions ? { pipelineOptions: azure.pipelineOptions } : {}),
  });
}
