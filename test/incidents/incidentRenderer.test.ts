import { describe, expect, it } from 'vitest';
import { createIncidentRenderer } from '../../src/incidents/index.js';
import { ammyyRule, enrichedHit, powershellActivity } from '../support/incidentFixtures.js';

const renderer = createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com/' });
const episode = { incidentId: 'inc-0001', episodeStart: new Date('2026-11-20T11:00:00Z'), previousIncidentId: undefined };

describe('incident renderer', () => {
  it('names the tool and the device, takes severity from the rule, starts New with the labels', () => {
    const draft = renderer.renderIncident(ammyyRule, enrichedHit(), episode);
    expect(draft.title).toBe('Ammyy Admin remote access tool (T1219) on ws-finance-07.contoso.local');
    expect(draft).toMatchObject({
      incidentId: 'inc-0001',
      ruleId: ammyyRule.id,
      deviceId: enrichedHit().hit.deviceId,
      severity: 'Medium',
      status: 'New',
      labels: ['RMM', 'Ammyy', 'T1219', ammyyRule.id],
    });
    expect(draft.firstActivity.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(draft.lastActivity.toISOString()).toBe('2026-11-21T08:30:00.000Z');
  });

  it('writes a description an analyst can triage from', () => {
    const { description } = renderer.renderIncident(ammyyRule, enrichedHit(), episode);
    expect(description).toContain('T1219 Remote Access Software');
    expect(description).toContain('Command and Control');
    expect(description).toContain('(https://security.microsoft.com/machines/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678)');
    expect(description).toContain('First seen: 2026-11-20T10:00:00Z; last seen: 2026-11-21T08:30:00Z');
    expect(description).toContain('Signature events: 3');
    expect(description).toContain('`1001`, `1002`, `1003`');
    expect(description).toContain('`0123456789abcdef0123456789abcdef01234567`');
    expect(description).toContain('started by `powershell.exe`');
    expect(description).toContain('as `CONTOSO\\bob`');
    expect(description).toContain('IP `136.243.104.242`');
    expect(description).toContain('URL/host `rl.ammyy.com`');
    expect(description).toContain('Considered: `it-remote-support`, `internal-transfers`');
    expect(description).toContain('let huntedDevice = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";');
    expect(description.match(/- \[ \] /g)).toHaveLength(6);
    expect(description).toContain('schtasks.exe');
    expect(description).toContain('msiexec.exe');
  });

  it('links the previous episode incident when there is one', () => {
    const withLink = createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com', incidentLink: (id) => `https://portal.example/incidents/${id}` });
    const { description } = withLink.renderIncident(ammyyRule, enrichedHit(), { ...episode, previousIncidentId: 'inc-0000' });
    expect(description).toContain('previous incident for this device: [inc-0000](https://portal.example/incidents/inc-0000)');
    expect(renderer.renderIncident(ammyyRule, enrichedHit(), { ...episode, previousIncidentId: 'inc-0000' }).description).toContain('`inc-0000`');
  });

  it('keeps host names with underscores readable in the title', () => {
    const enriched = enrichedHit();
    const draft = renderer.renderIncident(ammyyRule, { ...enriched, hit: { ...enriched.hit, deviceName: 'WS_FIN_07' } }, episode);
    expect(draft.title).toBe('Ammyy Admin remote access tool (T1219) on WS_FIN_07');
  });

  it('keeps the title within 256 characters however long the device name', () => {
    const enriched = enrichedHit();
    const draft = renderer.renderIncident(ammyyRule, { ...enriched, hit: { ...enriched.hit, deviceName: 'x'.repeat(1000) } }, episode);
    expect(draft.title.length).toBeLessThanOrEqual(256);
    expect(draft.title).toMatch(/^Ammyy Admin remote access tool \(T1219\) on x+…$/);
  });

  it('says plainly when there is no context instead of inventing evidence', () => {
    const { description } = renderer.renderIncident(ammyyRule, enrichedHit({ context: undefined, verdict: { suppressed: false, matches: [], considered: [] } }), episode);
    expect(description).toContain('not seen running');
    expect(description).toContain('No exclusions are configured');
  });

  it('keeps hostile device names from escaping code spans or the hunting query', () => {
    const hostile = 'evil`](https://phish.example)\n" | where 1==1 // \\';
    const enriched = enrichedHit();
    const draft = renderer.renderIncident(ammyyRule, { ...enriched, hit: { ...enriched.hit, deviceName: hostile, deviceId: hostile } }, episode);
    expect(draft.title).not.toMatch(/[`\n[\]]/);
    expect(draft.description).toContain('let huntedDevice = "evil`](https://phish.example)\\n\\" | where 1==1 // \\\\";');
    expect(draft.description).toContain('Name: `` evil`](https://phish.example) " | where 1==1 // \\ ``');
    expect(draft.description).toContain('/machines/evil%60%5D(https%3A%2F%2Fphish.example)');
  });

  it('summarises huge evidence to fit the description limit, keeping every section whole', () => {
    const enriched = enrichedHit();
    const activities = Array.from({ length: 3000 }, (_, index) => powershellActivity(`act-${index}`, { 'destination.ip': [`203.0.113.${index % 250}`], 'process.command_line': ['x'.repeat(2000)] }));
    const big = {
      ...enriched,
      hit: { ...enriched.hit, reportIds: Array.from({ length: 5000 }, (_, index) => String(900000 + index)), count: 5000 },
      context: { files: enriched.context!.files, activities },
    };
    const { description } = renderer.renderIncident(ammyyRule, big, episode);
    expect(description.length).toBeLessThanOrEqual(5000);
    expect(description).toMatch(/and 4,9\d\d more report ids/);
    expect(description).toMatch(/more processes \(run the hunting query below/);
    expect(description).toContain('## Hunt this device');
    expect(description).toContain('## Triage checklist');
    expect(description.match(/```/g)).toHaveLength(2);
  });

  it('lists only the new report ids in an update comment', () => {
    const comment = renderer.renderUpdateComment(ammyyRule, enrichedHit(), episode, ['1003'], 'cmt-1');
    expect(comment).toMatchObject({ incidentId: 'inc-0001', commentId: 'cmt-1' });
    expect(comment.message).toContain('New report ids (1): `1003`');
    expect(comment.message).not.toContain('`1001`');
    expect(comment.message.length).toBeLessThanOrEqual(30_000);
  });
});
