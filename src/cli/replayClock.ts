import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './command.js';
import { parseUtcDate } from '../kql/literals.js';

/** A bad `--now` is a wrong command line (exit 2); a bad `replay.json` is a data file that does not hold (exit 1). */
type Problem = new (message: string) => Error;

/**
 * The instant a replay treats as now: `--now`, else the data folder's `replay.json` `now`
 * (sample data is recorded at a fixed time, so its replay stays reproducible), else the real time.
 */
export function replayNow(flag: string | undefined, dataDir: string): Date {
  if (flag !== undefined) return parseInstant(flag, '--now', UsageError);
  const manifest = path.join(dataDir, 'replay.json');
  if (!existsSync(manifest)) return new Date();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch (error) {
    throw new Error(`${manifest}: is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  // A manifest that has a "now" of the wrong type must not fall back to the wall clock unnoticed:
  // the replay would silently judge other windows than the recording meant.
  if (parsed === null || typeof parsed !== 'object' || !('now' in parsed)) return new Date();
  const recorded = (parsed as { now: unknown }).now;
  if (typeof recorded !== 'string') {
    throw new Error(`${manifest}: now: must be an ISO-8601 instant as a string, such as "2026-11-20T12:00:00Z" (got ${JSON.stringify(recorded)})`);
  }
  return parseInstant(recorded, `${manifest}: now`, Error);
}

// A date alone is UTC midnight; a time needs its zone (Z or an offset): the host's zone must never decide.
const isoInstant = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

function parseInstant(text: string, where: string, Problem: Problem): Date {
  if (!isoInstant.test(text)) {
    throw new Problem(`${where}: expected an ISO-8601 instant with its zone, such as 2026-11-20T12:00:00Z or 2026-11-20T13:00:00+01:00 (got ${JSON.stringify(text)})`);
  }
  // The shape is right, so no instant means a day or time that does not exist (30 February, 24:00).
  const instant = parseUtcDate(text);
  if (instant === undefined) throw new Problem(`${where}: ${JSON.stringify(text)} is not a real date and time`);
  return instant;
}
