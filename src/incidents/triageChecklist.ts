/**
 * The analyst's checklist: one question per published legitimate-use scenario of this hunt
 * (issue 5's table), phrased as what to verify rather than as a filter, then what to do if none holds.
 */
export const triageChecklist: readonly string[] = [
  '**IT remote support?** Was Ammyy started interactively by a known IT support account, with a ticket for this device at that time? A parent such as `powershell.exe`, `cmd.exe`, `wscript.exe` or a browser, or a binary in a Downloads/Temp folder, is not IT support.',
  '**Scheduled maintenance?** Is the parent `schtasks.exe` (or the Task Scheduler service) running a maintenance task your change records know about?',
  '**Administrative audit?** Is the user an administrator (`Domain Admins`, `DOMAIN\\Administrator`) doing an audit that was announced for this device?',
  '**Internal file transfer?** Did every connection stay inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16? A single public IP or Ammyy relay host means it is not internal only.',
  '**Managed service provider?** Was it installed by `msiexec.exe` from a package your contracted provider deploys, signed and at a path they use?',
  '**None of the above?** Treat it as unauthorised remote access (T1219): isolate the device from the Defender portal, collect an investigation package, reset the credentials of the users above, and look for the same hashes on other devices.',
];
