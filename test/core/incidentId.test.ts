import { describe, expect, it } from 'vitest';
import { incidentIdFor, updateCommentIdFor, uuidV5 } from '../../src/core/incidentId.js';

describe('uuidV5', () => {
  it('matches the RFC 4122 name-based SHA-1 construction (python uuid5 DNS vector)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('sets version 5 and the RFC variant', () => {
    const id = uuidV5('anything');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/not a UUID/);
  });
});

describe('incidentIdFor', () => {
  const start = new Date('2026-11-20T08:00:00Z');
  it('is the same for the same rule, device and episode start', () => {
    expect(incidentIdFor('rule', 'dev', start)).toBe(incidentIdFor('rule', 'dev', new Date(start.getTime())));
  });
  it('differs when any part differs, including ambiguous concatenations', () => {
    const ids = new Set([
      incidentIdFor('rule', 'dev', start),
      incidentIdFor('rule2', 'dev', start),
      incidentIdFor('rule', 'dev2', start),
      incidentIdFor('rule', 'dev', new Date(start.getTime() + 1)),
      incidentIdFor('ru', 'le|dev', start),
      incidentIdFor('rule|', 'dev', start),
    ]);
    expect(ids.size).toBe(6);
  });
  it('names update comments after the evidence they extend: count and activity span', () => {
    const before = { firstSeen: new Date('2026-11-20T10:00:00Z'), lastSeen: new Date('2026-11-20T11:00:00Z'), reportCount: 3 };
    // A retry of the same update starts from the same state: the same comment.
    expect(updateCommentIdFor('i', before)).toBe(updateCommentIdFor('i', { ...before, lastSeen: new Date(before.lastSeen.getTime()) }));
    const ids = new Set([
      updateCommentIdFor('i', before),
      updateCommentIdFor('i', { ...before, reportCount: 4 }),
      // Report ids repeat per device: later (or earlier) activity with no new id is a new update too.
      updateCommentIdFor('i', { ...before, lastSeen: new Date('2026-11-20T12:00:00Z') }),
      updateCommentIdFor('i', { ...before, firstSeen: new Date('2026-11-20T09:00:00Z') }),
      updateCommentIdFor('j', before),
      updateCommentIdFor('i', { firstSeen: undefined, lastSeen: undefined, reportCount: 3 }),
    ]);
    expect(ids.size).toBe(6);
  });
});
