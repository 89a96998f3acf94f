/**
 * Issue 11.5: an update never erases the episode's earlier evidence. The episode keeps what it has
 * gathered in state (bounded, with counts of what was left out), and every detection, its incident
 * description and its finding's entity lists, is built from all of it, not from the last window.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useAzurite } from '../support/azurite.js';
import { EventBackend, HOUR, RecordingSink, SettableClock, event, hunt, testRule } from '../support/hunt.js';
import type { ContextEnricher } from '../../src/core/ports.js';
import type { Activity, DeviceContext } from '../../src/core/model.js';
import { emptyEpisodeEvidence, MAX_ACTIVITIES, MAX_EVIDENCE_CHARS, MAX_FILES, mergeEpisodeEvidence } from '../../src/core/episodeEvidence.js';
import { fromDeviceEntity, toDeviceEntity } from '../../src/adapters/table/deviceEntity.js';
import { writtenDeviceState } from '../support/deviceStates.js';
import { emptyReportIdSet } from '../../src/core/reportIdSet.js';

const az = useAzurite();
const rule = testRule({ contextQuery: 'the enricher below answers instead' });

function activity(id: string, at: string, fields: Activity['fields'], destinations?: Activity['destinations']): Activity {
  return { id, timestamp: new Date(at), fields, ...(destinations ? { destinations } : {}) };
}

/** Day 1: started by PowerShell from Downloads, talking to a public IP. Day 2: only a quiet re-run. */
const day1: DeviceContext = {
  files: [{ sha1: 'aa'.repeat(20), signer: 'Ammyy LLC', fileName: 'AA_v3.exe', folderPath: 'C:\\Users\\bob\\Downloads' }],
  activities: [activity('p1', '2026-11-20T10:05:00Z', { 'process.name': ['AA_v3.exe'], 'process.parent.name': ['powershell.exe'], 'process.command_line': ['AA_v3.exe -outid'], 'user.name': ['bob'], 'user.domain': ['CONTOSO'] }, [{ ip: '203.0.113.45', domain: 'rl.ammyy.com', port: '443' }])],
};
const day2: DeviceContext = {
  files: [{ sha1: 'bb'.repeat(20), signer: 'Ammyy LLC', fileName: 'AA_v3.exe', folderPath: 'C:\\ProgramData' }],
  activities: [activity('p2', '2026-11-21T09:00:00Z', { 'process.name': ['AA_v3.exe'], 'process.parent.name': ['explorer.exe'], 'user.name': ['alice'], 'user.domain': ['CONTOSO'] })],
};

