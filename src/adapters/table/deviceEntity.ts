/**
 * A device's state as one Table entity (partition = rule, row = escaped DeviceId).
 * Size: the recent report ids are at most 30,000 characters of JSON (< 64 KiB), the
 * overflow filter 32 KiB of binary, and the same again for the report ids seen only while
 * suppressed; everything else a few hundred bytes: under 200 KB, well inside the 1 MiB
 * entity and 252-property limits. See src/core/evidence.ts for the bound.
 */
import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import type { Evidence } from '../../core/evidence.js';
import type { IncidentStatus } from '../../core/model.js';
import type { DeviceState, EpisodeState, SuppressionState } from '../../core/state.js';
import { escapeKey } from './keys.js';
import { parseUtcDate } from '../../kql/literals.js';

export interface DeviceEntity {
  [property: string]: unknown;
  Kind: 'device';
  DeviceId: string;
  DeviceName: string;
  FirstSeen?: Date;
  LastSeen?: Date;
  /** JSON array of the most recent report ids. */
  ReportIds: string;
  ReportCount: number;
  OverflowFilter?: Uint8Array;
  /** The episode's fields are absent for a device only ever suppressed (no incident yet). */
  IncidentId?: string;
  IncidentStatus?: IncidentStatus;
  IncidentWritten?: boolean;
  EpisodeStart?: Date;
  PreviousIncidentId?: string;
  LastUpdate?: Date;
  /** The suppression record (src/core/suppression.ts), absent until a hit was suppressed. */
  SuppressedAt?: Date;
  SuppressedFirstSeen?: Date;
  SuppressedLastSeen?: Date;
  /** JSON array of the exclusion ids of the last recorded suppression. */
  SuppressionExclusionIds?: string;
  /** JSON array of the most recent report ids seen only while suppressed (same bound as ReportIds). */
  SuppressedReportIds?: string;
  SuppressedReportCount?: number;
  SuppressedOverflowFilter?: Uint8Array;
  SuppressionCount?: number;
}

/** The evidence is stored twice: as reported (no prefix) and as seen only while suppressed (`Suppressed`). */
type EvidencePrefix = '' | 'Suppressed';

type EvidenceProperties<P extends EvidencePrefix> =
  & { [K in `${P}ReportIds`]: string }
  & { [K in `${P}ReportCount`]: number }
  & { [K in `${P}OverflowFilter`]?: Uint8Array };

function evidenceProperties<P extends EvidencePrefix>(prefix: P, evidence: Evidence): EvidenceProperties<P> {
  return {
    [`${prefix}ReportIds`]: JSON.stringify(evidence.recentReportIds),
    [`${prefix}ReportCount`]: evidence.reportCount,
    ...(evidence.overflowFilter ? { [`${prefix}OverflowFilter`]: evidence.overflowFilter } : {}),
  } as EvidenceProperties<P>;
}

export function toDeviceEntity(partitionKey: string, state: DeviceState): TableEntity<DeviceEntity & Record<string, unknown>> {
  const { evidence, episode, suppression } = state;
  return {
    partitionKey,
    rowKey: escapeKey(state.deviceId),
    Kind: 'device',
    DeviceId: state.deviceId,
    DeviceName: state.deviceName,
    ...(state.firstSeen ? { FirstSeen: state.firstSeen } : {}),
    ...(state.lastSeen ? { LastSeen: state.lastSeen } : {}),
    ...evidenceProperties('', evidence),
    ...(episode
      ? {
          IncidentId: episode.incidentId,
          IncidentStatus: episode.incidentStatus,
          IncidentWritten: episode.incidentWritten,
          EpisodeStart: episode.episodeStart,
          ...(episode.previousIncidentId ? { PreviousIncidentId: episode.previousIncidentId } : {}),
          LastUpdate: episode.lastUpdate,
        }
      : {}),
    ...(suppression
      ? {
          SuppressedAt: suppression.lastSuppressedAt,
          SuppressedFirstSeen: suppression.firstSeen,
          SuppressedLastSeen: suppression.lastSeen,
          SuppressionExclusionIds: JSON.stringify(suppression.exclusionIds),
          ...evidenceProperties('Suppressed', suppression.evidence),
          SuppressionCount: suppression.count,
        }
      : {}),
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

const statuses: readonly IncidentStatus[] = ['New', 'Active', 'Closed'];

function idList(value: unknown, field: string, where: string): string[] {
  const ids = JSON.parse(text(value, field, where)) as unknown;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new Error(`${where}: ${field} is not a list of ids`);
  return ids as string[];
}

function evidenceOf(entity: TableEntityResult<Record<string, unknown>>, prefix: EvidencePrefix, where: string): Evidence {
  const ids = idList(entity[`${prefix}ReportIds`], `${prefix}ReportIds`, where);
  const filter = entity[`${prefix}OverflowFilter`];
  return {
    recentReportIds: ids,
    reportCount: Number(entity[`${prefix}ReportCount`] ?? ids.length),
    overflowFilter: filter instanceof Uint8Array ? filter : undefined,
  };
}

function episodeOf(entity: TableEntityResult<Record<string, unknown>>, where: string): EpisodeState | undefined {
  if (entity.IncidentId === undefined || entity.IncidentId === null) return undefined;
  const status = text(entity.IncidentStatus, 'IncidentStatus', where) as IncidentStatus;
  if (!statuses.includes(status)) throw new Error(`${where}: unknown IncidentStatus ${status}`);
  return {
    incidentId: text(entity.IncidentId, 'IncidentId', where),
    episodeStart: dateOf(entity.EpisodeStart, 'EpisodeStart', where),
    previousIncidentId: typeof entity.PreviousIncidentId === 'string' && entity.PreviousIncidentId !== '' ? entity.PreviousIncidentId : undefined,
    incidentWritten: entity.IncidentWritten === true,
    incidentStatus: status,
    lastUpdate: dateOf(entity.LastUpdate, 'LastUpdate', where),
  };
}

function suppressionOf(entity: TableEntityResult<Record<string, unknown>>, where: string): SuppressionState | undefined {
  if (entity.SuppressedAt === undefined || entity.SuppressedAt === null) return undefined;
  const evidence = evidenceOf(entity, 'Suppressed', where);
  return {
    lastSuppressedAt: dateOf(entity.SuppressedAt, 'SuppressedAt', where),
    firstSeen: dateOf(entity.SuppressedFirstSeen, 'SuppressedFirstSeen', where),
    lastSeen: dateOf(entity.SuppressedLastSeen, 'SuppressedLastSeen', where),
    exclusionIds: idList(entity.SuppressionExclusionIds, 'SuppressionExclusionIds', where),
    evidence,
    count: Number(entity.SuppressionCount ?? 1),
  };
}

export function fromDeviceEntity(entity: TableEntityResult<Record<string, unknown>>): DeviceState {
  const where = `state entity ${entity.partitionKey}/${entity.rowKey}`;
  const evidence = evidenceOf(entity, '', where);
  const suppression = suppressionOf(entity, where);
  return {
    deviceId: text(entity.DeviceId, 'DeviceId', where),
    deviceName: typeof entity.DeviceName === 'string' ? entity.DeviceName : '',
    firstSeen: optionalDate(entity.FirstSeen, 'FirstSeen', where),
    lastSeen: optionalDate(entity.LastSeen, 'LastSeen', where),
    evidence,
    episode: episodeOf(entity, where),
    ...(suppression ? { suppression } : {}),
  };
}
