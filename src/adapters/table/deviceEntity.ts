/**
 * A device's state as one Table entity (partition = detection group, row = escaped DeviceId).
 * Size: the reported report ids are at most 30,000 characters of JSON (< 64 KiB) plus a 32 KiB
 * overflow filter, and the same again for the ids seen only while suppressed; the episode's
 * evidence at most 120,000 characters of JSON split over `Evidence0..3` (30,000 characters, under
 * the 64 KiB string limit, each); the rest a few hundred bytes: under 450 KB, inside the 1 MiB
 * entity and 252-property limits (src/core/reportIdSet.ts, src/core/episodeEvidence.ts bound them).
 * Every text is stored as well-formed UTF-16 (JSON escapes lone surrogates; the name is made
 * well-formed) and the device name at most 1,024 characters.
 */
import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import type { ReportIdSet } from '../../core/reportIdSet.js';
import type { ContextPending, DeviceState, EpisodeState, ParkedState, SuppressionState } from '../../core/state.js';
import type { EpisodeEvidence } from '../../core/episodeEvidence.js';
import { emptyEpisodeEvidence } from '../../core/episodeEvidence.js';
import { boundText } from '../../core/boundText.js';
import { MAX_DEVICE_NAME_CHARS } from '../../core/hitRows.js';
import { escapeKey } from './keys.js';
import { parseUtcDate } from '../../kql/literals.js';
import { splitText } from './chunkedText.js';

type Row = TableEntityResult<Record<string, unknown>>;

/** The reported ids have no prefix; the ids seen only while suppressed are `Suppressed`-prefixed. */
type ReportIdsPrefix = '' | 'Suppressed';

function reportIdProperties(prefix: ReportIdsPrefix, set: ReportIdSet): Record<string, unknown> {
  return {
    [`${prefix}ReportIds`]: JSON.stringify(set.recentReportIds),
    [`${prefix}ReportCount`]: set.reportCount,
    ...(set.overflowFilter ? { [`${prefix}OverflowFilter`]: set.overflowFilter } : {}),
  };
}

/** `text` over `<name>0..<name>N` string properties (./chunkedText.ts), and `<name>Chunks`. */
function chunkedProperties(name: string, text: string): Record<string, unknown> {
  const pieces = splitText(text);
  const properties: Record<string, unknown> = { [`${name}Chunks`]: pieces.length };
  pieces.forEach((piece, i) => (properties[`${name}${i}`] = piece));
  return properties;
}

function chunkedText(entity: Row, name: string, where: string): string | undefined {
  const count = entity[`${name}Chunks`];
  if (count === undefined || count === null) return undefined;
  let text = '';
  for (let i = 0; i < Number(count); i++) {
    const chunk = entity[`${name}${i}`];
    if (typeof chunk !== 'string') throw new Error(`${where}: ${name}${i} is missing`);
    text += chunk;
  }
  return text;
}

function episodeProperties(episode: EpisodeState): Record<string, unknown> {
  return {
    EpisodeId: episode.episodeId,
    EpisodeStart: episode.episodeStart,
    ...(episode.previousEpisodeId ? { PreviousEpisodeId: episode.previousEpisodeId } : {}),
    Sequence: episode.sequence,
    OpenedAt: episode.openedAt,
    LastUpdate: episode.lastUpdate,
    ...chunkedProperties('Evidence', JSON.stringify(episode.evidence)),
    ...(episode.contextPending ? { ContextPending: JSON.stringify(episode.contextPending) } : {}),
  };
}

export function toDeviceEntity(partitionKey: string, state: DeviceState): TableEntity<Record<string, unknown>> {
  const { episode, suppression, parked } = state;
  return {
    partitionKey,
    rowKey: escapeKey(state.deviceId),
    Kind: 'device',
    DeviceId: state.deviceId,
    DeviceName: boundText(state.deviceName, MAX_DEVICE_NAME_CHARS),
    ...(state.firstSeen ? { FirstSeen: state.firstSeen } : {}),
    ...(state.lastSeen ? { LastSeen: state.lastSeen } : {}),
    ...reportIdProperties('', state.reported),
    ...(episode ? episodeProperties(episode) : {}),
    ...(suppression
      ? {
          SuppressedAt: suppression.lastSuppressedAt,
          SuppressedFirstSeen: suppression.firstSeen,
          SuppressedLastSeen: suppression.lastSeen,
          SuppressionExclusionIds: JSON.stringify(suppression.exclusionIds),
          ...reportIdProperties('Suppressed', suppression.reportIds),
          SuppressionCount: suppression.count,
        }
      : {}),
    ...(parked ? { Parked: JSON.stringify(parked) } : {}),
  };
}

