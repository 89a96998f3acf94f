/**
 * Table Storage keys. PartitionKey and RowKey may not contain `/`, `\`, `#`, `?` or the
 * control characters U+0000–U+001F and U+007F–U+009F, and are limited to 1 KiB.
 *
 * Escaping is reversible and keeps keys readable: each forbidden character becomes `~` and
 * its UTF-16 code unit as four hex digits; `~` and `!` are escaped the same way, so `!`
 * can mark the hunter's own partitions (`<rule>!runs`) without any device
 * or rule id ever colliding with them. Ids too long for a key keep a readable prefix plus
 * a SHA-256 of the whole id (the id itself is stored in a property).
 */
import { createHash } from 'node:crypto';

const MUST_ESCAPE = /[/\\#?~!\u0000-\u001f\u007f-\u009f]/g;
/** 1 KiB key limit; escaped keys are counted in UTF-16 units (2 bytes), leaving headroom for suffixes. */
const MAX_KEY_CHARS = 400;
const HASHED_PREFIX_CHARS = 300;

export function escapeKey(id: string): string {
  if (id === '') throw new Error('an empty id cannot be a Table Storage key');
  const escaped = id.replace(MUST_ESCAPE, (ch) => `~${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  if (escaped.length <= MAX_KEY_CHARS) return escaped;
  const digest = createHash('sha256').update(id, 'utf8').digest('hex');
  // `~~` never occurs in an escaped id (every `~` is followed by four hex digits).
  return `${escaped.slice(0, HASHED_PREFIX_CHARS).replace(/~[0-9A-F]{0,3}$/, '')}~~${digest}`;
}

/** The inverse of `escapeKey` for keys short enough not to be hashed. */
export function unescapeKey(key: string): string {
  return key.replace(/~([0-9A-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The devices of a detection group: loaded with one partition query. */
export function devicePartition(groupId: string): string {
  return escapeKey(groupId);
}

/** The rule's run reports (and the watermark they carry) live apart, so loading devices never reads them. */
export function runsPartition(ruleId: string): string {
  return `${escapeKey(ruleId)}!runs`;
}

/** Newest first when listed in key order: the row key counts down as time goes on. */
const LATEST_MS = 8_640_000_000_000_000;

export function runRowKey(startedAt: Date, runId: string): string {
  return `${runTimeKey(startedAt)}_${escapeKey(runId)}`;
}

/** Row keys of runs that started before `time` sort after this key. */
export function runTimeKey(time: Date): string {
  return String(LATEST_MS - time.getTime()).padStart(16, '0');
}
