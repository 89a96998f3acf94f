export { SentinelIncidentSink, type SentinelIncidentSinkOptions } from './sentinelIncidentSink.js';
export { sentinelApiVersion } from './sentinelApi.js';
export { sentinelIncidentLimits, type SentinelIncidentLimits } from './sentinelLimits.js';
