import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/adapters/local/atomicFile.js';

describe('writeFileAtomic', () => {
  it('replaces the whole file and leaves no temporary file behind', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
    const file = path.join(folder, 'incidents.jsonl');
    writeFileSync(file, 'old\n');
    writeFileAtomic(file, 'new line 1\nnew line 2\n');
    expect(readFileSync(file, 'utf8')).toBe('new line 1\nnew line 2\n');
    expect(readdirSync(folder)).toEqual(['incidents.jsonl']);
  });

  it('leaves the target as it was, and no temporary file, when the replacement fails', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
    const target = path.join(folder, 'occupied');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), 'kept');
    // A file cannot be renamed over a non-empty folder.
    expect(() => writeFileAtomic(target, 'replacement')).toThrow();
    expect(readdirSync(folder)).toEqual(['occupied']);
    expect(readFileSync(path.join(target, 'inside'), 'utf8')).toBe('kept');
  });
});
