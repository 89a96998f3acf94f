import { describe, expect, it } from 'vitest';
import { episodeIdFor, findingIdFor, uuidV5 } from '../../src/core/ids.js';

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

describe('episodeIdFor and findingIdFor', () => {
  it('name an episode by group, device and the episode it follows, never by time', () => {
    expect(episodeIdFor('rule', 'dev', undefined)).toBe(episodeIdFor('rule', 'dev', undefined));
    const ids = new Set([
      episodeIdFor('rule', 'dev', undefined),
      episodeIdFor('rule2', 'dev', undefined),
      episodeIdFor('rule', 'dev2', undefined),
      episodeIdFor('rule', 'dev', 'e1'),
      episodeIdFor('ru', 'le|dev', undefined),
      episodeIdFor('rule|', 'dev', undefined),
      episodeIdFor('rule', 'dev', 'null'),
    ]);
    expect(ids.size).toBe(7);
  });
  it('name each detection of an episode by its sequence', () => {
    const episode = episodeIdFor('rule', 'dev', undefined);
    expect(findingIdFor(episode, 1)).toBe(findingIdFor(episode, 1));
    expect(new Set([findingIdFor(episode, 0), findingIdFor(episode, 1), findingIdFor(episodeIdFor('rule', 'dev', episode), 0)]).size).toBe(3);
  });
});
