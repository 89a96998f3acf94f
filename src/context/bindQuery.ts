/**
 * Puts the hunt window and the hit devices into the context query. Every value goes in as a
 * KQL literal built by kqlString, so no device id (quotes, backslashes, newlines, `|`, `//`)
 * can end the literal and change the query.
 */
import type { TimeWindow } from '../core/model.js';
import { kqlDatetime, kqlStringArray, replaceLetValues } from '../kql/queryText.js';

/** The context query's convention: `let Time_start`, `let Time_end`, `let HitDeviceIds` at the top. */
export function bindContextQuery(queryText: string, window: TimeWindow, deviceIds: readonly string[]): string {
  return replaceLetValues(queryText, {
    Time_start: kqlDatetime(window.start),
    Time_end: kqlDatetime(window.end),
    HitDeviceIds: kqlStringArray(deviceIds),
  });
}
