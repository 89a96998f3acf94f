/**
 * Markdown for values an attacker may control (device names, command lines, URLs from telemetry).
 * Every such value is shown as an inline code span, so it can never become a link, an image or
 * markup in the analyst's view; newlines are flattened so a value cannot start a new block.
 */

/**
 * C0 and C1 controls (newlines, NEL), the line and paragraph separators, and the bidirectional
 * controls (marks, embeddings, overrides, isolates: Unicode UAX #9), which would let a device name
 * reorder what the analyst reads ("gpj.exe" shown as "exe.jpg") or start a new line in a title.
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]+/g;

/** One-line, length-bounded text; the cut is announced, never silent. */
export function shortened(value: string, maxChars: number): string {
  const flat = value.replace(CONTROL_CHARACTERS, ' ');
  if (flat.length <= maxChars) return flat;
  return `${flat.slice(0, Math.max(0, maxChars - 1))}…`;
}

/** An inline code span whose fence is longer than any backtick run inside the value (CommonMark 6.1). */
export function code(value: string, maxChars = 200): string {
  const text = shortened(value, maxChars);
  if (text === '') return '`(empty)`';
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = text.startsWith('`') || text.endsWith('`') || longestRun > 0 ? ` ${text} ` : text;
  return `${fence}${padded}${fence}`;
}

/**
 * Plain text for places where code spans do not render (titles, which notifications and ticket
 * integrations may still render as Markdown or HTML): no link, code or tag characters; underscores and
 * the like stay, since host names use them.
 */
export function plain(value: string, maxChars: number): string {
  return shortened(value.replace(/[`[\]<>]/g, ' ').replace(/\s+/g, ' ').trim(), maxChars);
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * The one time format of descriptions and comments: `2026-11-17 08:14:22 UTC`. Whole seconds (cut,
 * not rounded, so a time is never later than the event): enough to find the events in the portal,
 * and the hunting query in the incident gives the exact timestamps.
 */
export function formatTime(value: Date | undefined): string {
  if (value === undefined || Number.isNaN(value.getTime())) return 'unknown';
  return `${value.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "a, b, c and 1,234 more" — the omitted part is counted, not dropped. */
export function summarisedList(items: readonly string[], shown: number, noun: string, omitted = 0): string {
  if (items.length === 0 && omitted === 0) return `no ${noun}`;
  const visible = items.slice(0, Math.max(0, shown));
  const rest = items.length - visible.length + omitted;
  if (visible.length === 0) return `${formatCount(items.length + omitted)} ${noun}`;
  return rest > 0 ? `${visible.join(', ')} and ${formatCount(rest)} more ${noun}` : visible.join(', ');
}