function dateOf(value: unknown, field: string, where: string): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? parseUtcDate(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new Error(`${where}: ${field} is not a date (${JSON.stringify(value)})`);
  return date;
}

function optionalDate(value: unknown, field: string, where: string): Date | undefined {
  return value === undefined || value === null ? undefined : dateOf(value, field, where);
}

function text(value: unknown, field: string, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where}: ${field} is missing`);
  return value;
}

function idList(value: unknown, field: string, where: string): string[] {
  const ids = JSON.parse(text(value, field, where)) as unknown;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new Error(`${where}: ${field} is not a list of ids`);
  return ids as string[];
}

function reportIdSetOf(entity: Row, prefix: ReportIdsPrefix, where: string): ReportIdSet {
  const ids = idList(entity[`${prefix}ReportIds`], `${prefix}ReportIds`, where);
  const filter = entity[`${prefix}OverflowFilter`];
  return {
    recentReportIds: ids,
    reportCount: Number(entity[`${prefix}ReportCount`] ?? ids.length),
    overflowFilter: filter instanceof Uint8Array ? filter : undefined,
  };
}

/** JSON with the ISO times it was written with turned back into dates. */
function parseWithDates<T>(json: string, dateKeys: ReadonlySet<string>): T {
  return JSON.parse(json, (key, value: unknown) => (dateKeys.has(key) && typeof value === 'string' ? parseUtcDate(value) : value)) as T;
}

const EVIDENCE_DATES = new Set(['timestamp', 'omittedActivitiesUntil']);
const PENDING_DATES = new Set(['since']);
const PARKED_DATES = new Set(['since', 'nextAttemptAt']);

function episodeOf(entity: Row, where: string): EpisodeState | undefined {
  // Rows written before episodes had their own name carry IncidentId: the same id, read as the episode's.
  const episodeId = entity.EpisodeId ?? entity.IncidentId;
  if (episodeId === undefined || episodeId === null) return undefined;
  const evidence = chunkedText(entity, 'Evidence', where);
  const pending = entity.ContextPending;
  const previous = entity.PreviousEpisodeId ?? entity.PreviousIncidentId;
  return {
    episodeId: text(episodeId, 'EpisodeId', where),
    episodeStart: dateOf(entity.EpisodeStart, 'EpisodeStart', where),
    previousEpisodeId: typeof previous === 'string' && previous !== '' ? previous : undefined,
    sequence: Number(entity.Sequence ?? 0),
    // Rows from before episodes recorded their opening: the last update is the closest known time.
    openedAt: dateOf(entity.OpenedAt ?? entity.LastUpdate, 'OpenedAt', where),
    lastUpdate: dateOf(entity.LastUpdate, 'LastUpdate', where),
    evidence: evidence === undefined ? emptyEpisodeEvidence : { ...emptyEpisodeEvidence, ...parseWithDates<EpisodeEvidence>(evidence, EVIDENCE_DATES) },
    ...(typeof pending === 'string' ? { contextPending: parseWithDates<ContextPending>(pending, PENDING_DATES) } : {}),
  };
}

function suppressionOf(entity: Row, where: string): SuppressionState | undefined {
  if (entity.SuppressedAt === undefined || entity.SuppressedAt === null) return undefined;
  return {
    lastSuppressedAt: dateOf(entity.SuppressedAt, 'SuppressedAt', where),
    firstSeen: dateOf(entity.SuppressedFirstSeen, 'SuppressedFirstSeen', where),
    lastSeen: dateOf(entity.SuppressedLastSeen, 'SuppressedLastSeen', where),
    exclusionIds: idList(entity.SuppressionExclusionIds, 'SuppressionExclusionIds', where),
    reportIds: reportIdSetOf(entity, 'Suppressed', where),
    count: Number(entity.SuppressionCount ?? 1),
  };
}

export function fromDeviceEntity(entity: Row): DeviceState {
  const where = `state entity ${entity.partitionKey}/${entity.rowKey}`;
  const suppression = suppressionOf(entity, where);
  const parked = typeof entity.Parked === 'string' ? parseWithDates<ParkedState>(entity.Parked, PARKED_DATES) : undefined;
  return {
    deviceId: text(entity.DeviceId, 'DeviceId', where),
    deviceName: typeof entity.DeviceName === 'string' ? entity.DeviceName : '',
    firstSeen: optionalDate(entity.FirstSeen, 'FirstSeen', where),
    lastSeen: optionalDate(entity.LastSeen, 'LastSeen', where),
    reported: reportIdSetOf(entity, '', where),
    episode: episodeOf(entity, where),
    ...(suppression ? { suppression } : {}),
    ...(parked ? { parked } : {}),
  };
}
