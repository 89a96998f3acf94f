import { describe, expect, it } from 'vitest';
import { createIncidentRenderer } from '../../src/incidents/index.js';
import type { Activity, EnrichedHit } from '../../src/core/model.js';
import { enrichedHit, powershellActivity } from '../support/incidentFixtures.js';
import { testRule } from '../support/rules.js';

const rule = testRule();

const renderer = createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com/' });
const episode = { episodeId: 'inc-0001', episodeStart: new Date('2026-11-20T11:00:00Z'), previousEpisodeId: undefined };

describe('incident renderer', () => {
  it('names the tool and the device, with the labels (the status is the sink\'s, the severity the rule\'s)', () => {
    const draft = renderer.renderIncident(rule, enrichedHit(), episode);
    expect(draft.title).toBe('Ammyy Admin remote access tool (T1219) on ws-finance-07.contoso.local');
    expect(draft).toEqual({ title: draft.title, description: draft.description, labels: ['RMM', 'Ammyy', 'T1219', rule.id] });
  });

  it('writes a description an analyst can triage from', () => {
    const { description } = renderer.renderIncident(rule, enrichedHit(), episode);
    expect(description).toContain('MITRE ATT&CK: [T1219](https://attack.mitre.org/techniques/T1219/); tactic **Command and Control**.');
    expect(description).toContain('(https://security.microsoft.com/machines/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678)');
    expect(description).toContain('First seen: 2026-11-20 10:00:00 UTC; last seen: 2026-11-21 08:30:00 UTC');
    expect(description).toContain('Report ids (3): `1001`, `1002`, `1003`');
    // The episode is counted by its distinct report ids; the hunt's per-window event count is not the episode's size.
    expect(description).not.toContain('Events matched');
    expect(description).toContain('`1001`, `1002`, `1003`');
    expect(description).toContain('`0123456789abcdef0123456789abcdef01234567`');
    expect(description).toContain('started by `powershell.exe`');
    expect(description).toContain('as `CONTOSO\\bob`');
    expect(description).toContain('`136.243.104.242:443` — public IP');
    expect(description).toContain('`rl.ammyy.com:443` — Ammyy Admin relay host');
    expect(description).toContain('Considered: `it-remote-support`, `internal-transfers`');
    expect(description).toContain('let HitDeviceIds = dynamic(["a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"]);');
    expect(description).toContain('let Time_start = datetime(2026-11-19T10:00:00.000Z);\nlet Time_end = now();');
    expect(description.match(/- \[ \] /g)).toHaveLength(6);
    expect(description).toContain('schtasks.exe');
    expect(description).toContain('msiexec.exe');
  });

  it('links the previous episode incident when there is one', () => {
    const withLink = createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com', incidentLink: (id) => `https://portal.example/incidents/${id}` });
    const { description } = withLink.renderIncident(rule, enrichedHit(), { ...episode, previousEpisodeId: 'inc-0000' });
    expect(description).toContain('previous incident for this device: [inc-0000](https://portal.example/incidents/inc-0000)');
    expect(renderer.renderIncident(rule, enrichedHit(), { ...episode, previousEpisodeId: 'inc-0000' }).description).toContain('`inc-0000`');
  });

  it('keeps host names with underscores readable in the title', () => {
    const enriched = enrichedHit();
    const draft = renderer.renderIncident(rule, { ...enriched, hit: { ...enriched.hit, deviceName: 'WS_FIN_07' } }, episode);
    expect(draft.title).toBe('Ammyy Admin remote access tool (T1219) on WS_FIN_07');
  });

  it('keeps the title within 256 characters however long the device name', () => {
    const enriched = enrichedHit();
    const draft = renderer.renderIncident(rule, { ...enriched, hit: { ...enriched.hit, deviceName: 'x'.repeat(1000) } }, episode);
    expect(draft.title.length).toBeLessThanOrEqual(256);
    expect(draft.title).toMatch(/^Ammyy Admin remote access tool \(T1219\) on x+…$/);
  });

  it('says plainly when there is no context instead of inventing evidence', () => {
    const { description } = renderer.renderIncident(rule, enrichedHit({ context: undefined, verdict: { suppressed: false, matches: [], considered: [] } }), episode);
    expect(description).toContain('the context query found no file, process or network evidence for it in the window. Run the hunting query below');
    expect(description).toContain('No exclusions are configured');
  });

  it('keeps hostile device names from escaping code spans or the hunting query', () => {
    const hostile = 'evil`](https://phish.example)\n" | where 1==1 // \\';
    const enriched = enrichedHit();
    const draft = renderer.renderIncident(rule, { ...enriched, hit: { ...enriched.hit, deviceName: hostile, deviceId: hostile } }, episode);
    expect(draft.title).not.toMatch(/[`\n[\]]/);
    expect(draft.description).toContain('let HitDeviceIds = dynamic(["evil`](https://phish.example)\\n\\" | where 1==1 // \\\\"]);');
    expect(draft.description).toContain('Name: `` evil`](https://phish.example) " | where 1==1 // \\ ``');
    expect(draft.description).toContain('/machines/evil%60%5D(https%3A%2F%2Fphish.example)');
  });

  it('summarises huge evidence to fit the description limit, keeping every section whole', () => {
    const enriched = enrichedHit();
    const activities = Array.from({ length: 3000 }, (_, index) => powershellActivity(`act-${index}`, { 'destination.ip': [`203.0.113.${index % 250}`], 'process.command_line': ['x'.repeat(2000)] }));
    const big = {
      ...enriched,
      hit: { ...enriched.hit, reportIds: Array.from({ length: 5000 }, (_, index) => String(900000 + index)), eventCount: 5000 },
      context: { files: enriched.context!.files, activities },
    };
    const { description } = renderer.renderIncident(rule, big, episode);
    expect(description.length).toBeLessThanOrEqual(5000);
    expect(description).toMatch(/and 4,9\d\d more report ids/);
    expect(description).toMatch(/more processes \(run the hunting query below/);
    expect(description).toContain('## Hunt this device');
    expect(description).toContain('## Triage checklist');
    expect(description.match(/```/g)).toHaveLength(2);
  });

  it('lists only the new report ids in an update comment', () => {
    const comment = renderer.renderUpdateComment(rule, enrichedHit(), episode, ['1003']);
    expect(comment).toContain('Episode `inc-0001`');
    expect(comment).toContain('New report ids (1): `1003`');
    expect(comment).not.toContain('`1001`');
    expect(comment.length).toBeLessThanOrEqual(30_000);
  });
});

/** The section of a description from its heading to the next heading. */
function section(description: string, heading: string): string {
  const start = description.indexOf(`${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = description.slice(start + heading.length + 1);
  const end = rest.search(/\n(## |\*\*)/);
  return end === -1 ? rest : rest.slice(0, end);
}

function withActivities(activities: readonly Activity[], files = enrichedHit().context!.files): EnrichedHit {
  return enrichedHit({ context: { files, activities } });
}

/** The sample's wks-fin-007 process: 10.44.0.12 only on 5931, 203.0.113.45 (rl.ammyy.com) only on 443. */
const pairedActivity: Activity = {
  ...powershellActivity('act-paired', {
    'destination.ip': ['203.0.113.45', '10.44.0.12'],
    'destination.domain': ['rl.ammyy.com'],
    'destination.port': ['443', '5931'],
  }),
  destinations: [
    { ip: '203.0.113.45', domain: 'rl.ammyy.com', port: '443' },
    { ip: '10.44.0.12', port: '5931' },
  ],
};

const quietActivity: Activity = {
  id: 'act-quiet',
  timestamp: new Date('2026-11-20T10:05:00Z'),
  fields: {
    'process.name': ['ammyy.exe'],
    'process.executable': ['C:\\Program Files (x86)\\Ammyy\\ammyy.exe'],
    'process.parent.name': ['explorer.exe'],
  },
};

describe('destinations', () => {
  it('shows each address with its own port and host, never every port against every address', () => {
    const { description } = renderer.renderIncident(rule, withActivities([pairedActivity]), episode);
    const connections = section(description, '**Remote connections** — address:port (host), kind of peer, processes');
    expect(connections.trim().split('\n')).toEqual([
      '- `203.0.113.45:443` (`rl.ammyy.com`) — public IP, Ammyy Admin relay host (1 process)',
      '- `10.44.0.12:5931` — internal IP (1 process)',
    ]);
    expect(description).toContain('connected to `203.0.113.45:443` (`rl.ammyy.com`), `10.44.0.12:5931`');
    expect(description).not.toMatch(/10\.44\.0\.12:443|203\.0\.113\.45:5931|rl\.ammyy\.com:5931/);
  });

  it('without the paired list, shows a port only when the process used a single one', () => {
    const single = renderer.renderIncident(rule, enrichedHit(), episode).description;
    expect(single).toContain('`10.1.2.3:443` — internal IP');
    const twoPorts = powershellActivity('act-2', { 'destination.port': ['443', '5931'] });
    const several = renderer.renderIncident(rule, withActivities([twoPorts]), episode).description;
    expect(several).toContain('- `10.1.2.3` — internal IP (1 process)');
    expect(several).not.toMatch(/10\.1\.2\.3:(443|5931)/);
  });

  it('writes IPv6 endpoints with brackets and counts a destination shared by processes once per process', () => {
    const v6: Activity = { ...quietActivity, id: 'v6-a', destinations: [{ ip: '2001:db8::1', port: '5931' }] };
    const { description } = renderer.renderIncident(rule, withActivities([v6, { ...v6, id: 'v6-b' }]), episode);
    expect(description).toContain('- `[2001:db8::1]:5931` — public IP (2 processes)');
  });

  it.each([
    ['processes that made no connection', [quietActivity], ''],
    ['no process at all', [], ' No process started from these files was seen running.'],
  ])('says plainly when there are %s', (_case, activities, extra) => {
    const { description } = renderer.renderIncident(rule, withActivities(activities), episode);
    expect(section(description, '**Remote connections** — address:port (host), kind of peer, processes')).toBe(
      `- No network connections from these processes were recorded in the window.${extra}\n`,
    );
  });
});

describe('red flags and the checklist', () => {
  it('lists the indicators the evidence shows, and only those', () => {
    const { description } = renderer.renderIncident(rule, enrichedHit(), episode);
    const flags = section(description, '## Red flags in the evidence').trim().split('\n');
    expect(flags).toEqual([
      '- Started by a script host, shell or browser: `powershell.exe` (1 of 1 process).',
      '- Binary in a user-writable folder (Downloads, Temp, AppData, Desktop, Public): `C:\\Users\\bob\\Downloads\\AA_v3.exe`.',
      '- Connections to public IPs: `136.243.104.242`.',
      '- Connections to Ammyy Admin relay hosts (sessions brokered over the internet): `rl.ammyy.com`.',
    ]);
    expect(description.indexOf('## Red flags in the evidence')).toBeLessThan(description.indexOf('## Triage checklist'));
  });

  it('flags a binary of the tool under a name it does not ship as, and browsers and rundll32 as parents', () => {
    const renamed: Activity = { ...quietActivity, fields: { ...quietActivity.fields, 'process.name': ['svchost.exe'], 'process.parent.name': ['msedge.exe'] } };
    const rundll: Activity = { ...quietActivity, id: 'act-r', fields: { ...quietActivity.fields, 'process.parent.name': ['RUNDLL32.EXE'] } };
    const files = [{ sha1: 'ab', signer: 'Ammyy LLC', fileName: 'svchost.exe', folderPath: 'C:\\ProgramData\\svchost.exe' }];
    const { description } = renderer.renderIncident(rule, withActivities([renamed, rundll], files), episode);
    const flags = section(description, '## Red flags in the evidence');
    expect(flags).toContain('Started by a script host, shell or browser: `msedge.exe`, `RUNDLL32.EXE` (2 of 2 processes).');
    expect(flags).toContain('Renamed binary: Ammyy Admin named `svchost.exe` (it ships as `ammyy*`, `AA_v*`).');
    expect(flags).not.toContain('user-writable');
    expect(flags).not.toContain('public IP');
  });

  it('says none were found when the evidence shows none, and does not treat AA_v3.exe as renamed', () => {
    const installed: Activity = { ...quietActivity, fields: { ...quietActivity.fields, 'process.name': ['AA_v3.exe'] }, destinations: [{ ip: '10.20.30.40', port: '5931' }] };
    const { description } = renderer.renderIncident(rule, withActivities([installed], []), episode);
    expect(section(description, '## Red flags in the evidence')).toContain('- None found: no script-host, shell or browser parent');
  });

  it('does not claim a clean bill when nothing ran', () => {
    const { description } = renderer.renderIncident(rule, withActivities([], [{ sha1: 'ab', signer: 'Ammyy LLC' }]), episode);
    expect(section(description, '## Red flags in the evidence')).toContain('No process started from these files was seen running, so there is no parent or connection to check.');
    const noContext = renderer.renderIncident(rule, enrichedHit({ context: undefined }), episode).description;
    expect(section(noContext, '## Red flags in the evidence')).toContain('The context query returned no evidence to check.');
  });

  it('names the accounts to reset only when the evidence has them', () => {
    const withUser = renderer.renderIncident(rule, enrichedHit(), episode).description;
    expect(withUser).toContain('reset the credentials of `CONTOSO\\bob` (the account that ran it)');
    const noUser = renderer.renderIncident(rule, withActivities([quietActivity]), episode).description;
    expect(noUser).not.toContain('users above');
    expect(noUser).toContain('the evidence names no account');
    expect(noUser.match(/- \[ \] /g)).toHaveLength(6);
  });
});

describe('time format', () => {
  it('writes every time of the description and the comment one way, outside the hunting query', () => {
    const enriched = enrichedHit({
      hit: { ...enrichedHit().hit, firstSeen: new Date('2026-11-17T08:14:22.123Z'), lastSeen: new Date('2026-11-18T09:02:10Z') },
      suppressedBefore: { exclusionIds: ['x'], reportIds: ['9'], lastSuppressedAt: new Date('2026-11-19T01:02:03.456Z'), count: 1 },
    });
    const texts = [
      renderer.renderIncident(rule, enriched, { ...episode, episodeStart: new Date('2026-11-17T08:14:22.123Z') }).description,
      renderer.renderUpdateComment(rule, enriched, episode, ['9']),
    ].map((text) => text.replace(/```kusto[\s\S]*?```/, ''));
    for (const text of texts) {
      expect(text).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d/);
    }
    expect(texts[0]).toContain('First seen: 2026-11-17 08:14:22 UTC; last seen: 2026-11-18 09:02:10 UTC');
    expect(texts[0]).toContain('Episode since 2026-11-17 08:14:22 UTC');
    expect(texts[0]).toContain('last 2026-11-19 01:02:03 UTC');
    expect(texts[1]).toContain('since 2026-11-20 11:00:00 UTC');
  });
});

describe('size limits with paired destinations and red flags', () => {
  it('summarises many destinations and flags within the description limit, sections whole', () => {
    const activities = Array.from({ length: 500 }, (_, index): Activity => ({
      ...powershellActivity(`act-${index}`, { 'process.name': [`renamed-${index}.exe`], 'process.executable': [`C:\\Users\\u${index}\\AppData\\Local\\Temp\\r${index}.exe`], 'user.name': [`CONTOSO\\user${index}`] }),
      destinations: Array.from({ length: 20 }, (_unused, port) => ({ ip: `198.51.${index % 250}.${port}`, domain: `r${port}.ammyy.com`, port: String(5000 + port) })),
    }));
    const { description } = renderer.renderIncident(rule, withActivities(activities), episode);
    expect(description.length).toBeLessThanOrEqual(5000);
    expect(description).toMatch(/more destinations \(run the hunting query below/);
    expect(section(description, '## Red flags in the evidence')).toMatch(/more addresses/);
    expect(description).toMatch(/reset the credentials of .* more accounts/);
    expect(description).toContain('## Hunt this device');
    expect(description.match(/```/g)).toHaveLength(2);
  });
});


describe('accounts to reset', () => {
  const ranAs = (...users: string[]) => withActivities(users.map((user, index) => ({ ...quietActivity, id: `u-${index}`, fields: { ...quietActivity.fields, 'user.name': [user] } })));

  it('leaves built-in service accounts out of the reset step', () => {
    const mixed = renderer.renderIncident(rule, ranAs('NT AUTHORITY\\SYSTEM', 'CONTOSO\\svc_backup'), episode).description;
    expect(mixed).toContain('reset the credentials of `CONTOSO\\svc_backup` (the account that ran it)');
    expect(mixed).not.toMatch(/reset the credentials of [^\n]*SYSTEM/);
    const systemOnly = renderer.renderIncident(rule, ranAs('NT AUTHORITY\\SYSTEM'), episode).description;
    expect(systemOnly).toContain('find who installed or scheduled it and reset those credentials (it ran only as `NT AUTHORITY\\SYSTEM`, which has no password to reset)');
  });
});

describe('everything detection-specific comes from the rule', () => {
  const bare = testRule({
    name: 'Suspicious tool',
    relevantTechniques: ['T1105', 'T1219.001'],
    tactics: ['CommandAndControl', 'Execution'],
    deviceQuery: undefined,
    tool: undefined,
    wording: {
      title: [{ text: 'Tool on ' }, { column: 'DeviceName' }, { text: ' (' }, { column: 'DeviceId' }, { text: ')' }],
      summary: [{ text: 'Seen on ' }, { column: 'DeviceName' }, { text: '. Check it.' }],
      triageChecklist: ['**Expected?** Ask the owner.'],
      labels: ['Custom', 'T1105'],
    },
  });

  it('fills the title and summary formats: plain values in the title, code spans in the Markdown', () => {
    const enriched = enrichedHit();
    const hostile = { ...enriched, hit: { ...enriched.hit, deviceName: 'a[b](c)`d' } };
    const draft = renderer.renderIncident(bare, hostile, episode);
    expect(draft.title).toBe(`Tool on a b (c) d (${enriched.hit.deviceId})`);
    expect(draft.labels).toEqual(['Custom', 'T1105']);
    expect(draft.description.split('\n').slice(0, 3)).toEqual([
      `# Tool on \`\` a[b](c)\`d \`\` (\`${enriched.hit.deviceId}\`)`,
      'Seen on `` a[b](c)`d ``. Check it.',
      'MITRE ATT&CK: [T1105](https://attack.mitre.org/techniques/T1105/), [T1219.001](https://attack.mitre.org/techniques/T1219/001/); tactics **Command and Control**, **Execution**.',
    ]);
  });

  it('checks what the rule can check and leaves out what it cannot: no relay hosts, no renames, no hunting query', () => {
    const { description } = renderer.renderIncident(bare, enrichedHit(), episode);
    expect(description).not.toMatch(/relay host|Renamed binary|## Hunt this device|T1219[^./]/);
    expect(section(description, '## Triage checklist').trim().split('\n')).toEqual([
      '- [ ] **Expected?** Ask the owner.',
      expect.stringMatching(/^- \[ \] \*\*None of the above\?\*\* Treat it as a true positive \(T1105, T1219\.001\): isolate the device/),
    ]);
    const quiet = renderer.renderIncident(bare, withActivities([quietActivity], []), episode).description;
    expect(section(quiet, '## Red flags in the evidence')).toBe('- None found: no script-host, shell or browser parent, no binary in a user-writable folder and no connection to a public IP in the evidence.\n');
    expect(renderer.renderIncident(bare, enrichedHit({ context: undefined }), episode).description).toContain('found no file, process or network evidence for it in the window.\n');
  });

  it('keeps the title within its limit whatever the format and values', () => {
    const long = testRule({ wording: { ...bare.wording, title: [{ text: 'x'.repeat(300) }, { column: 'DeviceName' }] } });
    expect(renderer.renderIncident(long, enrichedHit(), episode).title.length).toBe(256);
  });

  it('fences the hunting query so that no backtick run inside it can end the block', () => {
    const enriched = enrichedHit();
    const draft = renderer.renderIncident(rule, { ...enriched, hit: { ...enriched.hit, deviceId: 'x```` ## injected' } }, episode);
    const hunt = section(draft.description, '## Hunt this device');
    expect(hunt.startsWith('`````kusto\n')).toBe(true);
    expect(hunt.trimEnd().endsWith('\n`````')).toBe(true);
    expect(hunt.trimEnd().split('\n').filter((line) => /^`{3,}/.test(line))).toHaveLength(2);
  });
});

