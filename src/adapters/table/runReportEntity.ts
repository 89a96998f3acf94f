/**
 * A run report as one Table entity. The report's JSON is split over `Report0..ReportN`
 * string properties of at most 30,000 characters (under the 64 KiB property limit), at most
 * 12 of them (under the 1 MiB entity limit). A larger report keeps its counts and the first
 * entries of each list, and says so in its warnings. The watermark it leaves is also a typed
 * property of its own (`Watermark`), so the next run reads it without reading the reports.
 */
import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import { splitText } from './chunkedText.js';
import type { RunReport } from '../../core/report.js';
import { runRowKey } from './keys.js';
import { parseUtcDate } from '../../kql/literals.js';

const CHUNK_CHARS = 30_000;
const MAX_CHUNKS = 12;
/** Entries kept per list when a report is too large, tried in turn until it fits. */
const TRUNCATED_LIST_LENGTHS = [200, 50, 10, 0];

/**
 * The report as stored: whole when it fits, else every list in it cut (shorter and shorter) with a
 * warning that gives each list's full length. Every list, found by shape, so a list added to the
 * report later is cut too (the service calls were once left whole and a 10,000-incident run's
 * report went over the entity limit).
 */
function fitting(report: RunReport): string {
  const json = JSON.stringify(report);
  if (json.length <= CHUNK_CHARS * MAX_CHUNKS) return json;
  const lists = Object.entries(report).filter((entry): entry is [string, readonly unknown[]] => Array.isArray(entry[1]));
  const lengths = lists.map(([name, list]) => `${name} ${list.length}`).join(', ');
  let cutJson = '';
  for (const length of TRUNCATED_LIST_LENGTHS) {
    const cut: Record<string, unknown> = { ...report };
    for (const [name, list] of lists) cut[name] = list.slice(0, length);
    cut['warnings'] = [...report.warnings.slice(0, length), `stored report truncated: lists cut to ${length} entries (${lengths})`];
    cutJson = JSON.stringify(cut);
    if (cutJson.length <= CHUNK_CHARS * MAX_CHUNKS) return cutJson;
  }
  return cutJson;
}

export function toRunReportEntity(partitionKey: string, report: RunReport): TableEntity<Record<string, unknown>> {
  const startedAt = parseUtcDate(report.startedAt);
  if (startedAt === undefined) throw new Error(`run report ${report.runId}: startedAt is not a date (${JSON.stringify(report.startedAt)})`);
  const json = fitting(report);
  const chunks: Record<string, string> = {};
  splitText(json, CHUNK_CHARS).forEach((piece, i) => (chunks[`Report${i}`] = piece));
  return {
    partitionKey,
    rowKey: runRowKey(startedAt, report.runId),
    Kind: 'run',
    StartedAt: startedAt,
    Status: report.status,
    ...(report.watermark !== undefined ? { Watermark: parseUtcDate(report.watermark) } : {}),
    Chunks: Object.keys(chunks).length,
    ...chunks,
  };
}

export function fromRunReportEntity(entity: TableEntityResult<Record<string, unknown>>): RunReport {
  const count = Number(entity.Chunks);
  let json = '';
  for (let i = 0; i < count; i++) {
    const chunk = entity[`Report${i}`];
    if (typeof chunk !== 'string') throw new Error(`run report ${entity.rowKey}: chunk Report${i} is missing`);
    json += chunk;
  }
  return JSON.parse(json) as RunReport;
}
