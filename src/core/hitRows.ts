/**
 * Turns the hunt query's summarize rows into hits. The seed rule groups by DeviceId and
 * DeviceName, so a renamed device comes back as two rows: they are merged into one hit
 * per DeviceId (state is keyed by DeviceId).
 * A row that cannot be a hit (an empty or oversized DeviceId, a time that is not one...) is data,
 * not the rule's fault: it is skipped and reported by its row number and what it holds, and
 * every other row is raised. Only a result without the hit columns is the rule's fault.
 */
import { parseJsonExact } from './exactJson.js';
import type { Hit, QueryResult, ResultRow } from './model.js';
import { parseUtcDate } from '../kql/literals.js';
import type { RejectedRow } from './report.js';
import { boundText, storableText } from './boundText.js';

/** A DeviceId is a key of the state: longer than this is not an id (Defender's are 40 characters). */
export const MAX_DEVICE_ID_CHARS = 1_024;
/** Device names are attacker-controlled: stored and shown at most this long. */
export const MAX_DEVICE_NAME_CHARS = 1_024;
/** A ReportId is a long; anything much longer is not one. */
const MAX_REPORT_ID_CHARS = 64;

export const HIT_COLUMNS = ['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count'] as const;

export class HitRowError extends Error {
  override readonly name = 'HitRowError';
}

function toDate(value: unknown, column: string, where: string): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? parseUtcDate(value) : typeof value === 'number' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) throw new HitRowError(`${where}: column ${column} is not a datetime (got ${JSON.stringify(value)})`);
  return date;
}

function toReportIds(value: unknown, where: string): string[] {
  let list = value;
  if (typeof list === 'string') {
    try {
      // a ReportId (a Kusto long) may exceed 2^53
      list = parseJsonExact(list);
    } catch {
      throw new HitRowError(`${where}: column Report is not a dynamic array (got ${JSON.stringify(value)})`);
    }
  }
  if (!Array.isArray(list)) throw new HitRowError(`${where}: column Report is not a dynamic array (got ${JSON.stringify(value)})`);
  return list.map((id) => {
    if ((typeof id === 'string' && id !== '' && id.length <= MAX_REPORT_ID_CHARS) || typeof id === 'number' || typeof id === 'bigint') return String(id);
    throw new HitRowError(`${where}: column Report holds a value that is not a report id: ${JSON.stringify(typeof id === 'string' ? boundText(id, 80) : id)}`);
  });
}

function toCount(value: unknown, where: string): number {
  const count = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) throw new HitRowError(`${where}: column Count is not a count (got ${JSON.stringify(value)})`);
  return count;
}

function toDeviceId(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new HitRowError(`${where}: column DeviceId is empty or not a string (got ${JSON.stringify(value)})`);
  if (value.length > MAX_DEVICE_ID_CHARS) throw new HitRowError(`${where}: column DeviceId has ${value.length} characters, more than an id can (${MAX_DEVICE_ID_CHARS})`);
  if (storableText(value) !== value) throw new HitRowError(`${where}: column DeviceId holds a character the state cannot store (a lone surrogate, a line or paragraph separator)`);
  return value;
}

function hitFromRow(row: ResultRow, where: string, reportIdScope: string | undefined): Hit {
  const firstSeen = toDate(row.FirstSeen, 'FirstSeen', where);
  const lastSeen = toDate(row.LastSeen, 'LastSeen', where);
  return {
    deviceId: toDeviceId(row.DeviceId, where),
    deviceName: boundText(typeof row.DeviceName === 'string' ? row.DeviceName : String(row.DeviceName ?? ''), MAX_DEVICE_NAME_CHARS),
    firstSeen,
    lastSeen,
    reportIds: [...new Set(toReportIds(row.Report, where).map((id) => (reportIdScope === undefined ? id : `${reportIdScope}:${id}`)))],
    eventCount: toCount(row.Count, where),
  };
}

/** How a rejected row is named: its number and the device it claims, so the data can be found. */
function rowLabel(row: ResultRow, index: number): string {
  const name = typeof row.DeviceName === 'string' && row.DeviceName !== '' ? ` (DeviceName ${JSON.stringify(boundText(row.DeviceName, 80))})` : '';
  return `hunt result row ${index + 1}${name}`;
}

function mergeSameDevice(a: Hit, b: Hit): Hit {
  const latest = b.lastSeen.getTime() > a.lastSeen.getTime() ? b : a;
  return {
    deviceId: a.deviceId,
    deviceName: latest.deviceName,
    firstSeen: a.firstSeen.getTime() <= b.firstSeen.getTime() ? a.firstSeen : b.firstSeen,
    lastSeen: latest.lastSeen,
    reportIds: [...new Set([...a.reportIds, ...b.reportIds])],
    eventCount: a.eventCount + b.eventCount,
  };
}

export interface HitsFromResult {
  readonly hits: Hit[];
  readonly rejected: RejectedRow[];
}

/**
 * `ruleFile` names the rule in errors: a query that lacks a column is the rule's fault. `reportIdScope`
 * (HuntRule.reportIdScope, set for a rule of a detection group) goes in front of every report id.
 */
export function hitsFromResult(result: QueryResult, ruleFile: string, reportIdScope?: string): HitsFromResult {
  const present = new Set(result.columns.map((c) => c.name));
  const missing = HIT_COLUMNS.filter((name) => !present.has(name));
  // Even an empty result names its columns on every backend: no columns means a wrong query or answer.
  if (missing.length > 0) {
    throw new HitRowError(
      `${ruleFile}: the hunt query must return columns ${HIT_COLUMNS.join(', ')}; missing ${missing.join(', ')} (got ${[...present].join(', ') || 'no columns'})`,
    );
  }
  const byDevice = new Map<string, Hit>();
  const rejected: RejectedRow[] = [];
  result.rows.forEach((row, index) => {
    let hit: Hit;
    try {
      hit = hitFromRow(row, rowLabel(row, index), reportIdScope);
    } catch (error) {
      if (!(error instanceof HitRowError)) throw error;
      rejected.push({ row: index + 1, message: error.message });
      return;
    }
    const known = byDevice.get(hit.deviceId);
    byDevice.set(hit.deviceId, known ? mergeSameDevice(known, hit) : hit);
  });
  return { hits: [...byDevice.values()], rejected };
}
