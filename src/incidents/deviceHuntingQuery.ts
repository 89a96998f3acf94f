/**
 * The rule's device query (`deviceQueryFile`), ready to run in advanced hunting or Log Analytics for
 * one device: from a day before the first evidence to now. The device id comes from telemetry, so it
 * goes into the query only as an escaped string literal, and the fence around the query is longer
 * than any backtick run inside it, so no id can end the code block.
 */
import { kqlDatetime, kqlStringArray, replaceLetValues } from '../kql/queryText.js';
import type { HuntRule } from '../rules/rule.js';

const DAY_MS = 86_400_000;

/** The bound query, or undefined when the rule names no device query. */
export function deviceHuntingQuery(rule: HuntRule, deviceId: string, firstSeen: Date): string | undefined {
  if (rule.deviceQuery === undefined) return undefined;
  // A day before the first evidence, so the download and install that preceded it are included.
  const since = new Date(firstSeen.getTime() - DAY_MS);
  const bound = replaceLetValues(rule.deviceQuery, { Time_start: kqlDatetime(since), Time_end: 'now()', HitDeviceIds: kqlStringArray([deviceId]) });
  return withoutHeaderComments(bound).trimEnd();
}

/** The file's opening comment is for rule authors (docs/rules.md); the incident shows the query from its first statement. */
function withoutHeaderComments(query: string): string {
  const lines = query.split('\n');
  const first = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('//'));
  return first <= 0 ? query : lines.slice(first).join('\n');
}

/** A fenced `kusto` code block that nothing inside it can close (CommonMark 4.5). */
export function kustoBlock(query: string): string[] {
  const longestRun = Math.max(0, ...(query.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [`${fence}kusto`, query, fence];
}
