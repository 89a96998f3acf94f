/**
 * The evidence an episode has gathered over all its windows, kept in state so that every
 * detection (and its incident or finding) shows the episode's evidence so far, never only the
 * last window's. Bounded, because it is stored with the device (Table Storage: 64 KiB per
 * property, 1 MiB per entity) and telemetry is attacker-controlled:
 * - every text value is cut to `MAX_VALUE_CHARS` (command lines `MAX_COMMAND_LINE_CHARS`), and a
 *   field keeps at most `MAX_VALUES_PER_FIELD` values, an activity `MAX_DESTINATIONS` destinations;
 * - at most `MAX_FILES` files (first seen kept) and `MAX_ACTIVITIES` activities (the most recent);
 * - the whole, as JSON, at most `MAX_EVIDENCE_CHARS`: the oldest activities go first;
 * and what was left out is counted (`omitted`), so the incident can say "and N more".
 */
import type { Activity, DeviceContext, Destination, EcsFieldName, EcsFields, SignedFile } from './model.js';
import type { Bounded, DetectionEvidence, FileEntity, ProcessEntity, AccountEntity, DestinationEntity } from './detection.js';
import { boundText } from './boundText.js';

export const MAX_FILES = 25;
export const MAX_ACTIVITIES = 40;
export const MAX_VALUES_PER_FIELD = 8;
export const MAX_DESTINATIONS = 16;
export const MAX_VALUE_CHARS = 512;
export const MAX_COMMAND_LINE_CHARS = 2_048;
/** The report ids an episode names verbatim (the device's own report-id set keeps more, for dedupe). */
export const MAX_EPISODE_REPORT_IDS = 200;
/** Four 30,000-character properties at most (src/adapters/table/deviceEntity.ts). */
export const MAX_EVIDENCE_CHARS = 120_000;

export interface EpisodeEvidence {
  /** Files, activities and the counts of those left out. */
  readonly context: DeviceContext & { readonly omitted: { readonly files: number; readonly activities: number } };
  /** The episode's most recent report ids, oldest first. */
  readonly reportIds: readonly string[];
  /** Distinct report ids the episode holds (reportIds plus those left out). */
  readonly reportCount: number;
  /**
   * What was left out, so that a window returning it again is not counted twice (every run's
   * context query returns the whole window): the SHA1 prefixes of the files left out (at most
   * MAX_OMITTED_FILE_KEYS), and the latest time of an activity left out (activities go oldest first,
   * so one seen again at or before it was counted already; one arriving that late is not counted).
   */
  readonly omittedFileKeys: readonly string[];
  readonly omittedActivitiesUntil: Date | undefined;
}

export const emptyEpisodeEvidence: EpisodeEvidence = {
  context: { files: [], activities: [], omitted: { files: 0, activities: 0 } },
  reportIds: [],
  reportCount: 0,
  omittedFileKeys: [],
  omittedActivitiesUntil: undefined,
};

/** Files left out are remembered by this many leading SHA1 characters, up to this many. */
const OMITTED_FILE_KEY_CHARS = 12;
const MAX_OMITTED_FILE_KEYS = 500;

function boundValues(field: EcsFieldName, values: readonly string[]): string[] {
  const max = field === 'process.command_line' ? MAX_COMMAND_LINE_CHARS : MAX_VALUE_CHARS;
  return values.slice(0, MAX_VALUES_PER_FIELD).map((value) => boundText(value, max));
}

function boundDestination(destination: Destination): Destination {
  return {
    ...(destination.ip !== undefined ? { ip: boundText(destination.ip, MAX_VALUE_CHARS) } : {}),
    ...(destination.domain !== undefined ? { domain: boundText(destination.domain, MAX_VALUE_CHARS) } : {}),
    ...(destination.port !== undefined ? { port: boundText(destination.port, 32) } : {}),
  };
}

function boundActivity(activity: Activity): Activity {
  const fields: Partial<Record<EcsFieldName, readonly string[]>> = {};
  for (const [field, values] of Object.entries(activity.fields) as [EcsFieldName, readonly string[]][]) fields[field] = boundValues(field, values);
  return {
    id: boundText(activity.id, MAX_VALUE_CHARS),
    timestamp: activity.timestamp,
    fields: fields as EcsFields,
    ...(activity.destinations !== undefined ? { destinations: activity.destinations.slice(0, MAX_DESTINATIONS).map(boundDestination) } : {}),
  };
}

function boundFile(file: SignedFile): SignedFile {
  return {
    sha1: boundText(file.sha1, 128),
    signer: boundText(file.signer, MAX_VALUE_CHARS),
    ...(file.fileName !== undefined ? { fileName: boundText(file.fileName, MAX_VALUE_CHARS) } : {}),
    ...(file.folderPath !== undefined ? { folderPath: boundText(file.folderPath, MAX_VALUE_CHARS) } : {}),
  };
}

const time = (activity: Activity) => activity.timestamp?.getTime() ?? 0;

/** What `merged` holds that `before` did not: new files (by SHA1) and new activities (by id). */
export interface EvidenceAdded {
  readonly files: readonly SignedFile[];
  readonly activities: readonly Activity[];
}

/**
 * The episode's evidence after a window's `context` and `newReportIds` are added. Idempotent:
 * adding the same window twice changes nothing (files by SHA1, activities by id; an activity seen
 * again keeps its latest version).
 */
