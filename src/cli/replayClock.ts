import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './command.js';
import { parseUtcDate } from '../kql/literals.js';

/**
 * The instant a replay treats as now: `--now`, else the data folder's `replay.json` `now`
 * (sample data is recorded at a fixed time, so its replay stays reproducible), else the real time.
 */
export function replayNow(flag: string | undefined, dataDir: string): Date {
  if (flag !== undefined) return parseInstant(flag, '--now');
  const manifest = path.join(dataDir, 'replay.json');
  if (existsSync(manifest)) {
    const recorded = (JSON.parse(readFileSync(manifest, 'utf8')) as { now?: unknown }).now;
    if (typeof recorded === 'string') return parseInstant(recorded, `${manifest}: now`);
  }
  return new Date();
}

// A date alone is UTC midnight; a time needs its zone (Z or an offset): the host's zone must never decide.
const isoInstant = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

function parseInstant(text: string, where: string): Date {
  const instant = isoInstant.test(text) ? parseUtcDate(text) : undefined;
  if (instant === undefined) {
    throw new UsageError(`${where}: expected an ISO-8601 instant with its zone, such as 2026-11-20T12:00:00Z or 2026-11-20T13:00:00+01:00 (got ${JSON.stringify(text)})`);
  }
  return instant;
}
