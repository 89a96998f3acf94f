import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './command.js';

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

function parseInstant(text: string, where: string): Date {
  const instant = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(instant.getTime())) {
    throw new UsageError(`${where}: expected an ISO-8601 instant such as 2026-11-20T12:00:00Z (got ${JSON.stringify(text)})`);
  }
  return instant;
}
