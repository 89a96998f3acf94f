export { createIncidentRenderer, incidentLabels, type IncidentRendererOptions } from './incidentRenderer.js';
export { sentinelSizeLimits, type IncidentSizeLimits } from './limits.js';
