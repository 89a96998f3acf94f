import type { Settings } from '../config/settings.js';
import type { IncidentSink, Logger } from '../core/model.js';
import { FileIncidentSink } from '../adapters/local/fileIncidentSink.js';
import { DryRunIncidentSink } from '../incidents/index.js';
import type { CredentialFactory } from './credential.js';

export interface SinkRuntime {
  readonly credentials: CredentialFactory;
  readonly logger: Logger;
  readonly fromRoot: (file: string) => string;
}

export function buildIncidentSink(settings: Settings, runtime: SinkRuntime): IncidentSink {
  const sink = settings.INCIDENT_SINK === 'file' ? new FileIncidentSink(runtime.fromRoot(settings.INCIDENT_OUT_DIR)) : sentinelSink(settings, runtime);
  return settings.DRY_RUN ? new DryRunIncidentSink(runtime.logger, sink) : sink;
}

function sentinelSink(_settings: Settings, _runtime: SinkRuntime): IncidentSink {
  throw new Error('wired below');
}
