export { createIncidentRenderer, incidentLabels, type IncidentRendererOptions } from './incidentRenderer.js';
export { DryRunIncidentSink } from './dryRunIncidentSink.js';
export { sentinelSizeLimits, type IncidentSizeLimits } from './limits.js';
