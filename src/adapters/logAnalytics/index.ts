export { LogAnalyticsBackend, type LogAnalyticsBackendOptions } from './logAnalyticsBackend.js';
export { logAnalyticsMaxRows } from './logAnalyticsLimits.js';