describe("the episode's evidence so far", () => {
  it('an update keeps the earlier parent process, public IP, red flags and report ids, and says what is new', async () => {
    const { store } = await az.newStore();
    const backend = new EventBackend();
    const sink = new RecordingSink();
    const clock = new SettableClock(new Date('2026-11-20T12:00:00Z'));
    const byRun = [day1, day2];
    let runIndex = 0;
    const enricher: ContextEnricher = {
      async enrich(_rule, hits) {
        return { contexts: new Map(hits.map((h) => [h.deviceId, byRun[runIndex]!])), failed: new Map() };
      },
    };
    const run = () => hunt({ backend, state: store, sink, clock, rule, deps: { enricher } });
    backend.events.push(event('dev1', '2026-11-20T10:00:00Z', 1));
    await run();
    // Two days later: the first event is still in the window, but the context of that run is gone.
    runIndex = 1;
    clock.set('2026-11-21T12:00:00Z');
    backend.events.push(event('dev1', '2026-11-21T09:00:00Z', 2));
    const second = await run();
    expect(second.updated).toEqual([expect.objectContaining({ deviceId: 'dev1', sequence: 1 })]);

    const update = sink.detections.at(-1)!;
    expect(update.evidence.files.items.map((f) => f.path)).toEqual(['C:\\Users\\bob\\Downloads', 'C:\\ProgramData']);
    expect(update.evidence.processes.items.map((p) => p.parentName)).toEqual(['explorer.exe', 'powershell.exe']);
    expect(update.evidence.accounts.items).toEqual([{ name: 'alice', domain: 'CONTOSO' }, { name: 'bob', domain: 'CONTOSO' }]);
    expect(update.evidence.destinations.items).toEqual([{ ip: '203.0.113.45', domain: 'rl.ammyy.com', port: '443' }]);
    expect(update.redFlags.join('\n')).toMatch(/powershell\.exe[\s\S]*203\.0\.113\.45/);
    expect(update.reportIds).toEqual({ items: ['1', '2'], omitted: 0 });
    expect(update.added.reportIds).toEqual(['2']);
    expect(update.added.evidence.processes.items.map((p) => p.parentName)).toEqual(['explorer.exe']);

    // The incident's description (rewritten by the update) still shows day 1; the comment shows only day 2.
    const incident = sink.incidentsFor('dev1')[0]!;
    for (const kept of ['powershell.exe', '203.0.113.45', 'C:\\Users\\bob\\Downloads', '`1`', '`2`']) expect(incident.description).toContain(kept);
    const comment = [...sink.comments.values()][0]!.message;
    expect(comment).toContain('explorer.exe');
    expect(comment).not.toContain('powershell.exe');
  });

  it('stays within its storage budget however much a hostile device sends, and counts what it left out', () => {
    const huge = 'A'.repeat(40_000);
    const noisy: DeviceContext = {
      files: Array.from({ length: 100 }, (_, i) => ({ sha1: createHash('sha1').update(String(i)).digest('hex'), signer: huge, fileName: huge, folderPath: huge })),
      activities: Array.from({ length: 500 }, (_, i) =>
        activity(`p${i}`, new Date(Date.parse('2026-11-20T00:00:00Z') + i * 60_000).toISOString(), {
          'process.command_line': [huge],
          'process.name': [huge],
          'user.group': Array.from({ length: 50 }, (_unused, g) => `${huge}${g}`),
        }, Array.from({ length: 100 }, (_unused, d) => ({ ip: `10.0.${i % 250}.${d}`, domain: huge, port: '1' }))),
      ),
    };
    let evidence = emptyEpisodeEvidence;
    for (let run = 0; run < 3; run++) evidence = mergeEpisodeEvidence(evidence, noisy, [`${run}`]).evidence;
    expect(JSON.stringify(evidence).length).toBeLessThanOrEqual(MAX_EVIDENCE_CHARS);
    expect(evidence.context.files.length).toBeLessThanOrEqual(MAX_FILES);
    expect(evidence.context.activities.length).toBeLessThanOrEqual(MAX_ACTIVITIES);
    expect(evidence.context.files.length + evidence.context.omitted.files).toBe(100);
    expect(evidence.context.activities.length + evidence.context.omitted.activities).toBe(500);
    // The most recent activities are the ones kept.
    expect(evidence.context.activities.at(-1)?.id).toBe('p499');
    // Every run's context returns the whole window again: nothing is counted twice, nothing new is added.
    const again = mergeEpisodeEvidence(evidence, noisy, []);
    expect(again.evidence.context.omitted).toEqual(evidence.context.omitted);
    expect(again.added).toEqual({ files: [], activities: [] });
    // And the device entity holding it is one Table Storage will take (every property under 64 KiB).
    const state = { ...writtenDeviceState('noisy', 'noisy', emptyReportIdSet), episode: { ...writtenDeviceState('noisy', 'noisy', emptyReportIdSet).episode!, evidence } };
    const entity = toDeviceEntity('rule', state);
    for (const value of Object.values(entity)) if (typeof value === 'string') expect(value.length).toBeLessThanOrEqual(30_000);
    expect(fromDeviceEntity({ ...entity, etag: 'x' } as never).episode?.evidence).toEqual(evidence);
  });
});
