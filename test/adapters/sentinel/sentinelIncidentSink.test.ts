import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../../src/adapters/callLog.js';
import { SentinelIncidentSink } from '../../../src/adapters/sentinel/index.js';
import { HUNTER_COMMENTS } from '../../../src/adapters/sentinel/sentinelIncidentSink.js';
import type { Detection } from '../../../src/core/detection.js';
import { FixedTokenCredential } from '../../support/contractServers/fixedTokenCredential.js';
import { serviceErrorBody } from '../../support/contractServers/httpsContractServer.js';
import { SentinelContractServer } from '../../support/contractServers/sentinelContractServer.js';
import { loopbackPipelineOptions } from '../../support/contractServers/loopbackPipeline.js';
import { testRule } from '../../support/rules.js';

const rule = testRule();
import { testDetection, type TestDetectionOptions } from '../../support/detections.js';

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

let sequence = 0;
/** A new episode's first detection, as the pipeline hands it over. */
function created(): Detection {
  sequence += 1;
  return testDetection({ episodeId: `ammyy-${sequence}` });
}
const updateOf = (detection: Detection, extra: TestDetectionOptions = {}) => testDetection({ episodeId: detection.episodeId, sequence: 1, ...extra });
/** Writes one detection and returns its result. */
const writeOne = async (detection: Detection, target = sink()) => (await target.write([detection]))[0]!;
const incidentPath = (id: string) => `/subscriptions/${workspace.subscriptionId}/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-sentinel/providers/Microsoft.SecurityInsights/incidents/${id}`;

beforeAll(async () => { await server.start(); });
afterAll(async () => { await server.stop(); });
beforeEach(() => {
  callLog = new CallLog();
  credential = new FixedTokenCredential();
});

