/**
 * Turns the context query's rows into one DeviceContext per device: the tool's files,
 * and one activity per process instance of the tool with the ECS fields exclusions test.
 */
import type { Activity, DeviceContext, Destination, EcsFieldName, ResultRow } from '../core/model.js';
import { destinationKey, destinationsOf, ECS_MAPPING, presentText } from './ecsMapping.js';
import { deviceIdOf, evidenceKind, PROCESS_INSTANCE_COLUMNS, timeOf, type EvidenceKind } from './contextRows.js';
import type { GroupDirectory } from './groupDirectory.js';

interface ActivityDraft {
  readonly id: string;
  timestamp: Date | undefined;
  readonly fields: Map<EcsFieldName, Set<string>>;
  /** Set once a network row describes the process: its destinations, each kept whole. */
  destinations: Map<string, Destination> | undefined;
}

interface DeviceDraft {
  readonly files: Map<string, { sha1: string; signer: string; fileName?: string; folderPath?: string }>;
  readonly activities: Map<string, ActivityDraft>;
}

export function assembleDeviceContexts(rows: readonly ResultRow[], groups: GroupDirectory): Map<string, DeviceContext> {
  const devices = new Map<string, DeviceDraft>();
  const deviceOf = (deviceId: string): DeviceDraft => {
    let device = devices.get(deviceId);
    if (device === undefined) {
      device = { files: new Map(), activities: new Map() };
      devices.set(deviceId, device);
    }
    return device;
  };

  // Files first: union legs arrive in any order, and activities name the file they ran from.
  for (const wantFiles of [true, false]) {
    rows.forEach((row, index) => {
      const kind = evidenceKind(row);
      const deviceId = deviceIdOf(row);
      if (kind === undefined || deviceId === undefined || (kind === 'file') !== wantFiles) return;
      const device = deviceOf(deviceId);
      if (kind === 'file') addFile(device, row);
      else addToActivity(device, deviceId, kind, row, index, groups);
    });
  }

  const contexts = new Map<string, DeviceContext>();
  for (const [deviceId, device] of devices) {
    contexts.set(deviceId, {
      files: [...device.files.values()],
      activities: [...device.activities.values()].map(freezeActivity),
    });
  }
  return contexts;
}

function addFile(device: DeviceDraft, row: ResultRow): void {
  const sha1 = presentText(row['SHA1'])?.toLowerCase();
  if (sha1 === undefined || device.files.has(sha1)) return;
  device.files.set(sha1, { sha1, signer: presentText(row['Signer']) ?? '' });
}

function addToActivity(
  device: DeviceDraft,
  deviceId: string,
  kind: Exclude<EvidenceKind, 'file'>,
  row: ResultRow,
  rowIndex: number,
  groups: GroupDirectory,
): void {
  const columns = PROCESS_INSTANCE_COLUMNS[kind];
  const processId = presentText(row[columns.processId]);
  const creationTime = timeOf(row[columns.creationTime]);
  // Without both, two rows cannot be proven to be one process: each stays its own activity.
  const id = processId !== undefined && creationTime !== undefined
    ? `${deviceId}:${processId}:${creationTime.toISOString()}`
    : `${deviceId}:row-${rowIndex}`;
  let activity = device.activities.get(id);
  if (activity === undefined) {
    activity = { id, timestamp: undefined, fields: new Map(), destinations: undefined };
    device.activities.set(id, activity);
  }
  const seenAt = creationTime ?? timeOf(row['Timestamp']);
  if (seenAt !== undefined && (activity.timestamp === undefined || seenAt < activity.timestamp)) activity.timestamp = seenAt;

  for (const mapping of ECS_MAPPING) {
    const source = kind === 'process' ? mapping.processEvent : mapping.networkEvent;
    if (source === undefined) continue;
    for (const value of source.read(row)) addField(activity, mapping.field, value);
  }
  if (kind === 'network') {
    activity.destinations ??= new Map();
    for (const destination of destinationsOf(row)) activity.destinations.set(destinationKey(destination), destination);
  }
  const accountGroups = groups.groupsOf({
    name: presentText(row[columns.accountName]),
    domain: presentText(row[columns.accountDomain]),
    upn: presentText(row[columns.accountUpn]),
  });
  for (const group of accountGroups ?? []) addField(activity, 'user.group', group);

  const sha1 = presentText(row[columns.sha1])?.toLowerCase();
  const file = sha1 === undefined ? undefined : device.files.get(sha1);
  if (file !== undefined && file.fileName === undefined) {
    const fileName = presentText(row[columns.fileName]);
    const folderPath = presentText(row[columns.folderPath]);
    if (fileName !== undefined) file.fileName = fileName;
    if (folderPath !== undefined) file.folderPath = folderPath;
  }
}

function addField(activity: ActivityDraft, field: EcsFieldName, value: string): void {
  let values = activity.fields.get(field);
  if (values === undefined) {
    values = new Set();
    activity.fields.set(field, values);
  }
  values.add(value);
}

function freezeActivity(draft: ActivityDraft): Activity {
  const fields: Partial<Record<EcsFieldName, readonly string[]>> = {};
  for (const [field, values] of draft.fields) fields[field] = [...values];
  return {
    id: draft.id,
    timestamp: draft.timestamp,
    fields,
    ...(draft.destinations !== undefined && { destinations: [...draft.destinations.values()] }),
  };
}

