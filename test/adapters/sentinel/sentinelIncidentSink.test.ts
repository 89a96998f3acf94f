import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../../src/adapters/callLog.js';
import { SentinelIncidentSink } from '../../../src/adapters/sentinel/index.js';
import type { IncidentDraft } from '../../../src/core/model.js';
import { createIncidentRenderer } from '../../../src/incidents/index.js';
import { FixedTokenCredential } from '../../support/contractServers/fixedTokenCredential.js';
import { serviceErrorBody } from '../../support/contractServers/httpsContractServer.js';
import { SentinelContractServer } from '../../support/contractServers/sentinelContractServer.js';
import { enrichedHit } from '../../support/incidentFixtures.js';
import { loopbackPipelineOptions } from '../../support/contractServers/loopbackPipeline.js';
import { testRule } from '../../support/rules.js';

const rule = testRule();

const workspace = { subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'rg-soc', workspaceName: 'law-sentinel' };
const server = new SentinelContractServer(workspace);
let callLog: CallLog;
let credential: FixedTokenCredential;

function sink(overrides: Partial<typeof workspace> = {}): SentinelIncidentSink {
  return new SentinelIncidentSink({
    credential,
    armEndpoint: server.url,
    ...workspace,
    ...overrides,
    callLog,
    pipelineOptions: loopbackPipelineOptions(),
  });
}

const renderer = createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' });
let sequence = 0;
function draft(): IncidentDraft {
  sequence += 1;
  return renderer.renderIncident(rule, enrichedHit(), { incidentId: `ammyy-${sequence}`, episodeStart: new Date('2026-11-20T11:00:00Z'), previousIncidentId: undefined });
}
const incidentPath = (id: string) => `/subscriptions/${workspace.subscriptionId}/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-sentinel/providers/Microsoft.SecurityInsights/incidents/${id}`;

beforeAll(async () => { await server.start(); });
afterAll(async () => { await server.stop(); });
beforeEach(() => {
  callLog = new CallLog();
  credential = new FixedTokenCredential();
});

