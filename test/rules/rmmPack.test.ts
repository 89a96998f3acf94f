/**
 * rules/rmm is the upstream RMM corpus (test/fixtures/rmm-rules, vendored) repaired and given the
 * hunter's fields: every upstream per-tool rule is there, its upstream lines kept but for repairs each
 * rule notes, and the three rules of a tool share one detection group (one episode per tool and device).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRule } from '../../src/rules/load.js';

const corpus = 'test/fixtures/rmm-rules';
const pack = 'rules/rmm';
const MARKER = '\n# --- ammyy-hunter fields';
const upstreamRules = readdirSync(corpus, { recursive: true, encoding: 'utf8' })
  .filter((entry) => /^[^/]+\/rmm_.*\.yaml$/.test(entry))
  .sort();

/** The upstream part of a pack rule: above the hunter's fields, without the schema comment on top. */
const upstreamPart = (text: string) => text.slice(0, text.indexOf(MARKER)).replace(/^# yaml-language-server:.*\n/, '');
const repairNotes = (text: string) => text.slice(text.indexOf(MARKER)).split('\n').filter((line) => line.startsWith('#   - '));

describe('the RMM rule pack', () => {
  it('has every per-tool upstream rule, under the same folder and name, with the same id', () => {
    expect(upstreamRules).toHaveLength(167);
    for (const entry of upstreamRules) {
      const rule = loadRule(path.join(pack, entry));
      expect(rule.id).toBe(/^id: (.*)$/m.exec(readFileSync(path.join(corpus, entry), 'utf8'))![1]!.trim());
    }
  });

  it('keeps the upstream lines but where a noted repair changes them', () => {
    for (const entry of upstreamRules) {
      // Line ends aside (some upstream files have CRLF, the pack has LF throughout).
      const upstream = readFileSync(path.join(corpus, entry), 'utf8').trimEnd().split(/\r?\n/);
      const ours = upstreamPart(readFileSync(path.join(pack, entry), 'utf8')).trimEnd().split('\n');
      const notes = repairNotes(readFileSync(path.join(pack, entry), 'utf8'));
      const changed = ours.flatMap((line, index) => (line === upstream[index] ? [] : [index]));
      // The indentation of dataTypes is repaired in every file; any other change is in the query, and noted.
      expect(notes[0], entry).toMatch(/indents `dataTypes`/);
      expect(ours.length, entry).toBe(upstream.length);
      const queryStart = ours.indexOf('query: |');
      expect(changed.filter((index) => index < queryStart).map((index) => ours[index]), entry).toEqual(['      dataTypes:']);
      if (changed.length > 1) expect(notes.length, `${entry} changes its query without a note`).toBeGreaterThan(1);
    }
  });

  it('groups the rules of one tool, and only them, and scopes their report ids by table', () => {
    const groups = new Map<string, Set<string>>();
    for (const entry of upstreamRules) {
      const rule = loadRule(path.join(pack, entry));
      const tool = entry.split('/')[0]!;
      expect(rule.detectionGroup, entry).toBeDefined();
      expect(rule.reportIdScope, entry).toBe(rule.requiredDataConnectors[0]!.dataTypes[0]);
      groups.set(rule.detectionGroup!, (groups.get(rule.detectionGroup!) ?? new Set()).add(tool));
    }
    expect([...groups.values()].filter((tools) => tools.size !== 1)).toEqual([]);
  });
});
