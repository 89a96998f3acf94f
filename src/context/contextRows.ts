/** The shape of the context query's result: one union of three kinds of evidence rows. */
import type { ResultRow } from '../core/model.js';
import { presentText } from './ecsMapping.js';
import { parseUtcDate } from '../kql/literals.js';

export type EvidenceKind = 'file' | 'process' | 'network';

/** The `Evidence` column the context query adds to each union leg. */
export function evidenceKind(row: ResultRow): EvidenceKind | undefined {
  const kind = presentText(row['Evidence'])?.toLowerCase();
  return kind === 'file' || kind === 'process' || kind === 'network' ? kind : undefined;
}

/** Which columns identify the process instance a row describes. */
export const PROCESS_INSTANCE_COLUMNS = {
  process: { processId: 'ProcessId', creationTime: 'ProcessCreationTime', sha1: 'SHA1', accountName: 'AccountName', accountDomain: 'AccountDomain', accountUpn: 'AccountUpn', fileName: 'FileName', folderPath: 'FolderPath' },
  network: { processId: 'InitiatingProcessId', creationTime: 'InitiatingProcessCreationTime', sha1: 'InitiatingProcessSHA1', accountName: 'InitiatingProcessAccountName', accountDomain: 'InitiatingProcessAccountDomain', accountUpn: 'InitiatingProcessAccountUpn', fileName: 'InitiatingProcessFileName', folderPath: 'InitiatingProcessFolderPath' },
} as const;

/** The row's device id exactly as stored: ids are compared with the hits' ids, so no trimming. */
export function deviceIdOf(row: ResultRow): string | undefined {
  const id = row['DeviceId'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Backends give datetimes as Date; JSON-ish sources may give ISO text. */
export function timeOf(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'string' && value.trim() !== '') return parseUtcDate(value);
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  return undefined;
}
