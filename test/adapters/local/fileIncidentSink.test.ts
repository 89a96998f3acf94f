import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileIncidentSink } from '../../../src/adapters/local/fileIncidentSink.js';
import type { IncidentDraft } from '../../../src/core/model.js';

const draft: IncidentDraft = {
  incidentId: '5315f623-251f-56de-8cae-b7b48fe35803',
  ruleId: '7c20af02-4bce-4d6d-b609-3ddf5ca4fb59',
  deviceId: 'device-1',
  deviceName: 'wks-1',
  title: 'Ammyy Admin remote access tool (T1219) on wks-1',
  severity: 'Medium',
  status: 'New',
  firstActivity: new Date('2026-11-17T08:00:00Z'),
  lastActivity: new Date('2026-11-18T08:00:00Z'),
  labels: ['RMM', 'Ammyy', 'T1219'],
  description: '# Ammyy',
};

function sink(): FileIncidentSink {
  return new FileIncidentSink(path.join(mkdtempSync(path.join(os.tmpdir(), 'file-sink-')), 'out'));
}

/** What an analyst does in the local replay: edit the incident's status in incidents.jsonl. */
function setStatusByHand(target: FileIncidentSink, status: string): void {
  const lines = readFileSync(target.incidentsFile, 'utf8').trim().split('\n').map((line) => ({ ...JSON.parse(line), status }));
  writeFileSync(target.incidentsFile, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
}

describe('FileIncidentSink', () => {
  it('creates one line per incident and rewrites it in place on update', async () => {
    const target = sink();
    expect(await target.getStatus(draft.incidentId)).toBeUndefined();
    await target.upsert(draft);
    await target.upsert({ ...draft, lastActivity: new Date('2026-11-19T08:00:00Z') });
    const incidents = target.readIncidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ incidentId: draft.incidentId, status: 'New', lastActivity: '2026-11-19T08:00:00.000Z' });
  });

  it('keeps the status the SOC set: an update never reopens or resets it', async () => {
    const target = sink();
    await target.upsert(draft);
    setStatusByHand(target, 'Closed');
    await target.upsert({ ...draft, status: 'New' });
    expect(await target.getStatus(draft.incidentId)).toBe('Closed');
    setStatusByHand(target, 'Active');
    await target.upsert({ ...draft, status: 'New' });
    expect(await target.getStatus(draft.incidentId)).toBe('Active');
  });

  it('reopens a closed incident only when asked to (status Active)', async () => {
    const target = sink();
    await target.upsert(draft);
    setStatusByHand(target, 'Closed');
    await target.upsert({ ...draft, status: 'Active' });
    expect(await target.getStatus(draft.incidentId)).toBe('Active');
  });

  it('answers the status the incident has after the write', async () => {
    const target = sink();
    expect(await target.upsert(draft)).toBe('New');
    setStatusByHand(target, 'Closed');
    expect(await target.upsert({ ...draft, status: 'New' })).toBe('Closed');
    expect(await target.upsert({ ...draft, status: 'Active' })).toBe('Active');
  });

  it('rewrites a retried comment instead of adding a second one', async () => {
    const target = sink();
    const comment = { incidentId: draft.incidentId, commentId: 'c-1', message: 'new evidence: 1004' };
    await target.addComment(comment);
    await target.addComment(comment);
    expect(target.readComments()).toEqual([comment]);
  });

  it('names the file and line of a corrupt incidents file', async () => {
    const target = sink();
    await target.upsert(draft);
    writeFileSync(target.incidentsFile, readFileSync(target.incidentsFile, 'utf8') + '{not json\n');
    await expect(target.getStatus(draft.incidentId)).rejects.toThrow(/incidents\.jsonl:2: not valid JSON/);
  });
});
