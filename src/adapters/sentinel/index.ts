export { SentinelIncidentSink, type SentinelIncidentSinkOptions } from './sentinelIncidentSink.js';
export { sentinelApiVersion } from './sentinelApi.js';
