export { LogAnalyticsBackend, type LogAnalyticsBackendOptions } from './logAnalyticsBackend.js';
export { logAnalyticsMaxRows, logAnalyticsQuotas } from './logAnalyticsLimits.js';
