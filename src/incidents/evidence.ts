/**
 * Turns a device's context (signed files, Ammyy process activities) into Markdown lists an analyst
 * can read, each bounded by a cap and ending in "and N more" instead of being cut.
 */
import type { Activity, DeviceContext, EcsFieldName } from '../core/model.js';
import { code, formatCount, formatTime } from './markdown.js';

export interface EvidenceCaps {
  /** Items per list (files, processes, destinations). */
  readonly items: number;
  /** Characters of one value (command lines, paths). */
  readonly valueChars: number;
}

function values(activity: Activity, field: EcsFieldName): readonly string[] {
  return activity.fields[field] ?? [];
}

function first(activity: Activity, field: EcsFieldName): string | undefined {
  return values(activity, field)[0];
}

function bulleted(lines: readonly string[], cap: number, noun: string): string[] {
  const shown = lines.slice(0, cap).map((line) => `- ${line}`);
  const rest = lines.length - Math.min(cap, lines.length);
  if (rest > 0) shown.push(`- …and ${formatCount(rest)} more ${noun} (run the hunting query below for all of them)`);
  return shown;
}

/** SHA1s of the signed files and of the processes started from them, deduplicated. */
export function fileHashLines(context: DeviceContext, caps: EvidenceCaps): string[] {
  const lines = new Map<string, string>();
  for (const file of context.files) {
    const where = [file.fileName, file.folderPath].filter((part): part is string => part !== undefined && part !== '');
    const located = where.length > 0 ? ` — ${where.map((part) => code(part, caps.valueChars)).join(' in ')}` : '';
    lines.set(file.sha1.toLowerCase(), `SHA1 ${code(file.sha1)}${located}, signer ${code(file.signer, caps.valueChars)}`);
  }
  for (const activity of context.activities) {
    for (const sha1 of values(activity, 'process.hash.sha1')) {
      if (!lines.has(sha1.toLowerCase())) {
        const name = first(activity, 'process.name');
        lines.set(sha1.toLowerCase(), `SHA1 ${code(sha1)}${name ? ` — process ${code(name, caps.valueChars)}` : ''}`);
      }
    }
  }
  return bulleted([...lines.values()], caps.items, 'hashes');
}

function describeActivity(activity: Activity, caps: EvidenceCaps): string {
  const name = first(activity, 'process.name') ?? 'unknown process';
  const executable = first(activity, 'process.executable');
  const parent = first(activity, 'process.parent.name');
  const user = first(activity, 'user.name');
  const groups = values(activity, 'user.group');
  const commandLine = first(activity, 'process.command_line');
  const destinations = [...values(activity, 'destination.ip'), ...values(activity, 'destination.domain')];
  const parts = [
    `${formatTime(activity.timestamp)} ${code(name, caps.valueChars)}${executable ? ` (${code(executable, caps.valueChars)})` : ''}`,
    `started by ${parent ? code(parent, caps.valueChars) : 'an unknown parent'}`,
    `as ${user ? code(user, caps.valueChars) : 'an unknown user'}${groups.length > 0 ? ` (groups: ${groups.slice(0, 3).map((group) => code(group, caps.valueChars)).join(', ')}${groups.length > 3 ? ` and ${formatCount(groups.length - 3)} more` : ''})` : ''}`,
  ];
  if (commandLine) parts.push(`command line ${code(commandLine, caps.valueChars)}`);
  parts.push(
    destinations.length === 0
      ? 'no network connection seen'
      : `talked to ${destinations.slice(0, 3).map((destination) => code(destination, caps.valueChars)).join(', ')}${destinations.length > 3 ? ` and ${formatCount(destinations.length - 3)} more` : ''}`,
  );
  return parts.join(', ');
}

/** One line per Ammyy process instance: what ran, from where, started by whom, talking to what. */
export function processLines(context: DeviceContext, caps: EvidenceCaps): string[] {
  const ordered = [...context.activities].sort((a, b) => (a.timestamp?.getTime() ?? 0) - (b.timestamp?.getTime() ?? 0));
  return bulleted(ordered.map((activity) => describeActivity(activity, caps)), caps.items, 'processes');
}

/** Every remote address or host name the processes talked to, with how many processes did. */
export function destinationLines(context: DeviceContext, caps: EvidenceCaps): string[] {
  const byDestination = new Map<string, { readonly label: string; processes: number; ports: Set<string> }>();
  for (const activity of context.activities) {
    const ports = values(activity, 'destination.port');
    for (const [field, label] of [['destination.ip', 'IP'], ['destination.domain', 'URL/host']] as const) {
      for (const destination of values(activity, field)) {
        const entry = byDestination.get(destination) ?? { label: `${label} ${code(destination, caps.valueChars)}`, processes: 0, ports: new Set<string>() };
        entry.processes += 1;
        for (const port of ports) entry.ports.add(port);
        byDestination.set(destination, entry);
      }
    }
  }
  const lines = [...byDestination.values()]
    .sort((a, b) => b.processes - a.processes)
    .map((entry) => `${entry.label}${entry.ports.size > 0 ? ` port ${[...entry.ports].slice(0, 5).map((port) => code(port)).join(', ')}` : ''} (${formatCount(entry.processes)} process${entry.processes === 1 ? '' : 'es'})`);
  return bulleted(lines, caps.items, 'destinations');
}
