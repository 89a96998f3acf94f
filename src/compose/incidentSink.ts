import type { Settings } from '../config/settings.js';
import type { Clock, DetectionSink, Logger } from '../core/ports.js';
import type { IncidentSizeLimits } from '../incidents/index.js';
import { FileSink } from '../adapters/local/fileSink.js';
import { SentinelIncidentSink, sentinelIncidentLimits } from '../adapters/sentinel/index.js';
import { FindingsSink } from '../adapters/ingestion/findingsSink.js';
import { LogsIngestionUploader } from '../adapters/ingestion/logsIngestionUploader.js';
import { DryRunIncidentSink } from '../adapters/dryRun/dryRunIncidentSink.js';
import { findingTextLimits } from '../findings/findingRecord.js';
import type { AzureAccess } from './azureAccess.js';
import type { HuntRule } from '../rules/rule.js';
import { deviceHuntingQuery } from '../incidents/deviceHuntingQuery.js';
import type { FindingsSinkOptions } from '../adapters/ingestion/findingsSink.js';

export interface SinkRuntime {
  readonly rule: HuntRule;
  readonly azure: AzureAccess;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly fromRoot: (file: string) => string;
}

export interface BuiltSink {
  readonly sink: DetectionSink;
  /** What the chosen sink's service accepts: the renderer fits the texts into it. */
  readonly textLimits: IncidentSizeLimits;
}

/** DRY_RUN wraps the real sink: statuses are still read, nothing is written. */
export function buildIncidentSink(settings: Settings, runtime: SinkRuntime): BuiltSink {
  const { sink, textLimits } = chosenSink(settings, runtime);
  return { sink: settings.DRY_RUN ? new DryRunIncidentSink(runtime.logger, sink) : sink, textLimits };
}

function chosenSink(settings: Settings, runtime: SinkRuntime): BuiltSink {
  switch (settings.INCIDENT_SINK) {
    case 'file':
      // Incidents and findings alike, so the texts fit the tighter of the two (Sentinel's incident limits).
      return { sink: new FileSink(runtime.fromRoot(settings.INCIDENT_OUT_DIR), findingOptions(settings, runtime)), textLimits: sentinelIncidentLimits };
    case 'sentinel-incidents':
      return { sink: sentinelSink(settings, runtime.azure), textLimits: sentinelIncidentLimits };
    case 'sentinel-alerts':
      return { sink: findingsSink(settings, runtime), textLimits: findingTextLimits };
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

// loadConfig has already checked that the ingestion endpoint and the DCR immutable id are present for this sink.
function findingsSink(settings: Settings, runtime: SinkRuntime): DetectionSink {
  const uploader = new LogsIngestionUploader({
    endpoint: settings.LOGS_INGESTION_ENDPOINT as string,
    dcrImmutableId: settings.FINDINGS_DCR_IMMUTABLE_ID as string,
    streamName: settings.FINDINGS_STREAM_NAME,
    credential: runtime.azure.credentials(),
    callLog: runtime.azure.callLog,
    ...(runtime.azure.pipelineOptions ? { pipelineOptions: runtime.azure.pipelineOptions } : {}),
  });
  return new FindingsSink({ ...findingOptions(settings, runtime), name: 'sentinel-alerts', writer: (records) => uploader.upload(records) });
}

/** What every finding carries beyond its detection: the device page and the rule's device query for it. */
function findingOptions(settings: Settings, runtime: SinkRuntime): Omit<FindingsSinkOptions, 'name' | 'writer'> {
  return {
    clock: runtime.clock,
    defenderPortalUrl: settings.DEFENDER_PORTAL_URL,
    huntingQuery: (detection) => deviceHuntingQuery(runtime.rule, detection.device.id, detection.firstSeen),
  };
}
