export { DefenderHuntingBackend, type DefenderHuntingBackendOptions } from './defenderHuntingBackend.js';
export { defenderMaxLookbackMs, defenderMaxRows, defenderQuotas } from './defenderLimits.js';
