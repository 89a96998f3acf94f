import { describe, expect, it } from 'vitest';
import { assessEvidence, decideEpisode, mergeHit, startEpisode } from '../../src/core/dedupe.js';
import type { Hit } from '../../src/core/model.js';
import type { DeviceState } from '../../src/core/state.js';
import { episodeIdFor } from '../../src/core/ids.js';

const DAY = 86_400_000;
const now = new Date('2026-11-27T12:00:00Z');
const grouping = { lookbackDurationMs: 7 * DAY, reopenClosedIncident: false };

function hit(reportIds: string[], first = '2026-11-26T10:00:00Z', last = '2026-11-26T11:00:00Z'): Hit {
  return { deviceId: 'd1', deviceName: 'pc1', firstSeen: new Date(first), lastSeen: new Date(last), reportIds, eventCount: reportIds.length };
}

function known(h: Hit): DeviceState {
  return mergeHit(undefined, h, startEpisode('rule', undefined, h, now));
}

describe('assessEvidence', () => {
  it('a device without state is new', () => {
    expect(assessEvidence(undefined, hit(['1'])).kind).toBe('newDevice');
  });
  it('the same hit again (overlapping window) is no new evidence', () => {
    const h = hit(['1', '2']);
    expect(assessEvidence(known(h), hit(['2', '1'])).kind).toBe('noNewEvidence');
  });
  it('a subset of the known evidence (window moved on) is no new evidence', () => {
    expect(assessEvidence(known(hit(['1', '2'])), hit(['2'], '2026-11-26T10:30:00Z', '2026-11-26T11:00:00Z')).kind).toBe('noNewEvidence');
  });
  it('reports only the ids not seen before', () => {
    expect(assessEvidence(known(hit(['1', '2'])), hit(['2', '3']))).toEqual({ kind: 'newEvidence', newReportIds: ['3'] });
  });
  it('a late event that moves first seen earlier is new evidence', () => {
    expect(assessEvidence(known(hit(['1'])), hit(['1'], '2026-11-25T00:00:00Z')).kind).toBe('newEvidence');
  });
});

describe('decideEpisode', () => {
  const episode = known(hit(['1'])).episode!;
  it('within the look-back: update (the sink is not asked first)', () => {
    expect(decideEpisode(episode, undefined, new Date(now.getTime() + DAY), grouping)).toEqual({ kind: 'update' });
  });
  it('the sink answered closed, or gone: a new episode', () => {
    expect(decideEpisode(episode, 'closed', now, grouping)).toEqual({ kind: 'newEpisode', reason: 'closed' });
    expect(decideEpisode(episode, 'missing', now, grouping)).toEqual({ kind: 'newEpisode', reason: 'incidentMissing' });
  });
  it("a sink that groups by the incident's first alert (Sentinel alert grouping) ends the episode where it would", () => {
    const limits = { lookbackFrom: 'firstDetection', maxDetections: 150 } as const;
    const opened = { ...episode, openedAt: now, lastUpdate: new Date(now.getTime() + 6 * DAY) };
    // Updated yesterday, but opened eight days ago: past the look-back counted from the first alert.
    expect(decideEpisode(opened, undefined, new Date(now.getTime() + 6 * DAY), grouping, limits)).toEqual({ kind: 'update' });
    expect(decideEpisode(opened, undefined, new Date(now.getTime() + 8 * DAY), grouping, limits)).toEqual({ kind: 'newEpisode', reason: 'lookbackExpired' });
    expect(decideEpisode(opened, undefined, new Date(now.getTime() + 8 * DAY), grouping)).toEqual({ kind: 'update' });
    // The 150th alert is the last one an incident takes: the next detection opens the next episode.
    expect(decideEpisode({ ...opened, sequence: 148 }, undefined, now, grouping, limits)).toEqual({ kind: 'update' });
    expect(decideEpisode({ ...opened, sequence: 149 }, undefined, now, grouping, limits)).toEqual({ kind: 'newEpisode', reason: 'episodeFull' });
  });

  it('look-back expired: a new episode even if still open', () => {
    expect(decideEpisode(episode, undefined, new Date(now.getTime() + 8 * DAY), grouping)).toEqual({ kind: 'newEpisode', reason: 'lookbackExpired' });
  });
});

describe('episodes', () => {
  it('the first episode is named by group and device alone: not by when it was seen or run', () => {
    const early = startEpisode('rule', undefined, hit(['1'], '2026-11-20T00:00:00Z'), now);
    const late = startEpisode('rule', undefined, hit(['9'], '2026-11-26T00:00:00Z'), new Date(now.getTime() + DAY));
    expect(early.episodeId).toBe(late.episodeId);
    expect(early.episodeId).toBe(episodeIdFor('rule', 'd1', undefined));
    expect(early.sequence).toBe(0);
  });
  it('a next episode has a new id, refers to the previous and starts after it', () => {
    const state = known(hit(['1']));
    const next = startEpisode('rule', state, hit(['1', '2'], '2026-11-26T10:00:00Z', '2026-11-27T11:00:00Z'), now);
    expect(next.episodeId).not.toBe(state.episode!.episodeId);
    expect(next.episodeId).toBe(episodeIdFor('rule', 'd1', state.episode!.episodeId));
    expect(next.previousEpisodeId).toBe(state.episode!.episodeId);
    expect(next.episodeStart.getTime()).toBeGreaterThanOrEqual(state.lastSeen!.getTime());
  });
  it('merging is idempotent and counts distinct report ids', () => {
    const h = hit(['1', '2']);
    const state = known(h);
    const again = mergeHit(state, h, state.episode!);
    expect(again.reported.reportCount).toBe(2);
    expect(again.firstSeen).toEqual(state.firstSeen);
    expect(again.lastSeen).toEqual(state.lastSeen);
  });
});
