import { createHash } from 'node:crypto';

/**
 * Deterministic ids (RFC 4122 name-based, version 5) so a retried step can only
 * rewrite the incident or comment it already wrote, never create a second one.
 */

/** The hunter's own namespace, so its ids never collide with other name-based ids. */
export const HUNTER_NAMESPACE = '3b8a6f0e-5c1d-4f7a-9e2b-8d4c6a1f0b37';

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a UUID: ${JSON.stringify(uuid)}`);
  return Buffer.from(hex, 'hex');
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function uuidV5(name: string, namespace: string = HUNTER_NAMESPACE): string {
  const digest = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/** One incident per rule, device and episode: the episode start is what makes a later episode a new incident. */
export function incidentIdFor(ruleId: string, deviceId: string, episodeStart: Date): string {
  // JSON keeps the three parts unambiguous whatever characters a device id holds.
  return uuidV5(JSON.stringify(['incident', ruleId, deviceId, episodeStart.toISOString()]));
}

/** What the device's state held before an update: every update changes at least one of these. */
export interface EvidenceBefore {
  readonly firstSeen: Date | undefined;
  readonly lastSeen: Date | undefined;
  readonly reportCount: number;
}

/**
 * The update comment is named after the evidence the incident had before the update: its count
 * and its activity span. Every update changes one of them (a new report id, activity after the
 * last seen or before the first seen: report ids repeat per device, so later activity may bring
 * no new id), so each update gets its own comment; a retry after a crash starts from the same
 * state and rewrites the same comment (possibly with more evidence) instead of adding one.
 */
export function updateCommentIdFor(incidentId: string, before: EvidenceBefore): string {
  const time = (date: Date | undefined) => (date === undefined ? null : date.toISOString());
  return uuidV5(JSON.stringify(['update-comment', incidentId, before.reportCount, time(before.firstSeen), time(before.lastSeen)]));
}