describe('SentinelIncidentSink against the Sentinel incidents contract', () => {
  it('keeps within the 100 comments an incident holds (sentinel-service-limits): from the 80th update on, one comment carries the newest', async () => {
    const detection = created();
    await writeOne(detection);
    const target = sink();
    for (let update = 1; update <= 120; update += 1) {
      const result = await writeOne(testDetection({ episodeId: detection.episodeId, sequence: update, updateComment: `update ${update}` }), target);
      expect(result.outcome, `update ${update}`).toBe('written');
    }
    // An analyst's comments still fit beside the hunter's.
    const comments = [...server.incidents.get(detection.episodeId)!.comments.values()].map((comment) => comment.message);
    expect(comments).toHaveLength(HUNTER_COMMENTS);
    expect(comments.at(-1)).toMatch(/^_Update 120: .*\n\nupdate 120$/s);
    expect(comments.filter((message) => message === 'update 79')).toHaveLength(1);
  });


  it('creates the incident without an etag, with every field the SOC triages from, in one read and one PUT', async () => {
    const detection = created();
    expect(await sink().readStatus(detection.episodeId)).toBeUndefined();
    // The link is the service's incidentUrl, never built by hand.
    expect(await writeOne(detection)).toEqual({ outcome: 'written', existed: false, status: 'New', link: `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident${incidentPath(detection.episodeId)}` });
    const put = server.requests.filter((request) => request.method === 'PUT').at(-1)!;
    expect(put.query.get('api-version')).toBe('2025-09-01');
    expect(JSON.parse(put.body)).not.toHaveProperty('etag');
    expect(server.incidents.get(detection.episodeId)!.properties).toEqual({
      title: detection.text.title,
      description: detection.text.description,
      severity: 'Medium',
      status: 'New',
      labels: ['RMM', 'Ammyy', 'T1219', rule.id].map((labelName) => ({ labelName, labelType: 'User' })),
      firstActivityTimeUtc: '2026-11-20T10:00:00.000Z',
      lastActivityTimeUtc: '2026-11-21T08:30:00.000Z',
    });
    expect(await sink().readStatus(detection.episodeId)).toBe('New');
    expect(credential.scopesRequested).toContain(`${server.url}/.default`);
    expect(callLog.entries().map((entry) => `${entry.method} ${entry.status}`)).toEqual(['GET 404', 'GET 404', 'PUT 201', 'GET 200']);
    expect(callLog.entries()[2]!.path).toBe(incidentPath(detection.episodeId));
  });

  it('is idempotent: writing the same detection twice leaves one incident, and says the second found it', async () => {
    const detection = created();
    await writeOne(detection);
    expect(await writeOne(detection)).toMatchObject({ outcome: 'written', existed: true });
    expect([...server.incidents.keys()].filter((id) => id === detection.episodeId)).toHaveLength(1);
  });

  it('writes a batch with one result per detection, a failing one among them', async () => {
    const good = [created(), created()];
    const bad = { ...created(), rule: { ...created().rule, severity: 'Critical' as never } };
    const results = await sink().write([good[0]!, bad, good[1]!]);
    expect(results.map((r) => r.outcome)).toEqual(['written', 'failed', 'written']);
    expect(results[1]).toMatchObject({ permanent: true, message: expect.stringMatching(/HTTP 400 BadRequest/) });
  });

  it('updates with the current etag, keeps what the SOC set, and adds the update comment named by the finding', async () => {
    const detection = created();
    await writeOne(detection);
    const owner = { assignedTo: 'Dana Analyst', userPrincipalName: 'dana@contoso.com', objectId: '9b1c0000-0000-0000-0000-000000000001' };
    server.analyst(detection.episodeId, { owner, status: 'Active', severity: 'High', labels: [...(server.incidents.get(detection.episodeId)!.properties.labels as unknown[]), { labelName: 'Finance', labelType: 'User' }] });
    const etag = server.incidents.get(detection.episodeId)!.etag;
    const update = updateOf(detection, { description: 'updated evidence', lastSeen: new Date('2026-11-22T09:00:00Z'), firstSeen: new Date('2026-11-21T00:00:00Z') });
    callLog = new CallLog();
    expect(await writeOne(update)).toMatchObject({ outcome: 'written', existed: true, status: 'Active' });
    // One read per update: the etag and the SOC's status come with it.
    expect(callLog.entries().map((entry) => `${entry.method} ${entry.status}`)).toEqual(['GET 200', 'PUT 200', 'PUT 201']);
    const put = JSON.parse(server.requests.filter((request) => request.method === 'PUT' && !request.path.includes('/comments/')).at(-1)!.body) as { etag: string };
    expect(put.etag).toBe(etag);
    const stored = server.incidents.get(detection.episodeId)!;
    expect(stored.properties).toMatchObject({ owner, status: 'Active', severity: 'High', description: 'updated evidence', firstActivityTimeUtc: '2026-11-20T10:00:00.000Z', lastActivityTimeUtc: '2026-11-22T09:00:00.000Z' });
    expect((stored.properties.labels as { labelName: string }[]).map((label) => label.labelName)).toEqual(['RMM', 'Ammyy', 'T1219', rule.id, 'Finance']);
    expect([...stored.comments.keys()]).toEqual([update.findingId]);
    expect(stored.comments.get(update.findingId)!.message).toContain('`1004`');
  });

  // The service refuses a PUT with a stale etag with 409 Conflict, "Newer version of resource '<id>' exists. Data
  // was not saved" (reported in Azure/Azure-Sentinel#909 and #883, azsec/azure-sentinel-tools#4).
  it('on 409 (stale etag) re-reads and re-applies on top of the concurrent change', async () => {
    const detection = created();
    await writeOne(detection);
    server.onceBeforeNextWrite(() => server.analyst(detection.episodeId, { owner: { assignedTo: 'Sam' } }));
    await writeOne(updateOf(detection, { description: 'second write' }));
    expect(callLog.entries().slice(-5).map((entry) => `${entry.method} ${entry.status}`)).toEqual(['GET 200', 'PUT 409', 'GET 200', 'PUT 200', 'PUT 201']);
    expect(server.incidents.get(detection.episodeId)!.properties).toMatchObject({ description: 'second write', owner: { assignedTo: 'Sam' } });
  });

  it('does not retry a 412: the service does not send it for a stale etag, so it is a failure like any undocumented answer', async () => {
    const detection = created();
    await writeOne(detection);
    server.failNext({ status: 412, body: serviceErrorBody('PreconditionFailed', 'precondition') }, 1, (request) => request.method === 'PUT');
    expect(await writeOne(updateOf(detection, { description: 'after 412' }))).toMatchObject({ outcome: 'failed', permanent: false, message: expect.stringMatching(/412/) });
    expect(callLog.entries().filter((entry) => entry.method === 'PUT').at(-1)?.status).toBe(412);
  });

  it('answers closed for a Closed incident and leaves it and its classification alone, unless the detection reopens it', async () => {
    const detection = created();
    await writeOne(detection);
    server.analyst(detection.episodeId, { status: 'Closed', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', classificationComment: 'IT support' });
    expect(await writeOne(updateOf(detection))).toEqual({ outcome: 'closed', missing: false });
    expect(server.incidents.get(detection.episodeId)!.properties).toMatchObject({ status: 'Closed', classification: 'BenignPositive', classificationComment: 'IT support' });
    expect(server.incidents.get(detection.episodeId)!.comments.size).toBe(0);
    expect(await writeOne(updateOf(detection, { reopenIfClosed: true }))).toMatchObject({ outcome: 'written', existed: true, status: 'Active', reopened: true });
    const reopened = server.incidents.get(detection.episodeId)!.properties;
    expect(reopened.status).toBe('Active');
    expect(reopened).not.toHaveProperty('classification');
  });

  it('answers closed when the SOC closes the incident between the read and the write', async () => {
    const detection = created();
    await writeOne(detection);
    // The analyst closes it after the sink read it: the PUT gets 409, the re-read sees Closed.
    server.onceBeforeNextWrite(() => server.analyst(detection.episodeId, { status: 'Closed', classification: 'FalsePositive' }));
    expect(await writeOne(updateOf(detection, { description: 'closed under us' }))).toEqual({ outcome: 'closed', missing: false });
    expect(server.incidents.get(detection.episodeId)!.properties.status).toBe('Closed');
  });

  it('answers missing for an update of an incident that no longer exists', async () => {
    expect(await writeOne(updateOf(created()))).toEqual({ outcome: 'closed', missing: true });
  });

  it('rewrites a retried update comment instead of adding one', async () => {
    const detection = created();
    await writeOne(detection);
    const update = updateOf(detection);
    await writeOne(update);
    await writeOne(update);
    const comments = server.incidents.get(detection.episodeId)!.comments;
    expect([...comments.keys()]).toEqual([update.findingId]);
    expect(callLog.entries().filter((entry) => entry.path.includes('/comments/')).map((entry) => entry.status)).toEqual([201, 200]);
  });

  it('honours Retry-After on 429 and retries a 500', async () => {
    const detection = created();
    server.failNext({ status: 429, headers: { 'retry-after': '1' }, body: serviceErrorBody('TooManyRequests', 'throttled') }, 1, (request) => request.method === 'GET');
    server.failNext({ status: 500, body: serviceErrorBody('InternalServerError', 'transient') }, 1, (request) => request.method === 'PUT');
    const started = Date.now();
    expect(await writeOne(detection)).toMatchObject({ outcome: 'written' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.incidents.has(detection.episodeId)).toBe(true);
    expect(callLog.entries().map((entry) => `${entry.method} ${entry.status} x${entry.attempts}`)).toEqual(['GET 404 x2', 'PUT 201 x2']);
    expect(callLog.retries()).toBe(2);
  });

  it('fails a 403 with the service message, as retryable: it is about the identity, not this incident', async () => {
    server.failNext({ status: 403, body: serviceErrorBody('AuthorizationFailed', "The client 'abc' does not have authorization to perform action 'Microsoft.SecurityInsights/incidents/write'") }, 1, (request) => request.method === 'PUT');
    const result = await writeOne(created());
    expect(result).toMatchObject({ outcome: 'failed', permanent: false });
    expect(result.outcome === 'failed' ? result.message : '').toMatch(/HTTP 403 AuthorizationFailed: The client 'abc'.*Microsoft Sentinel Responder/);
  });

  it('fails a 400 as permanent with the service message: retrying the same incident cannot help', async () => {
    const detection = created();
    const result = await writeOne({ ...detection, rule: { ...detection.rule, severity: 'Critical' as never } });
    expect(result).toMatchObject({ outcome: 'failed', permanent: true, message: expect.stringMatching(/HTTP 400 BadRequest: properties.severity must be one of/) });
  });

  it('names the configuration when the resource group does not exist', async () => {
    await expect(sink({ resourceGroup: 'rg-typo' }).readStatus('x')).rejects.toThrow(/HTTP 404 ResourceGroupNotFound.*SENTINEL_RESOURCE_GROUP/);
    expect(await writeOne(created(), sink({ resourceGroup: 'rg-typo' }))).toMatchObject({ outcome: 'failed', permanent: false, message: expect.stringMatching(/SENTINEL_RESOURCE_GROUP/) });
  });
});
