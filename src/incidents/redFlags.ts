/**
 * "Red flags in the evidence": the indicators of malicious Ammyy use that the context already
 * shows, so the analyst sees them before the checklist. Only what the evidence holds is listed;
 * nothing is inferred from missing data.
 */
import type { DeviceContext } from '../core/model.js';
import { deviceDestinations, isAmmyyHost, isPublicIp, values, type EvidenceCaps } from './evidence.js';
import { code, formatCount, summarisedList } from './markdown.js';
import { trimTrailing } from '../text/trimTrailing.js';

/** Parents that mean Ammyy was launched by a script, a shell or from the web, not by an installer or a person. */
const SUSPICIOUS_PARENTS = new Set([
  'powershell.exe', 'pwsh.exe', 'powershell_ise.exe', 'cmd.exe', 'wscript.exe', 'cscript.exe', 'mshta.exe', 'rundll32.exe',
  'chrome.exe', 'msedge.exe', 'firefox.exe', 'iexplore.exe', 'opera.exe', 'brave.exe', 'vivaldi.exe', 'browser.exe',
]);

/** Folders any user can write to: where downloaded or dropped binaries land. */
const USER_WRITABLE_FOLDER = /\\(downloads|temp|tmp|appdata|desktop)\\|\\users\\public\\/i;

/** Names Ammyy ships under: ammyy*.exe, and the AA_v3.exe of its download page. */
const AMMYY_LIKE_NAME = /ammyy|^aa_v\d/i;

export function isSuspiciousParent(name: string): boolean {
  return SUSPICIOUS_PARENTS.has(name.toLowerCase());
}

export function isUserWritablePath(path: string): boolean {
  return USER_WRITABLE_FOLDER.test(`${trimTrailing(path, '\\')}\\`);
}

export function isAmmyyLikeName(fileName: string): boolean {
  return AMMYY_LIKE_NAME.test(fileName);
}

const distinct = (items: readonly string[]): string[] => {
  const byLower = new Map<string, string>();
  for (const item of items) if (!byLower.has(item.toLowerCase())) byLower.set(item.toLowerCase(), item);
  return [...byLower.values()];
};

export const NO_RED_FLAGS =
  'None found: no script-host, shell or browser parent, no binary in a user-writable folder, no renamed binary and no connection to a public IP or Ammyy relay host in the evidence.';

export function redFlagLines(context: DeviceContext | undefined, caps: EvidenceCaps): string[] {
  if (context === undefined) return [`- ${NO_RED_FLAGS} (The context query returned no evidence to check.)`];
  const shown = (items: readonly string[], noun: string) =>
    summarisedList(items.map((item) => code(item, caps.valueChars)), Math.min(caps.items, 5), noun);
  const activities = context.activities;
  const flags: string[] = [];

  const flaggedParents = activities.filter((activity) => values(activity, 'process.parent.name').some(isSuspiciousParent));
  if (flaggedParents.length > 0) {
    const parents = distinct(flaggedParents.flatMap((activity) => values(activity, 'process.parent.name').filter(isSuspiciousParent)));
    flags.push(`Started by a script host, shell or browser: ${shown(parents, 'parents')} (${formatCount(flaggedParents.length)} of ${formatCount(activities.length)} process${activities.length === 1 ? '' : 'es'}).`);
  }

  const paths = distinct([
    ...activities.flatMap((activity) => values(activity, 'process.executable')),
    ...context.files.flatMap((file) => (file.folderPath === undefined ? [] : [file.folderPath])),
  ]).filter(isUserWritablePath).filter((path, _index, all) => !all.some((other) => other.toLowerCase().startsWith(`${trimTrailing(path, '\\').toLowerCase()}\\`)));
  if (paths.length > 0) flags.push(`Binary in a user-writable folder (Downloads, Temp, AppData, Desktop, Public): ${shown(paths, 'paths')}.`);

  const renamed = distinct([
    ...activities.flatMap((activity) => values(activity, 'process.name')),
    ...context.files.flatMap((file) => (file.fileName === undefined ? [] : [file.fileName])),
  ]).filter((name) => !isAmmyyLikeName(name));
  if (renamed.length > 0) flags.push(`Renamed binary: signed by Ammyy but named ${shown(renamed, 'names')}.`);

  const destinations = deviceDestinations(context).map(({ destination }) => destination);
  const publicIps = distinct(destinations.flatMap((destination) => (destination.ip !== undefined && isPublicIp(destination.ip) === true ? [destination.ip] : [])));
  if (publicIps.length > 0) flags.push(`Connections to public IPs: ${shown(publicIps, 'addresses')}.`);
  const relays = distinct(destinations.flatMap((destination) => (destination.domain !== undefined && isAmmyyHost(destination.domain) ? [destination.domain] : [])));
  if (relays.length > 0) flags.push(`Connections to Ammyy relay hosts (sessions brokered over the internet): ${shown(relays, 'hosts')}.`);

  if (flags.length > 0) return flags.map((flag) => `- ${flag}`);
  return activities.length === 0
    ? ['- None found in the file evidence (path, name). No Ammyy process was seen running, so there is no parent or connection to check.']
    : [`- ${NO_RED_FLAGS}`];
}

/** The accounts the evidence names, for the checklist's last step. */
export function evidenceUsers(context: DeviceContext | undefined): string[] {
  return distinct((context?.activities ?? []).flatMap((activity) => values(activity, 'user.name')));
}
