/**
 * Turns the hunt query's summarize rows into hits. The seed rule groups by DeviceId and
 * DeviceName, so a renamed device comes back as two rows: they are merged into one hit
 * per DeviceId (state is keyed by DeviceId).
 */
import { parseJsonExact } from './exactJson.js';
import type { Hit, QueryResult, ResultRow } from './model.js';
import { parseUtcDate } from '../kql/literals.js';

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
    if (typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint') return String(id);
    throw new HitRowError(`${where}: column Report holds a value that is not a report id: ${JSON.stringify(id)}`);
  });
}

function toCount(value: unknown, where: string): number {
  const count = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) throw new HitRowError(`${where}: column Count is not a count (got ${JSON.stringify(value)})`);
  return count;
}

function toText(value: unknown, column: string, where: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new HitRowError(`${where}: column ${column} is empty or not a string (got ${JSON.stringify(value)})`);
}

function hitFromRow(row: ResultRow, where: string): Hit {
  const firstSeen = toDate(row.FirstSeen, 'FirstSeen', where);
  const lastSeen = toDate(row.LastSeen, 'LastSeen', where);
  return {
    deviceId: toText(row.DeviceId, 'DeviceId', where),
    deviceName: typeof row.DeviceName === 'string' ? row.DeviceName : String(row.DeviceName ?? ''),
    firstSeen,
    lastSeen,
    reportIds: [...new Set(toReportIds(row.Report, where))],
    count: toCount(row.Count, where),
  };
}

function mergeSameDevice(a: Hit, b: Hit): Hit {
  const latest = b.lastSeen.getTime() > a.lastSeen.getTime() ? b : a;
  return {
    deviceId: a.deviceId,
    deviceName: latest.deviceName,
    firstSeen: a.firstSeen.getTime() <= b.firstSeen.getTime() ? a.firstSeen : b.firstSeen,
    lastSeen: latest.lastSeen,
    reportIds: [...new Set([...a.reportIds, ...b.reportIds])],
    count: a.count + b.count,
  };
}

/** `ruleFile` names the rule in errors: a query that lacks a column is the rule's fault. */
export function hitsFromResult(result: QueryResult, ruleFile: string): Hit[] {
  const present = new Set(result.columns.map((c) => c.name));
  const missing = HIT_COLUMNS.filter((name) => !present.has(name));
  // Even an empty result names its columns on every backend: no columns means a wrong query or answer.
  if (missing.length > 0) {
    throw new HitRowError(
      `${ruleFile}: the hunt query must return columns ${HIT_COLUMNS.join(', ')}; missing ${missing.join(', ')} (got ${[...present].join(', ') || 'no columns'})`,
    );
  }
  const byDevice = new Map<string, Hit>();
  result.rows.forEach((row, index) => {
    const hit = hitFromRow(row, `${ruleFile}: hunt result row ${index + 1}`);
    const known = byDevice.get(hit.deviceId);
    byDevice.set(hit.deviceId, known ? mergeSameDevice(known, hit) : hit);
  });
  return [...byDevice.values()];
}
