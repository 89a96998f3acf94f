export { createContextEnricher, type ContextEnricherOptions } from './contextEnricher.js';
export { bindContextQuery } from './bindQuery.js';
export { assembleDeviceContexts } from './assembleContexts.js';
export { ECS_MAPPING, type EcsMapping } from './ecsMapping.js';
export { ECS_FIELD_NAMES, isEcsFieldName } from './ecsFields.js';
export { withSentinelIdentityInfo } from './sentinelIdentityInfo.js';
