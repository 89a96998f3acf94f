import { createHash } from 'node:crypto';

/**
 * A bounded set of ReportIds: the ids already reported for a device (or seen only while
 * suppressed), bounded so the state entity stays within
 * Table Storage's limits (64 KiB per property, 1 MiB per entity) however long a device
 * keeps producing evidence.
 *
 * - `recentReportIds`: the most recently merged ids, verbatim, oldest first, at most
 *   `RECENT_REPORT_IDS_MAX` ids and `RECENT_REPORT_IDS_MAX_CHARS` characters as JSON.
 * - `overflowFilter`: once ids no longer fit, every id ever merged also goes into a
 *   Bloom filter (32 KiB, 7 hashes), so an id that dropped out of the recent list is still
 *   recognised as seen when an overlapping window returns it again. False positives are
 *   possible (about 1 in 25,000 at 10,000 ids, 1 in 8 at 50,000): an id wrongly taken as
 *   seen only leaves it out of an update comment; it never suppresses a first detection,
 *   because a device without state has no filter.
 * - `reportCount`: distinct ids ever merged, so counts stay exact when windows overlap
 *   (exact while the recent list holds every id; past that, an id the filter wrongly takes
 *   for seen is not counted: about 4 in 20,000).
 */
export interface ReportIdSet {
  readonly recentReportIds: readonly string[];
  readonly reportCount: number;
  readonly overflowFilter: Uint8Array | undefined;
}

export const RECENT_REPORT_IDS_MAX = 1000;
/** 30,000 UTF-16 characters is under 60 KB, inside the 64 KiB string-property limit. */
export const RECENT_REPORT_IDS_MAX_CHARS = 30_000;
export const OVERFLOW_FILTER_BYTES = 32 * 1024;
const FILTER_HASHES = 7;

export const emptyReportIdSet: ReportIdSet = { recentReportIds: [], reportCount: 0, overflowFilter: undefined };

function filterPositions(reportId: string, filterBits: number): number[] {
  const digest = createHash('sha256').update(reportId, 'utf8').digest();
  const first = digest.readUInt32LE(0);
  const step = (digest.readUInt32LE(4) | 1) >>> 0;
  const positions: number[] = [];
  for (let i = 0; i < FILTER_HASHES; i++) positions.push((first + i * step) % filterBits);
  return positions;
}

function filterAdd(filter: Uint8Array, reportId: string): void {
  for (const bit of filterPositions(reportId, filter.length * 8)) filter[bit >> 3]! |= 1 << (bit & 7);
}

function filterHas(filter: Uint8Array, reportId: string): boolean {
  return filterPositions(reportId, filter.length * 8).every((bit) => ((filter[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0);
}

/** A lookup over one set, built once per decision. */
export function seenReportIds(set: ReportIdSet): (reportId: string) => boolean {
  const recent = new Set(set.recentReportIds);
  const filter = set.overflowFilter;
  return (reportId) => recent.has(reportId) || (filter !== undefined && filterHas(filter, reportId));
}

/** The ids of `reportIds` not merged before, in their given order, without repeats. */
export function unseenReportIds(set: ReportIdSet, reportIds: readonly string[]): string[] {
  const seen = seenReportIds(set);
  const fresh = new Set<string>();
  for (const id of reportIds) if (!seen(id)) fresh.add(id);
  return [...fresh];
}

function jsonLength(ids: readonly string[]): number {
  return JSON.stringify(ids).length;
}

/** Idempotent: adding ids already in the set returns the same set. */
export function addReportIds(set: ReportIdSet, reportIds: readonly string[]): ReportIdSet {
  const fresh = unseenReportIds(set, reportIds);
  if (fresh.length === 0) return set;
  const recent = [...set.recentReportIds, ...fresh];
  let filter = set.overflowFilter ? Uint8Array.from(set.overflowFilter) : undefined;
  let dropFrom = 0;
  let length = jsonLength(recent);
  while (recent.length - dropFrom > RECENT_REPORT_IDS_MAX || length > RECENT_REPORT_IDS_MAX_CHARS) {
    length -= JSON.stringify(recent[dropFrom]).length + 1;
    dropFrom++;
  }
  if (dropFrom > 0 && filter === undefined) {
    filter = new Uint8Array(OVERFLOW_FILTER_BYTES);
    for (const id of set.recentReportIds) filterAdd(filter, id);
  }
  if (filter !== undefined) for (const id of fresh) filterAdd(filter, id);
  return { recentReportIds: recent.slice(dropFrom), reportCount: set.reportCount + fresh.length, overflowFilter: filter };
}
