export { DefenderHuntingBackend, type DefenderHuntingBackendOptions } from './defenderHuntingBackend.js';
export { defenderMaxLookbackMs, defenderMaxRows } from './defenderLimits.js';
