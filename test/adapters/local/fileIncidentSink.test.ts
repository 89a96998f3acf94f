import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileIncidentSink } from '../../../src/adapters/local/fileIncidentSink.js';
import { testDetection } from '../../support/detections.js';

const created = testDetection({ episodeId: '5315f623-251f-56de-8cae-b7b48fe35803' });
const update = (sequence: number, extra: Parameters<typeof testDetection>[0] = {}) => testDetection({ episodeId: created.episodeId, sequence, ...extra });

function sink(): FileIncidentSink {
  return new FileIncidentSink(path.join(mkdtempSync(path.join(os.tmpdir(), 'file-sink-')), 'out'));
}

/** What an analyst does in the local replay: edit the incident's status in incidents.jsonl. */
function setStatusByHand(target: FileIncidentSink, status: string): void {
  const lines = readFileSync(target.incidentsFile, 'utf8').trim().split('\n').map((line) => ({ ...JSON.parse(line), status }));
  writeFileSync(target.incidentsFile, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
}

describe('FileIncidentSink', () => {
  it('keeps one incident per episode, its latest version, and one comment per update', async () => {
    const target = sink();
    expect(await target.readStatus(created.episodeId)).toBeUndefined();
    expect(await target.write([created])).toEqual([{ outcome: 'written', existed: false, status: 'New' }]);
    expect(await target.write([update(1, { lastSeen: new Date('2026-11-22T08:00:00Z') })])).toEqual([{ outcome: 'written', existed: true, status: 'New' }]);
    const incidents = target.readIncidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ incidentId: created.episodeId, status: 'New', lastActivity: '2026-11-22T08:00:00.000Z', firstActivity: '2026-11-20T10:00:00.000Z' });
    expect(target.readComments().map((c) => c.commentId)).toEqual([update(1).findingId]);
  });

  it('writes a batch at once and answers one result per detection', async () => {
    const target = sink();
    const others = [testDetection({ episodeId: 'e-2' }), testDetection({ episodeId: 'e-3' })];
    expect((await target.write([created, ...others])).map((r) => r.outcome)).toEqual(['written', 'written', 'written']);
    expect(target.readIncidents()).toHaveLength(3);
  });

  it('answers closed for a Closed incident and writes nothing, unless the detection reopens it', async () => {
    const target = sink();
    await target.write([created]);
    setStatusByHand(target, 'Closed');
    expect(await target.write([update(1)])).toEqual([{ outcome: 'closed', missing: false }]);
    expect(target.readComments()).toEqual([]);
    expect(await target.write([update(1, { reopenIfClosed: true })])).toEqual([{ outcome: 'written', existed: true, status: 'Active', reopened: true }]);
    expect(await target.readStatus(created.episodeId)).toBe('Active');
  });

  it('keeps the status the SOC set: an update never resets it', async () => {
    const target = sink();
    await target.write([created]);
    setStatusByHand(target, 'Active');
    await target.write([update(1)]);
    expect(await target.readStatus(created.episodeId)).toBe('Active');
  });

  it('answers missing for an update of an episode it does not have', async () => {
    expect(await sink().write([update(2)])).toEqual([{ outcome: 'closed', missing: true }]);
  });

  it('rewrites a retried update and its comment instead of adding a second one', async () => {
    const target = sink();
    await target.write([created]);
    await target.write([update(1)]);
    await target.write([update(1)]);
    expect(target.readComments()).toHaveLength(1);
  });

  it('sees a status set by hand between two batches of the same run', async () => {
    const target = sink();
    await target.write([created]);
    setStatusByHand(target, 'Closed');
    expect(await target.write([update(1)])).toEqual([{ outcome: 'closed', missing: false }]);
  });

  it('appends an update as the incident\'s new last line; a new sink reads the latest version and compacts the file', async () => {
    const target = sink();
    await target.write([created, testDetection({ episodeId: 'e-2' })]);
    await target.write([update(1, { lastSeen: new Date('2026-11-22T08:00:00Z') })]);
    const lines = () => readFileSync(target.incidentsFile, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { incidentId: string; lastActivity: string });
    expect(lines().map((line) => line.incidentId)).toEqual([created.episodeId, 'e-2', created.episodeId]);
    const next = new FileIncidentSink(target.outDir);
    expect(next.readIncidents().find((incident) => incident.incidentId === created.episodeId)?.lastActivity).toBe('2026-11-22T08:00:00.000Z');
    expect(lines().map((line) => [line.incidentId, line.lastActivity])).toEqual([
      [created.episodeId, '2026-11-22T08:00:00.000Z'],
      ['e-2', created.lastSeen.toISOString()],
    ]);
  });

  it('skips a torn last line (a crash in the middle of an append, never acknowledged) and cuts it off on the next append', async () => {
    const target = sink();
    await target.write([created]);
    appendFileSync(target.incidentsFile, '{"incidentId":"torn","descr');
    const next = new FileIncidentSink(target.outDir);
    expect(next.readIncidents().map((incident) => incident.incidentId)).toEqual([created.episodeId]);
    await next.write([testDetection({ episodeId: 'e-2' })]);
    expect(readFileSync(target.incidentsFile, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { incidentId: string }).incidentId)).toEqual([created.episodeId, 'e-2']);
  });

  it('names the file and line of a corrupt incidents file', async () => {
    const target = sink();
    await target.write([created]);
    writeFileSync(target.incidentsFile, readFileSync(target.incidentsFile, 'utf8') + '{not json\n');
    await expect(target.readStatus(created.episodeId)).rejects.toThrow(/incidents\.jsonl:2: not valid JSON/);
  });
});