describe('SentinelIncidentSink against the Sentinel incidents contract', () => {
  it('creates the incident without an etag, with every field the SOC triages from', async () => {
    const incident = draft();
    expect(await sink().getStatus(incident.incidentId)).toBeUndefined();
    await sink().upsert(incident);
    const put = server.requests.filter((request) => request.method === 'PUT').at(-1)!;
    expect(put.query.get('api-version')).toBe('2025-09-01');
    expect(JSON.parse(put.body)).not.toHaveProperty('etag');
    expect(server.incidents.get(incident.incidentId)!.properties).toEqual({
      title: incident.title,
      description: incident.description,
      severity: 'Medium',
      status: 'New',
      labels: ['RMM', 'Ammyy', 'T1219', rule.id].map((labelName) => ({ labelName, labelType: 'User' })),
      firstActivityTimeUtc: '2026-11-20T10:00:00.000Z',
      lastActivityTimeUtc: '2026-11-21T08:30:00.000Z',
    });
    expect(await sink().getStatus(incident.incidentId)).toBe('New');
    expect(credential.scopesRequested).toContain(`${server.url}/.default`);
    expect(callLog.entries().map((entry) => `${entry.method} ${entry.status}`)).toEqual(['GET 404', 'GET 404', 'PUT 201', 'GET 200']);
    expect(callLog.entries()[2]!.path).toBe(incidentPath(incident.incidentId));
  });

  it('is idempotent: writing the same draft twice leaves one incident', async () => {
    const incident = draft();
    await sink().upsert(incident);
    await sink().upsert(incident);
    expect([...server.incidents.keys()].filter((id) => id === incident.incidentId)).toHaveLength(1);
  });

  it('updates with the current etag and keeps what the SOC set', async () => {
    const incident = draft();
    await sink().upsert(incident);
    const owner = { assignedTo: 'Dana Analyst', userPrincipalName: 'dana@contoso.com', objectId: '9b1c0000-0000-0000-0000-000000000001' };
    server.analyst(incident.incidentId, { owner, status: 'Active', severity: 'High', labels: [...(server.incidents.get(incident.incidentId)!.properties.labels as unknown[]), { labelName: 'Finance', labelType: 'User' }] });
    const etag = server.incidents.get(incident.incidentId)!.etag;
    await sink().upsert({ ...incident, description: 'updated evidence', lastActivity: new Date('2026-11-22T09:00:00Z'), firstActivity: new Date('2026-11-21T00:00:00Z') });
    const put = JSON.parse(server.requests.filter((request) => request.method === 'PUT').at(-1)!.body) as { etag: string };
    expect(put.etag).toBe(etag);
    const stored = server.incidents.get(incident.incidentId)!.properties;
    expect(stored).toMatchObject({ owner, status: 'Active', severity: 'High', description: 'updated evidence', firstActivityTimeUtc: '2026-11-20T10:00:00.000Z', lastActivityTimeUtc: '2026-11-22T09:00:00.000Z' });
    expect((stored.labels as { labelName: string }[]).map((label) => label.labelName)).toEqual(['RMM', 'Ammyy', 'T1219', rule.id, 'Finance']);
  });

  // The service refuses a PUT with a stale etag with 409 Conflict, "Newer version of resource '<id>' exists. Data
  // was not saved" (reported in Azure/Azure-Sentinel#909 and #883, azsec/azure-sentinel-tools#4).
  it('on 409 (stale etag) re-reads and re-applies on top of the concurrent change', async () => {
    const incident = draft();
    await sink().upsert(incident);
    server.onceBeforeNextWrite(() => server.analyst(incident.incidentId, { owner: { assignedTo: 'Sam' } }));
    await sink().upsert({ ...incident, description: 'second write' });
    expect(callLog.entries().slice(-4).map((entry) => `${entry.method} ${entry.status}`)).toEqual(['GET 200', 'PUT 409', 'GET 200', 'PUT 200']);
    expect(server.incidents.get(incident.incidentId)!.properties).toMatchObject({ description: 'second write', owner: { assignedTo: 'Sam' } });
  });

  it('does not retry a 412: the service does not send it for a stale etag, so it is reported like any undocumented answer', async () => {
    const incident = draft();
    await sink().upsert(incident);
    server.failNext({ status: 412, body: serviceErrorBody('PreconditionFailed', 'precondition') }, 1, (request) => request.method === 'PUT');
    await expect(sink().upsert({ ...incident, description: 'after 412' })).rejects.toThrow(/412/);
    expect(callLog.entries().filter((entry) => entry.method === 'PUT').at(-1)?.status).toBe(412);
  });

  it('leaves a closed incident closed with its classification, unless the draft asks to reopen', async () => {
    const incident = draft();
    await sink().upsert(incident);
    server.analyst(incident.incidentId, { status: 'Closed', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', classificationComment: 'IT support' });
    await sink().upsert(incident);
    expect(server.incidents.get(incident.incidentId)!.properties).toMatchObject({ status: 'Closed', classification: 'BenignPositive', classificationComment: 'IT support' });
    await sink().upsert({ ...incident, status: 'Active' });
    const reopened = server.incidents.get(incident.incidentId)!.properties;
    expect(reopened.status).toBe('Active');
    expect(reopened).not.toHaveProperty('classification');
  });

  it('answers the status the incident has after the write, also when the SOC closes it between read and write', async () => {
    const incident = draft();
    expect(await sink().upsert(incident)).toBe('New');
    server.analyst(incident.incidentId, { status: 'Active' });
    expect(await sink().upsert(incident)).toBe('Active');
    // The analyst closes it after the sink read it: the PUT gets 409, the re-read sees Closed.
    server.onceBeforeNextWrite(() => server.analyst(incident.incidentId, { status: 'Closed', classification: 'FalsePositive' }));
    expect(await sink().upsert({ ...incident, description: 'closed under us' })).toBe('Closed');
    expect(server.incidents.get(incident.incidentId)!.properties.status).toBe('Closed');
    expect(await sink().upsert({ ...incident, status: 'Active' })).toBe('Active');
  });

  it('writes a comment on re-detection, idempotently by comment id', async () => {
    const incident = draft();
    await sink().upsert(incident);
    const comment = renderer.renderUpdateComment(rule, enrichedHit(), { incidentId: incident.incidentId, episodeStart: new Date('2026-11-20T11:00:00Z'), previousIncidentId: undefined }, ['1004'], 'run-2026-11-22T10');
    await sink().addComment(comment);
    await sink().addComment(comment);
    const comments = server.incidents.get(incident.incidentId)!.comments;
    expect([...comments.keys()]).toEqual(['run-2026-11-22T10']);
    expect(comments.get('run-2026-11-22T10')!.message).toContain('`1004`');
    expect(callLog.entries().slice(-2).map((entry) => `${entry.method} ${entry.status} ${entry.path.split('/').slice(-2).join('/')}`)).toEqual([
      'PUT 201 comments/run-2026-11-22T10',
      'PUT 200 comments/run-2026-11-22T10',
    ]);
  });

  it('honours Retry-After on 429 and retries a 500', async () => {
    const incident = draft();
    server.failNext({ status: 429, headers: { 'retry-after': '1' }, body: serviceErrorBody('TooManyRequests', 'throttled') }, 1, (request) => request.method === 'GET');
    server.failNext({ status: 500, body: serviceErrorBody('InternalServerError', 'transient') }, 1, (request) => request.method === 'PUT');
    const started = Date.now();
    await sink().upsert(incident);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.incidents.has(incident.incidentId)).toBe(true);
    expect(callLog.entries().map((entry) => `${entry.method} ${entry.status} x${entry.attempts}`)).toEqual(['GET 404 x2', 'PUT 201 x2']);
    expect(callLog.retries()).toBe(2);
  });

  it('throws with the service message on 403 so the pipeline does not advance', async () => {
    server.failNext({ status: 403, body: serviceErrorBody('AuthorizationFailed', "The client 'abc' does not have authorization to perform action 'Microsoft.SecurityInsights/incidents/write'") }, 1, (request) => request.method === 'PUT');
    await expect(sink().upsert(draft())).rejects.toThrow(/HTTP 403 AuthorizationFailed: The client 'abc'.*Microsoft Sentinel Responder/);
  });

  it('throws on a 400 with the service message instead of losing the write', async () => {
    await expect(sink().upsert({ ...draft(), severity: 'Critical' as never })).rejects.toThrow(/HTTP 400 BadRequest: properties.severity must be one of/);
  });

  it('names the configuration when the resource group does not exist', async () => {
    await expect(sink({ resourceGroup: 'rg-typo' }).getStatus('x')).rejects.toThrow(/HTTP 404 ResourceGroupNotFound.*SENTINEL_RESOURCE_GROUP/);
  });

  it('refuses a comment on a missing incident with a clear message', async () => {
    await expect(sink().addComment({ incidentId: 'missing', commentId: 'c', message: 'x' })).rejects.toThrow(/HTTP 404.*comments are written after the incident/);
  });
});
