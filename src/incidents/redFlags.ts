/**
 * "Red flags in the evidence": the indicators of malicious use of a remote access tool that the
 * context already shows, so the analyst sees them before the checklist. Only what the evidence holds
 * is listed; nothing is inferred from missing data. What the tool itself looks like (the names it
 * ships under, its vendor's relay hosts) comes from the rule's `tool`.
 */
import type { DeviceContext } from '../core/model.js';
import { compileWildcard } from '../exclusions/wildcard.js';
import type { ToolDescription } from '../rules/rule.js';
import { deviceDestinations, isPublicIp, isRelayHost, values, type EvidenceCaps } from './evidenceLists.js';
import { code, formatCount, summarisedList } from './markdown.js';
import { trimTrailing } from '../text/trimTrailing.js';

/** Parents that mean the tool was launched by a script, a shell or from the web, not by an installer or a person. */
const SUSPICIOUS_PARENTS = new Set([
  'powershell.exe', 'pwsh.exe', 'powershell_ise.exe', 'cmd.exe', 'wscript.exe', 'cscript.exe', 'mshta.exe', 'rundll32.exe',
  'chrome.exe', 'msedge.exe', 'firefox.exe', 'iexplore.exe', 'opera.exe', 'brave.exe', 'vivaldi.exe', 'browser.exe',
]);

/** Folders any user can write to: where downloaded or dropped binaries land. */
const USER_WRITABLE_FOLDER = /\\(downloads|temp|tmp|appdata|desktop)\\|\\users\\public\\/i;

export function isSuspiciousParent(name: string): boolean {
  return SUSPICIOUS_PARENTS.has(name.toLowerCase());
}

export function isUserWritablePath(path: string): boolean {
  return USER_WRITABLE_FOLDER.test(`${trimTrailing(path, '\\')}\\`);
}

/** A name the tool ships under (`tool.fileNames`); a rule that names none never flags a rename. */
export function isToolFileName(fileName: string, tool: ToolDescription): boolean {
  return tool.fileNames.some((pattern) => compileWildcard(pattern, false)(fileName));
}

const distinct = (items: readonly string[]): string[] => {
  const byLower = new Map<string, string>();
  for (const item of items) if (!byLower.has(item.toLowerCase())) byLower.set(item.toLowerCase(), item);
  return [...byLower.values()];
};

/** What "none found" covers: only the checks this rule can make. */
export function noRedFlags(tool: ToolDescription | undefined): string {
  const checked = ['no script-host, shell or browser parent', 'no binary in a user-writable folder'];
  if (tool !== undefined && tool.fileNames.length > 0) checked.push('no renamed binary');
  const peers = tool !== undefined && tool.relayDomains.length > 0 ? `a public IP or ${tool.name} relay host` : 'a public IP';
  return `None found: ${checked.join(', ')} and no connection to ${peers} in the evidence.`;
}

/** The flags the evidence shows, as sentences; `shown` lists a flag's items (paths, names, addresses). */
function flagsOf(context: DeviceContext, tool: ToolDescription | undefined, shown: (items: readonly string[], noun: string) => string, codeOf: (text: string) => string): string[] {
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

  if (tool !== undefined && tool.fileNames.length > 0) {
    const renamed = distinct([
      ...activities.flatMap((activity) => values(activity, 'process.name')),
      ...context.files.flatMap((file) => (file.fileName === undefined ? [] : [file.fileName])),
    ]).filter((name) => !isToolFileName(name, tool));
    const shipsAs = tool.fileNames.map(codeOf).join(', ');
    if (renamed.length > 0) flags.push(`Renamed binary: ${tool.name} named ${shown(renamed, 'names')} (it ships as ${shipsAs}).`);
  }

  const destinations = deviceDestinations(context).map(({ destination }) => destination);
  const publicIps = distinct(destinations.flatMap((destination) => (destination.ip !== undefined && isPublicIp(destination.ip) === true ? [destination.ip] : [])));
  if (publicIps.length > 0) flags.push(`Connections to public IPs: ${shown(publicIps, 'addresses')}.`);
  const relays = distinct(destinations.flatMap((destination) => (destination.domain !== undefined && isRelayHost(destination.domain, tool) ? [destination.domain] : [])));
  if (tool !== undefined && relays.length > 0) flags.push(`Connections to ${tool.name} relay hosts (sessions brokered over the internet): ${shown(relays, 'hosts')}.`);

  return flags;
}

export function redFlagLines(context: DeviceContext | undefined, tool: ToolDescription | undefined, caps: EvidenceCaps): string[] {
  if (context === undefined) return [`- ${noRedFlags(tool)} (The context query returned no evidence to check.)`];
  const shown = (items: readonly string[], noun: string) =>
    summarisedList(items.map((item) => code(item, caps.valueChars)), Math.min(caps.items, 5), noun);
  const flags = flagsOf(context, tool, shown, (text) => code(text, caps.valueChars));
  if (flags.length > 0) return flags.map((flag) => `- ${flag}`);
  return context.activities.length === 0
    ? ['- None found in the file evidence (path, name). No process started from these files was seen running, so there is no parent or connection to check.']
    : [`- ${noRedFlags(tool)}`];
}

/** The accounts the evidence names, for the checklist's last step. */
export function evidenceUsers(context: DeviceContext | undefined): string[] {
  return distinct((context?.activities ?? []).flatMap((activity) => values(activity, 'user.name')));
}

/** The red flags as plain sentences (no Markdown), for sinks that store them as data; none: an empty list. */
export function redFlagSentences(context: DeviceContext | undefined, tool: ToolDescription | undefined): string[] {
  if (context === undefined) return [];
  const shown = (items: readonly string[], noun: string) => (items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${formatCount(items.length - 5)} more ${noun}`);
  return flagsOf(context, tool, shown, (text) => text);
}
