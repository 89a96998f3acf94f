import { describe, expect, it } from 'vitest';
import { escapeKey, unescapeKey, runTimeKey } from '../../../src/adapters/table/keys.js';

describe('table keys', () => {
  it('escapes every forbidden character reversibly', () => {
    const id = 'a/b\\c#d?e~f!g\u0000h\u001fi\u007fj\u009fk';
    const key = escapeKey(id);
    expect(key).not.toMatch(/[/\\#?\u0000-\u001f\u007f-\u009f!]/);
    expect(unescapeKey(key)).toBe(id);
  });
  it('keeps ordinary ids readable', () => {
    expect(escapeKey('4f5c2b0d9e1a')).toBe('4f5c2b0d9e1a');
  });
  it('hashes ids too long for a key, keeping distinct ids distinct', () => {
    const a = escapeKey('x'.repeat(2000) + 'a');
    const b = escapeKey('x'.repeat(2000) + 'b');
    expect(a.length).toBeLessThan(512);
    expect(a).not.toBe(b);
  });
  it('refuses an empty id', () => {
    expect(() => escapeKey('')).toThrow(/empty/);
  });
  it('orders run keys newest first', () => {
    expect(runTimeKey(new Date('2026-11-27T00:00:00Z')) < runTimeKey(new Date('2026-11-26T00:00:00Z'))).toBe(true);
  });
});