export function mergeEpisodeEvidence(before: EpisodeEvidence, context: DeviceContext | undefined, newReportIds: readonly string[]): { evidence: EpisodeEvidence; added: EvidenceAdded } {
  const files = new Map(before.context.files.map((file) => [file.sha1.toLowerCase(), file]));
  const omittedFileKeys = new Set(before.omittedFileKeys);
  let omittedFiles = before.context.omitted.files;
  const omitFile = (key: string): void => {
    const short = key.slice(0, OMITTED_FILE_KEY_CHARS);
    if (omittedFileKeys.has(short)) return;
    omittedFiles++;
    if (omittedFileKeys.size < MAX_OMITTED_FILE_KEYS) omittedFileKeys.add(short);
  };
  const addedFiles: SignedFile[] = [];
  for (const file of context?.files ?? []) {
    const key = file.sha1.toLowerCase();
    if (files.has(key) || omittedFileKeys.has(key.slice(0, OMITTED_FILE_KEY_CHARS))) continue;
    const bounded = boundFile(file);
    addedFiles.push(bounded);
    if (files.size < MAX_FILES) files.set(key, bounded);
    else omitFile(key);
  }

  let until = before.omittedActivitiesUntil;
  let omittedActivities = before.context.omitted.activities;
  const activities = new Map(before.context.activities.map((activity) => [activity.id, activity]));
  const addedActivities: Activity[] = [];
  for (const activity of context?.activities ?? []) {
    const bounded = boundActivity(activity);
    const known = activities.has(bounded.id);
    // Older than what was already left out: left out (and counted) before, or too late to keep.
    if (!known && until !== undefined && time(bounded) <= until.getTime()) continue;
    if (!known) addedActivities.push(bounded);
    activities.set(bounded.id, bounded);
  }
  let kept = [...activities.values()].sort((a, b) => time(a) - time(b));
  const dropOldest = (): void => {
    const dropped = kept[0]!;
    kept = kept.slice(1);
    omittedActivities++;
    if (until === undefined || time(dropped) > until.getTime()) until = new Date(time(dropped));
  };
  while (kept.length > MAX_ACTIVITIES) dropOldest();

  const reportIds = [...before.reportIds, ...newReportIds];
  const build = (): EpisodeEvidence => ({
    context: { files: [...files.values()], activities: kept, omitted: { files: omittedFiles, activities: omittedActivities } },
    reportIds: reportIds.slice(Math.max(0, reportIds.length - MAX_EPISODE_REPORT_IDS)),
    reportCount: before.reportCount + newReportIds.length,
    omittedFileKeys: [...omittedFileKeys],
    omittedActivitiesUntil: until,
  });
  let evidence = build();
  // The whole stays within its storage budget: the oldest activities go first, then files.
  while (JSON.stringify(evidence).length > MAX_EVIDENCE_CHARS && (kept.length > 0 || files.size > 0)) {
    if (kept.length > 0) dropOldest();
    else {
      const last = [...files.keys()].at(-1)!;
      files.delete(last);
      omitFile(last);
    }
    evidence = build();
  }
  return { evidence, added: { files: addedFiles, activities: addedActivities } };
}

function bounded<T>(items: readonly T[], max: number, alsoOmitted = 0): Bounded<T> {
  return { items: items.slice(0, max), omitted: Math.max(0, items.length - max) + alsoOmitted };
}

function first(activity: Activity, field: EcsFieldName): string | undefined {
  return activity.fields[field]?.[0];
}

function destinationsOf(activity: Activity): readonly Destination[] {
  if (activity.destinations !== undefined) return activity.destinations;
  return [
    ...(activity.fields['destination.ip'] ?? []).map((ip) => ({ ip })),
    ...(activity.fields['destination.domain'] ?? []).map((domain) => ({ domain })),
  ];
}

const present = <T extends object>(entries: T): T => Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as T;

/** The entity lists a detection carries (files, processes, accounts, destinations) from evidence. */
export function detectionEvidence(context: DeviceContext | undefined, max = MAX_ACTIVITIES): DetectionEvidence {
  const omitted = context?.omitted ?? { files: 0, activities: 0 };
  const files: FileEntity[] = (context?.files ?? []).map((file) => present({ sha1: file.sha1, name: file.fileName, path: file.folderPath, signer: file.signer || undefined }));
  const activities = [...(context?.activities ?? [])].sort((a, b) => time(b) - time(a));
  const processes: ProcessEntity[] = activities.map((activity) =>
    present({
      name: first(activity, 'process.name'),
      path: first(activity, 'process.executable'),
      sha1: first(activity, 'process.hash.sha1'),
      commandLine: first(activity, 'process.command_line'),
      parentName: first(activity, 'process.parent.name'),
      account: first(activity, 'user.name'),
      startedAt: activity.timestamp,
    }),
  );
  const accounts = new Map<string, AccountEntity>();
  const destinations = new Map<string, DestinationEntity>();
  for (const activity of activities) {
    const name = first(activity, 'user.name');
    if (name !== undefined) {
      const domain = first(activity, 'user.domain');
      const key = `${domain ?? ''}\\${name}`.toLowerCase();
      if (!accounts.has(key)) accounts.set(key, present({ name, domain }));
    }
    for (const destination of destinationsOf(activity)) {
      const key = JSON.stringify([destination.ip ?? null, destination.domain ?? null, destination.port ?? null]);
      if (!destinations.has(key)) destinations.set(key, present({ ip: destination.ip, domain: destination.domain, port: destination.port }));
    }
  }
  return {
    files: bounded(files, MAX_FILES, omitted.files),
    processes: bounded(processes, max, omitted.activities),
    accounts: bounded([...accounts.values()], max),
    destinations: bounded([...destinations.values()], max),
  };
}
