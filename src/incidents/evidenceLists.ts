/**
 * Turns a device's context (the tool's files, the processes started from them, their connections)
 * into Markdown lists an analyst can read, each bounded by a cap and ending in "and N more" instead
 * of being cut.
 */
import ipaddr from 'ipaddr.js';
import type { Activity, DeviceContext, Destination, EcsFieldName } from '../core/model.js';
import type { ToolDescription } from '../rules/rule.js';
import { destinationKey } from '../context/ecsMapping.js';
import { code, formatCount, formatTime } from './markdown.js';

export interface EvidenceCaps {
  /** Items per list (files, processes, destinations). */
  readonly items: number;
  /** Characters of one value (command lines, paths). */
  readonly valueChars: number;
}

export const NO_CONNECTIONS = 'No network connections from these processes were recorded in the window.';

export function values(activity: Activity, field: EcsFieldName): readonly string[] {
  return activity.fields[field] ?? [];
}

function first(activity: Activity, field: EcsFieldName): string | undefined {
  return values(activity, field)[0];
}

/** `omitted`: items the episode's bounded evidence no longer holds, counted in the "more" line. */
function bulleted(lines: readonly string[], cap: number, noun: string, omitted = 0): string[] {
  const shown = lines.slice(0, cap).map((line) => `- ${line}`);
  const rest = lines.length - Math.min(cap, lines.length) + omitted;
  if (rest > 0) shown.push(`- …and ${formatCount(rest)} more ${noun} (run the hunting query below for all of them)`);
  return shown;
}

/**
 * The activity's destinations, each as its connection recorded it. An activity built without the
 * paired list (only the flat ECS fields) gets each address and host on its own, with a port only
 * when there was a single one: a port is never shown beside an address it was not used with.
 */
export function activityDestinations(activity: Activity): readonly Destination[] {
  if (activity.destinations !== undefined) return activity.destinations;
  const ports = values(activity, 'destination.port');
  const port = ports.length === 1 ? { port: ports[0] } : {};
  return [
    ...values(activity, 'destination.ip').map((ip) => ({ ip, ...port })),
    ...values(activity, 'destination.domain').map((domain) => ({ domain, ...port })),
  ];
}

/** Ranges that do not leave the organisation (RFC 1918, loopback, link-local, ULA, CGNAT, special). */
const NON_PUBLIC_RANGES = new Set(['private', 'loopback', 'linkLocal', 'uniqueLocal', 'carrierGradeNat', 'unspecified', 'broadcast', 'multicast']);

/** true: a public (routable, non-internal) address; false: internal; undefined: not an IP address. */
export function isPublicIp(ip: string): boolean | undefined {
  if (!ipaddr.isValid(ip)) return undefined;
  return !NON_PUBLIC_RANGES.has(ipaddr.process(ip).range());
}

/** One of the vendor's relay hosts the rule names (`tool.relayDomains`), or a subdomain of one. */
export function isRelayHost(domain: string, tool: ToolDescription | undefined): boolean {
  const host = domain.toLowerCase().replace(/\.$/, '');
  return (tool?.relayDomains ?? []).some((relay) => host === relay || host.endsWith(`.${relay}`));
}

/** `203.0.113.45:443` (`relay.example.net`): one connection's address, port and host together. */
export function formatDestination(destination: Destination, caps: EvidenceCaps): string {
  const { ip, domain, port } = destination;
  const withPort = (host: string) => (port === undefined ? host : `${host.includes(':') ? `[${host}]` : host}:${port}`);
  if (ip !== undefined) return `${code(withPort(ip), caps.valueChars)}${domain !== undefined ? ` (${code(domain, caps.valueChars)})` : ''}`;
  if (domain !== undefined) return code(withPort(domain), caps.valueChars);
  return `port ${code(port ?? '', caps.valueChars)} (no address recorded)`;
}

function destinationKinds(destination: Destination, tool: ToolDescription | undefined): string[] {
  const kinds: string[] = [];
  const publicIp = destination.ip === undefined ? undefined : isPublicIp(destination.ip);
  if (publicIp === true) kinds.push('public IP');
  if (publicIp === false) kinds.push('internal IP');
  if (tool !== undefined && destination.domain !== undefined && isRelayHost(destination.domain, tool)) kinds.push(`${tool.name} relay host`);
  return kinds;
}

