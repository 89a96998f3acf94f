/**
 * The analyst's checklist: one question per published legitimate-use scenario of this hunt
 * (issue 5's table), phrased as what to verify rather than as a filter, then what to do if none holds.
 * The last step names the accounts only when the evidence has them.
 */
import { code, summarisedList } from './markdown.js';

const SCENARIO_QUESTIONS: readonly string[] = [
  '**IT remote support?** Was Ammyy started interactively by a known IT support account, with a ticket for this device at that time? A parent such as `powershell.exe`, `cmd.exe`, `wscript.exe` or a browser, or a binary in a Downloads/Temp folder, is not IT support.',
  '**Scheduled maintenance?** Is the parent `schtasks.exe` (or the Task Scheduler service) running a maintenance task your change records know about?',
  '**Administrative audit?** Is the user an administrator (`Domain Admins`, `DOMAIN\\Administrator`) doing an audit that was announced for this device?',
  '**Internal file transfer?** Did every connection stay inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16? A single public IP or Ammyy relay host means it is not internal only.',
  '**Managed service provider?** Was it installed by `msiexec.exe` from a package your contracted provider deploys, signed and at a path they use?',
];

/** Windows' built-in service accounts: no password a SOC could reset. */
const BUILT_IN_ACCOUNT = /^(nt authority\\|(system|local service|network service)$)|^(window manager\\dwm-|font driver host\\umfd-)/i;

export function isBuiltInAccount(user: string): boolean {
  return BUILT_IN_ACCOUNT.test(user);
}

function credentialsStep(users: readonly string[], shownUsers: number): string {
  const people = users.filter((user) => !isBuiltInAccount(user));
  const builtIn = users.filter(isBuiltInAccount);
  const list = (accounts: readonly string[]) => summarisedList(accounts.map((user) => code(user, 80)), Math.max(1, shownUsers), 'accounts');
  if (people.length > 0) return `reset the credentials of ${list(people)} (the account${people.length === 1 ? '' : 's'} that ran Ammyy)`;
  if (builtIn.length > 0) return `find who installed or scheduled it and reset those credentials (it ran only as ${list(builtIn)}, which has no password to reset)`;
  return 'find who was signed in on the device (the evidence names no account; see the logged-on users on the device page) and reset those credentials';
}

/** @param users accounts that ran Ammyy according to the evidence (DOMAIN\name), possibly none */
export function triageChecklist(users: readonly string[], shownUsers: number): string[] {
  const credentials = credentialsStep(users, shownUsers);
  return [
    ...SCENARIO_QUESTIONS,
    `**None of the above?** Treat it as unauthorised remote access (T1219): isolate the device from the Defender portal, collect an investigation package, ${credentials}, and look for the same hashes on other devices.`,
  ];
}
