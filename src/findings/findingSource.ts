/**
 * What a finding is built from: the core's Detection (src/core/detection.ts), one per new or updated device episode.
 */
export type { Detection as FindingSource } from '../core/detection.js';
