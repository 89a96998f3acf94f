/**
 * THE mapping from Defender columns to the ECS fields exclusions speak (documented in
 * docs/exclusions.md). Each field says where it comes from in a process-creation row
 * (DeviceProcessEvents) and in a network row (DeviceNetworkEvents, summarized per initiating
 * process by the context query); the same process instance is described by both.
 */
import type { Destination, EcsFieldName, ResultRow } from '../core/model.js';
import { trimTrailing } from '../text/trimTrailing.js';

export interface ColumnSource {
  /** The Defender column(s), as shown in the documentation. */
  readonly columns: string;
  read(row: ResultRow): readonly string[];
}

export interface EcsMapping {
  readonly field: EcsFieldName;
  readonly processEvent: ColumnSource | undefined;
  readonly networkEvent: ColumnSource | undefined;
  /** Where the field comes from when it is not on the evidence rows. */
  readonly elsewhere?: string;
}

export const ECS_MAPPING: readonly EcsMapping[] = [
  { field: 'process.name', processEvent: column('FileName'), networkEvent: column('InitiatingProcessFileName') },
  { field: 'process.parent.name', processEvent: column('InitiatingProcessFileName'), networkEvent: column('InitiatingProcessParentFileName') },
  { field: 'process.executable', processEvent: executable('FolderPath', 'FileName'), networkEvent: executable('InitiatingProcessFolderPath', 'InitiatingProcessFileName') },
  { field: 'process.command_line', processEvent: column('ProcessCommandLine'), networkEvent: column('InitiatingProcessCommandLine') },
  { field: 'process.hash.sha1', processEvent: lowerCase('SHA1'), networkEvent: lowerCase('InitiatingProcessSHA1') },
  { field: 'user.name', processEvent: account('AccountDomain', 'AccountName'), networkEvent: account('InitiatingProcessAccountDomain', 'InitiatingProcessAccountName') },
  { field: 'user.domain', processEvent: column('AccountDomain'), networkEvent: column('InitiatingProcessAccountDomain') },
  {
    field: 'user.group',
    processEvent: undefined,
    networkEvent: undefined,
    elsewhere: 'IdentityInfo.GroupMembership of the account (matched by UPN, or by name and domain), where the workspace has it',
  },
  // The query keeps each connection's address, URL and port together (`Destinations`); these
  // fields are the flat sets over them, which is what exclusions test.
  { field: 'destination.ip', processEvent: undefined, networkEvent: destinationPart('ip', 'make_set(RemoteIP)') },
  { field: 'destination.domain', processEvent: undefined, networkEvent: destinationPart('domain', 'host of make_set(RemoteUrl)') },
  { field: 'destination.port', processEvent: undefined, networkEvent: destinationPart('port', 'make_set(RemotePort)') },
  { field: 'host.id', processEvent: exact('DeviceId'), networkEvent: exact('DeviceId') },
  { field: 'host.name', processEvent: column('DeviceName'), networkEvent: column('DeviceName') },
];

/** Defender writes "" (and sometimes "-") for a value it does not have; that is a missing value, not a value. */
export function presentText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = (typeof value === 'string' ? value : String(value)).trim();
  return text === '' || text === '-' ? undefined : text;
}

function column(name: string): ColumnSource {
  return { columns: name, read: (row) => optional(presentText(row[name])) };
}

/** An identifier compared as stored (the hit's DeviceId), so not trimmed. */
function exact(name: string): ColumnSource {
  return { columns: name, read: (row) => { const value = row[name]; return typeof value === 'string' && value !== '' ? [value] : []; } };
}

function lowerCase(name: string): ColumnSource {
  return { columns: name, read: (row) => optional(presentText(row[name])?.toLowerCase()) };
}

