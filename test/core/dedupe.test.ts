import { describe, expect, it } from 'vitest';
import { assessEvidence, decideEpisode, firstEpisode, mergeHit, nextEpisode } from '../../src/core/dedupe.js';
import type { Hit } from '../../src/core/model.js';
import type { DeviceState } from '../../src/core/state.js';

const DAY = 86_400_000;
const now = new Date('2026-11-27T12:00:00Z');
const grouping = { lookbackDurationMs: 7 * DAY, reopenClosedIncident: false };

function hit(reportIds: string[], first = '2026-11-26T10:00:00Z', last = '2026-11-26T11:00:00Z'): Hit {
  return { deviceId: 'd1', deviceName: 'pc1', firstSeen: new Date(first), lastSeen: new Date(last), reportIds, count: reportIds.length };
}

function known(h: Hit): DeviceState {
  const episode = { ...firstEpisode('rule', h, now), incidentWritten: true };
  return mergeHit(undefined, h, episode);
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
  it('a reservation whose incident was never confirmed is resumed', () => {
    const state = { ...known(hit(['1'])), episode: { ...firstEpisode('rule', hit(['1']), now), incidentWritten: false } };
    expect(assessEvidence(state, hit(['1'])).kind).toBe('reservedIncident');
  });
});

describe('decideEpisode', () => {
  const episode = known(hit(['1'])).episode!;
  it('open and within the look-back: update', () => {
    expect(decideEpisode(episode, 'Active', new Date(now.getTime() + DAY), grouping)).toEqual({ kind: 'update' });
    expect(decideEpisode(episode, 'New', new Date(now.getTime() + DAY), grouping)).toEqual({ kind: 'update' });
  });
  it('closed: a new episode, or reopen when configured', () => {
    expect(decideEpisode(episode, 'Closed', now, grouping)).toEqual({ kind: 'newEpisode', reason: 'closed' });
    expect(decideEpisode(episode, 'Closed', now, { ...grouping, reopenClosedIncident: true })).toEqual({ kind: 'reopen' });
  });
  it('look-back expired: a new episode even if still open', () => {
    expect(decideEpisode(episode, 'Active', new Date(now.getTime() + 8 * DAY), grouping)).toEqual({ kind: 'newEpisode', reason: 'lookbackExpired' });
  });
  it('incident gone from the sink: a new episode', () => {
    expect(decideEpisode(episode, undefined, now, grouping)).toEqual({ kind: 'newEpisode', reason: 'incidentMissing' });
  });
});

describe('episodes', () => {
  it('a next episode has a new id, refers to the previous and starts after it', () => {
    const state = known(hit(['1']));
    const next = nextEpisode('rule', state, hit(['1', '2'], '2026-11-26T10:00:00Z', '2026-11-27T11:00:00Z'), now);
    expect(next.incidentId).not.toBe(state.episode!.incidentId);
    expect(next.previousIncidentId).toBe(state.episode!.incidentId);
    expect(next.episodeStart.getTime()).toBeGreaterThan(state.episode!.episodeStart.getTime());
    expect(next.incidentWritten).toBe(false);
  });
  it('merging is idempotent and counts distinct evidence', () => {
    const h = hit(['1', '2']);
    const state = known(h);
    const again = mergeHit(state, h, state.episode!);
    expect(again.evidence.reportCount).toBe(2);
    expect(again.firstSeen).toEqual(state.firstSeen);
    expect(again.lastSeen).toEqual(state.lastSeen);
  });
});
