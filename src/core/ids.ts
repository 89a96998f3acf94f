import { createHash } from 'node:crypto';

/**
 * Deterministic ids (RFC 4122 name-based, version 5) so a retried step can only
 * rewrite the episode or finding it already wrote, never create a second one.
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

/**
 * One episode per detection group and device at a time. The id depends only on what came before
 * it, never on run time or on which events a window happens to hold: the first episode of a device
 * is named by (group, device) alone, each later one by the episode it follows. So a crashed run, a
 * retried run, a concurrent run and a run after the state was lost all name the same episode the
 * same way, and the sink rewrites its incident (or finding) instead of raising a second one.
 */
export function episodeIdFor(groupId: string, deviceId: string, previousEpisodeId: string | undefined): string {
  // JSON keeps the parts unambiguous whatever characters a device id holds.
  return uuidV5(JSON.stringify(['episode', groupId, deviceId, previousEpisodeId ?? null]));
}

/**
 * One finding per episode and update: sequence 0 is the episode's first detection, each update
 * the next number. A retried write of the same update carries the same id (the sink rewrites it;
 * the analytics rule raises one alert per id).
 */
export function findingIdFor(episodeId: string, sequence: number): string {
  return uuidV5(JSON.stringify(['finding', episodeId, sequence]));
}