/** ECS user.name as the scenarios write it: DOMAIN\name (just the name when the domain is unknown). */
function account(domainColumn: string, nameColumn: string): ColumnSource {
  return {
    columns: `${domainColumn}\\${nameColumn}`,
    read(row) {
      const name = presentText(row[nameColumn]);
      if (name === undefined) return [];
      const domain = presentText(row[domainColumn]);
      return [domain === undefined ? name : `${domain}\\${name}`];
    },
  };
}

/** Defender's FolderPath for a process usually already ends with the file name; some sources give the folder only. */
function executable(folderColumn: string, fileColumn: string): ColumnSource {
  return {
    columns: `${folderColumn} (+ \\${fileColumn} when the folder lacks it)`,
    read(row) {
      const folder = presentText(row[folderColumn]);
      if (folder === undefined) return [];
      const file = presentText(row[fileColumn]);
      if (file === undefined || folder.toLowerCase().endsWith(`\\${file.toLowerCase()}`)) return [folder];
      return [`${trimTrailing(folder, '\\')}\\${file}`];
    },
  };
}

/** The network leg's column of destinations: `make_set(bag_pack('ip', RemoteIP, 'url', RemoteUrl, 'port', RemotePort))`. */
export const DESTINATIONS_COLUMN = 'Destinations';

function destinationPart(part: keyof Destination, origin: string): ColumnSource {
  return { columns: origin, read: (row) => distinct(destinationsOf(row).map((destination) => destination[part])) };
}

/** Each row's destinations, parsed once: three ECS fields and the activity's connections all read them. */
const destinationsByRow = new WeakMap<ResultRow, readonly Destination[]>();

/**
 * The destinations of a network row, each as its own connection recorded it, de-duplicated; a bag
 * without any present part (Defender's "" everywhere) is no destination.
 */
export function destinationsOf(row: ResultRow): readonly Destination[] {
  let destinations = destinationsByRow.get(row);
  if (destinations === undefined) {
    destinations = parseDestinations(row);
    destinationsByRow.set(row, destinations);
  }
  return destinations;
}

function parseDestinations(row: ResultRow): Destination[] {
  const found = new Map<string, Destination>();
  for (const item of arrayOf(row[DESTINATIONS_COLUMN])) {
    const bag = bagOf(item);
    if (bag === undefined) continue;
    const ip = presentText(bag['ip']);
    const domain = hostOf(presentText(bag['url']));
    const port = presentText(bag['port']);
    if (ip === undefined && domain === undefined && port === undefined) continue;
    const destination: Destination = { ...(ip !== undefined && { ip }), ...(domain !== undefined && { domain }), ...(port !== undefined && { port }) };
    found.set(destinationKey(destination), destination);
  }
  return [...found.values()];
}

export function destinationKey(destination: Destination): string {
  return JSON.stringify([destination.ip ?? null, destination.domain ?? null, destination.port ?? null]);
}

/** A property bag as backends give it: parsed, or as JSON text. */
function bagOf(value: unknown): Record<string, unknown> | undefined {
  let bag = value;
  if (typeof value === 'string') {
    try {
      bag = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return bag !== null && typeof bag === 'object' && !Array.isArray(bag) ? (bag as Record<string, unknown>) : undefined;
}

export function hostOf(urlOrHost: string | undefined): string | undefined {
  if (urlOrHost === undefined) return undefined;
  const withoutScheme = urlOrHost.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = withoutScheme.split(/[/?#]/, 1)[0] ?? '';
  let host = authority.replace(/^[^@]*@/, '');
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']') === -1 ? undefined : host.indexOf(']'));
  else if (host.split(':').length === 2) host = host.replace(/:\d*$/, '');
  return presentText(host.replace(/\.$/, ''))?.toLowerCase();
}

/** Backends give dynamic columns parsed; a JSON text is accepted too. */
function arrayOf(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      return [value];
    }
  }
  return value === null || value === undefined ? [] : [value];
}

function optional(value: string | undefined): readonly string[] {
  return value === undefined ? [] : [value];
}

function distinct(values: readonly (string | undefined)[]): readonly string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined))];
}