/** SHA1s of the files and of the processes started from them, deduplicated. */
export function fileHashLines(context: DeviceContext, caps: EvidenceCaps): string[] {
  const lines = new Map<string, string>();
  for (const file of context.files) {
    const where = [file.fileName, file.folderPath].filter((part): part is string => part !== undefined && part !== '');
    const located = where.length > 0 ? ` — ${where.map((part) => code(part, caps.valueChars)).join(' in ')}` : '';
    const signer = file.signer === '' ? '' : `, signer ${code(file.signer, caps.valueChars)}`;
    lines.set(file.sha1.toLowerCase(), `SHA1 ${code(file.sha1)}${located}${signer}`);
  }
  for (const activity of context.activities) {
    for (const sha1 of values(activity, 'process.hash.sha1')) {
      if (!lines.has(sha1.toLowerCase())) {
        const name = first(activity, 'process.name');
        lines.set(sha1.toLowerCase(), `SHA1 ${code(sha1)}${name ? ` — process ${code(name, caps.valueChars)}` : ''}`);
      }
    }
  }
  if (lines.size === 0 && !context.omitted?.files) return ['- None recorded in the window.'];
  return bulleted([...lines.values()], caps.items, 'hashes', context.omitted?.files);
}

function describeActivity(activity: Activity, caps: EvidenceCaps): string {
  const name = first(activity, 'process.name') ?? 'unknown process';
  const executable = first(activity, 'process.executable');
  const parent = first(activity, 'process.parent.name');
  const user = first(activity, 'user.name');
  const groups = values(activity, 'user.group');
  const commandLine = first(activity, 'process.command_line');
  const destinations = activityDestinations(activity);
  const parts = [
    `${formatTime(activity.timestamp)} ${code(name, caps.valueChars)}${executable ? ` (${code(executable, caps.valueChars)})` : ''}`,
    `started by ${parent ? code(parent, caps.valueChars) : 'an unknown parent'}`,
    `as ${user ? code(user, caps.valueChars) : 'an unknown user'}${groups.length > 0 ? ` (groups: ${groups.slice(0, 3).map((group) => code(group, caps.valueChars)).join(', ')}${groups.length > 3 ? ` and ${formatCount(groups.length - 3)} more` : ''})` : ''}`,
  ];
  if (commandLine) parts.push(`command line ${code(commandLine, caps.valueChars)}`);
  parts.push(
    destinations.length === 0
      ? 'no network connection recorded'
      : `connected to ${destinations.slice(0, 3).map((destination) => formatDestination(destination, caps)).join(', ')}${destinations.length > 3 ? ` and ${formatCount(destinations.length - 3)} more` : ''}`,
  );
  return parts.join(', ');
}

/** One line per process instance: what ran, from where, started by whom, talking to what. */
export function processLines(context: DeviceContext, caps: EvidenceCaps): string[] {
  const ordered = [...context.activities].sort((a, b) => (a.timestamp?.getTime() ?? 0) - (b.timestamp?.getTime() ?? 0));
  return bulleted(ordered.map((activity) => describeActivity(activity, caps)), caps.items, 'processes', context.omitted?.activities);
}

/** Every distinct destination of the device's processes, most shared first. */
export function deviceDestinations(context: DeviceContext): { readonly destination: Destination; readonly processes: number }[] {
  const byDestination = new Map<string, { destination: Destination; processes: number }>();
  for (const activity of context.activities) {
    const seen = new Set<string>();
    for (const destination of activityDestinations(activity)) {
      const key = destinationKey(destination);
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = byDestination.get(key) ?? { destination, processes: 0 };
      entry.processes += 1;
      byDestination.set(key, entry);
    }
  }
  return [...byDestination.values()].sort((a, b) => b.processes - a.processes);
}

/** One line per connection (address:port and host together), what kind of peer it is, and how many processes used it. */
export function destinationLines(context: DeviceContext, tool: ToolDescription | undefined, caps: EvidenceCaps): string[] {
  const destinations = deviceDestinations(context);
  if (destinations.length === 0) {
    return [`- ${NO_CONNECTIONS}${context.activities.length === 0 ? ' No process started from these files was seen running.' : ''}`];
  }
  const lines = destinations.map(({ destination, processes }) => {
    const kinds = destinationKinds(destination, tool);
    return `${formatDestination(destination, caps)}${kinds.length > 0 ? ` — ${kinds.join(', ')}` : ''} (${formatCount(processes)} process${processes === 1 ? '' : 'es'})`;
  });
  return bulleted(lines, caps.items, 'destinations');
}
