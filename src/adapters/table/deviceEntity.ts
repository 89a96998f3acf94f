/**
 * A device's state as one Table entity (partition = rule, row = escaped DeviceId).
 * Size: the recent report ids are at most 30,000 characters of JSON (< 64 KiB), the
 * overflow filter 32 KiB of binary, everything else a few hundred bytes: well inside
 * the 1 MiB entity and 252-property limits. See src/core/evidence.ts for the bound.
 */
import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import type { IncidentStatus } from '../../core/model.js';
import type { DeviceState } from '../../core/state.js';
import { escapeKey } from './keys.js';

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
  IncidentId: string;
  IncidentStatus: IncidentStatus;
  IncidentWritten: boolean;
  EpisodeStart: Date;
  PreviousIncidentId?: string;
  LastUpdate: Date;
}

export function toDeviceEntity(partitionKey: string, state: DeviceState): TableEntity<DeviceEntity & Record<string, unknown>> {
  const { evidence, episode } = state;
  return {
    partitionKey,
    rowKey: escapeKey(state.deviceId),
    Kind: 'device',
    DeviceId: state.deviceId,
    DeviceName: state.deviceName,
    ...(state.firstSeen ? { FirstSeen: state.firstSeen } : {}),
    ...(state.lastSeen ? { LastSeen: state.lastSeen } : {}),
    ReportIds: JSON.stringify(evidence.recentReportIds),
    ReportCount: evidence.reportCount,
    ...(evidence.overflowFilter ? { OverflowFilter: evidence.overflowFilter } : {}),
    IncidentId: episode.incidentId,
    IncidentStatus: episode.incidentStatus,
    IncidentWritten: episode.incidentWritten,
    EpisodeStart: episode.episodeStart,
    ...(episode.previousIncidentId ? { PreviousIncidentId: episode.previousIncidentId } : {}),
    LastUpdate: episode.lastUpdate,
  };
}

function dateOf(value: unknown, field: string, where: string): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
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

export function fromDeviceEntity(entity: TableEntityResult<Record<string, unknown>>): DeviceState {
  const where = `state entity ${entity.partitionKey}/${entity.rowKey}`;
  const ids = JSON.parse(text(entity.ReportIds, 'ReportIds', where)) as unknown;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new Error(`${where}: ReportIds is not a list of ids`);
  const status = text(entity.IncidentStatus, 'IncidentStatus', where) as IncidentStatus;
  if (!statuses.includes(status)) throw new Error(`${where}: unknown IncidentStatus ${status}`);
  const filter = entity.OverflowFilter;
  return {
    deviceId: text(entity.DeviceId, 'DeviceId', where),
    deviceName: typeof entity.DeviceName === 'string' ? entity.DeviceName : '',
    firstSeen: optionalDate(entity.FirstSeen, 'FirstSeen', where),
    lastSeen: optionalDate(entity.LastSeen, 'LastSeen', where),
    evidence: {
      recentReportIds: ids as string[],
      reportCount: Number(entity.ReportCount ?? ids.length),
      overflowFilter: filter instanceof Uint8Array ? filter : undefined,
    },
    episode: {
      incidentId: text(entity.IncidentId, 'IncidentId', where),
      episodeStart: dateOf(entity.EpisodeStart, 'EpisodeStart', where),
      previousIncidentId: typeof entity.PreviousIncidentId === 'string' && entity.PreviousIncidentId !== '' ? entity.PreviousIncidentId : undefined,
      incidentWritten: entity.IncidentWritten === true,
      incidentStatus: status,
      lastUpdate: dateOf(entity.LastUpdate, 'LastUpdate', where),
    },
  };
}
