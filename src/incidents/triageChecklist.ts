/**
 * The analyst's checklist: the rule's questions, one per legitimate use of what it detects
 * (`triageChecklist`), phrased as what to verify rather than as a filter, then what to do if none
 * holds. The last step names the accounts only when the evidence has them.
 */
import type { HuntRule } from '../rules/rule.js';
import { code, summarisedList } from './markdown.js';

/** Windows' built-in service accounts: no password a SOC could reset. */
const BUILT_IN_ACCOUNT = /^(nt authority\\|(system|local service|network service)$)|^(window manager\\dwm-|font driver host\\umfd-)/i;

export function isBuiltInAccount(user: string): boolean {
  return BUILT_IN_ACCOUNT.test(user);
}

function credentialsStep(users: readonly string[], shownUsers: number): string {
  const people = users.filter((user) => !isBuiltInAccount(user));
  const builtIn = users.filter(isBuiltInAccount);
  const list = (accounts: readonly string[]) => summarisedList(accounts.map((user) => code(user, 80)), Math.max(1, shownUsers), 'accounts');
  if (people.length > 0) return `reset the credentials of ${list(people)} (the account${people.length === 1 ? '' : 's'} that ran it)`;
  if (builtIn.length > 0) return `find who installed or scheduled it and reset those credentials (it ran only as ${list(builtIn)}, which has no password to reset)`;
  return 'find who was signed in on the device (the evidence names no account; see the logged-on users on the device page) and reset those credentials';
}

/** @param users accounts that ran the tool according to the evidence (DOMAIN\name), possibly none */
export function triageChecklist(rule: HuntRule, users: readonly string[], shownUsers: number): string[] {
  const credentials = credentialsStep(users, shownUsers);
  const none = rule.wording.triageChecklist.length > 0 ? '**None of the above?**' : '**Not explained by a legitimate use?**';
  return [
    ...rule.wording.triageChecklist,
    `${none} Treat it as a true positive (${rule.relevantTechniques.join(', ')}): isolate the device from the Defender portal, collect an investigation package, ${credentials}, and look for the same hashes on other devices.`,
  ];
}
