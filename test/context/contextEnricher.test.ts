import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defenderQueryLimits } from '../../src/adapters/defender/defenderLimits.js';
import { LocalKqlBackend } from '../../src/adapters/local/localKqlBackend.js';
import { createContextEnricher, withSentinelIdentityInfo } from '../../src/context/index.js';
import type { Hit, QueryRequest, QueryResult } from '../../src/core/model.js';
import type { Logger, QueryBackend } from '../../src/core/ports.js';
import { openDataDir } from '../../src/data/index.js';
import { defaultCatalogue } from '../../src/kql/index.js';
import type { HuntRule } from '../../src/rules/rule.js';
import { testRule } from '../support/rules.js';

const now = new Date('2026-11-20T12:00:00Z');
const window = { start: new Date('2026-11-15T12:00:00Z'), end: now };
const SHA1 = 'b3a6c5e7d1f24a8b9c0d1e2f3a4b5c6d7e8f9a0b';

/** Device ids that would break out of a naively quoted literal, beside an ordinary one. */
const hostileIds = [
  "quote' or DeviceId != '",
  'double" or DeviceId != "',
  'back\\slash\\',
  'new\nline',
  'pipe | where true',
  '// comment',
  '  padded with spaces  ',
  '\\\'"; DeviceProcessEvents | take 1 //',
];
const ordinaryIds = ['victim-1', 'victim-2', 'victim-3'];

let dataDir: string;
/** The same evidence with IdentityInfo as Defender has it: Defender's columns, no GroupMembership. */
let defenderDataDir: string;
let rule: HuntRule;

function hitFor(deviceId: string): Hit {
  return { deviceId, deviceName: `name of ${deviceId}`, firstSeen: window.start, lastSeen: now, reportIds: ['1'], eventCount: 1 };
}

function jsonl(rows: object[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'context-'));
  const devices = [...hostileIds, ...ordinaryIds];
  await writeFile(join(dataDir, 'DeviceFileCertificateInfo.jsonl'), jsonl(devices.map((id, index) => ({
    Timestamp: '2026-11-18T00:00:00Z', DeviceId: id, DeviceName: `name of ${id}`, SHA1, Signer: 'Ammyy LLC', ReportId: index + 1,
  }))));
  await writeFile(join(dataDir, 'DeviceProcessEvents.jsonl'), jsonl(devices.map((id, index) => ({
    Timestamp: '2026-11-18T00:01:00Z', DeviceId: id, DeviceName: `name of ${id}`, ActionType: 'ProcessCreated', FileName: 'ammyy.exe',
    FolderPath: 'C:\\Tools\\ammyy.exe', SHA1, ProcessId: 100 + index, ProcessCreationTime: '2026-11-18T00:01:00Z',
    InitiatingProcessFileName: 'explorer.exe', AccountDomain: 'CONTOSO', AccountName: 'anna', AccountUpn: 'anna@contoso.com',
  }))));
  await writeFile(join(dataDir, 'IdentityInfo.jsonl'), jsonl([
    { TimeGenerated: '2026-11-18T00:00:00Z', AccountName: 'anna', AccountDomain: 'contoso.com', AccountUPN: 'anna@contoso.com', GroupMembership: ['IT Support'] },
  ]));
  defenderDataDir = await mkdtemp(join(tmpdir(), 'context-defender-'));
  for (const table of ['DeviceFileCertificateInfo', 'DeviceProcessEvents']) {
    await writeFile(join(defenderDataDir, `${table}.jsonl`), await readFile(join(dataDir, `${table}.jsonl`), 'utf8'));
  }
  await writeFile(join(defenderDataDir, 'IdentityInfo.jsonl'), jsonl([
    { Timestamp: '2026-11-18T00:00:00Z', AccountName: 'anna', AccountDomain: 'contoso.com', AccountUpn: 'anna@contoso.com' },
  ]));
  rule = testRule();
});

class RecordingBackend implements QueryBackend {
  readonly name = 'recording';
  readonly requests: QueryRequest[] = [];
  constructor(private readonly inner: QueryBackend) {}
  run(request: QueryRequest): Promise<QueryResult> {
    this.requests.push(request);
    return this.inner.run(request);
  }
}

function localBackend(withGroups = true): RecordingBackend {
  const catalogue = withGroups ? withSentinelIdentityInfo(defaultCatalogue) : defaultCatalogue;
  return new RecordingBackend(new LocalKqlBackend(openDataDir(withGroups ? dataDir : defenderDataDir, catalogue), { now: () => now }));
}

function collectingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
}

describe('KQL escaping of device ids', () => {
  it.each(hostileIds)('a device named %j matches only itself on the local evaluator', async (deviceId) => {
    const backend = localBackend();
    const { contexts } = await createContextEnricher(backend, { maxBatchSize: 10 }).enrich(rule, [hitFor(deviceId)], window);
    expect([...contexts.keys()]).toEqual([deviceId]);
    expect(contexts.get(deviceId)?.activities.map((activity) => activity.fields['host.id'])).toEqual([[deviceId]]);
    // Filtering after the query would hide an injection: the query itself must return only this device.
    const contextRequest = backend.requests[0];
    expect(contextRequest?.query).toContain('HitDeviceIds = dynamic([');
    const result = await localBackend().run(contextRequest!);
    expect(new Set(result.rows.map((row) => row['DeviceId']))).toEqual(new Set([deviceId]));
  });

  it('binds all hostile ids of one batch and still returns exactly those devices', async () => {
    const { contexts } = await createContextEnricher(localBackend(), { maxBatchSize: 50 }).enrich(rule, hostileIds.map(hitFor), window);
    expect(new Set(contexts.keys())).toEqual(new Set(hostileIds));
  });
});

describe('batching', () => {
  it('runs one context query per batch of devices, with the hunt window and purpose context', async () => {
    const backend = localBackend();
    const devices = [...ordinaryIds, ...hostileIds.slice(0, 2)];
    const { contexts } = await createContextEnricher(backend, { maxBatchSize: 2 }).enrich(rule, devices.map(hitFor), window);
    const contextRequests = backend.requests.filter((request) => !request.query.includes('IdentityInfo'));
    expect(contextRequests).toHaveLength(3);
    expect(contextRequests.every((request) => request.purpose === 'context' && request.window === window)).toBe(true);
    expect(contextRequests[0]?.query).toContain('let Time_start = datetime(2026-11-15T12:00:00.000Z);');
    expect(contextRequests[0]?.query).toContain('let HitDeviceIds = dynamic(["victim-1", "victim-2"]);');
    expect(new Set(contexts.keys())).toEqual(new Set(devices));
  });

  it('asks once per device even when hits repeat it, and not at all without hits or without a context query', async () => {
    const backend = localBackend();
    const enricher = createContextEnricher(backend, { maxBatchSize: 2 });
    await enricher.enrich(rule, [hitFor('victim-1'), hitFor('victim-1')], window);
    expect(backend.requests.filter((request) => request.query.includes('HitDeviceIds = dynamic(["victim-1"])'))).toHaveLength(1);
    const before = backend.requests.length;
    expect((await enricher.enrich(rule, [], window)).contexts.size).toBe(0);
    expect((await enricher.enrich({ ...rule, contextQuery: undefined }, [hitFor('victim-1')], window)).contexts.size).toBe(0);
    expect(backend.requests.length).toBe(before);
  });

  it('rejects a batch size that is not a positive integer', () => {
    expect(() => createContextEnricher(localBackend(), { maxBatchSize: 0 })).toThrow(/maxBatchSize/);
  });

  it('enriches 10,000 hits on Defender with 3 queries (2 context, 1 group lookup), well within its 45 calls a minute', async () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => (i * 2654435761 >>> 0).toString(16).padStart(40, '0'));
    const requests: QueryRequest[] = [];
    const defenderLike: QueryBackend = {
      name: 'defender-like',
      limits: defenderQueryLimits,
      async run(request) {
        requests.push(request);
        if (request.query.includes('IdentityInfo')) return { columns: [], rows: [] };
        const asked = [...request.query.matchAll(/"([0-9a-f]{40})"/g)].map((match) => match[1]!);
        return {
          columns: [],
          rows: asked.flatMap((id) => [
            { Evidence: 'file', DeviceId: id, SHA1, Signer: 'Ammyy LLC' },
            { Evidence: 'process', DeviceId: id, SHA1, FileName: 'AA_v3.exe', ProcessId: 1, ProcessCreationTime: '2026-11-18T00:01:00Z', AccountName: `user-${id.slice(0, 6)}`, AccountDomain: 'CONTOSO' },
          ]),
        };
      },
    };
    let enriched = 0;
    const { contexts } = await createContextEnricher(defenderLike).enrich(rule, ids.map(hitFor), window, (devices) => (enriched += devices));
    expect(requests.filter((request) => !request.query.includes('IdentityInfo'))).toHaveLength(2);
    expect(requests.filter((request) => request.query.includes('IdentityInfo'))).toHaveLength(1);
    expect(requests.every((request) => request.query.length <= defenderQueryLimits.maxQueryChars)).toBe(true);
    expect(contexts.size).toBe(10_000);
    expect(enriched).toBe(10_000);
  });
});

describe('group membership', () => {
  it('adds user.group from IdentityInfo where the workspace has it', async () => {
    const { contexts } = await createContextEnricher(localBackend(), { maxBatchSize: 10 }).enrich(rule, [hitFor('victim-1')], window);
    expect(contexts.get('victim-1')?.activities[0]?.fields['user.group']).toEqual(['IT Support']);
  });

  it('keeps the evidence and warns when the workspace has no group data', async () => {
    const logger = collectingLogger();
    const { contexts } = await createContextEnricher(localBackend(false), { maxBatchSize: 10, logger }).enrich(rule, [hitFor('victim-1')], window);
    const fields = contexts.get('victim-1')?.activities[0]?.fields;
    expect(fields?.['process.name']).toEqual(['ammyy.exe']);
    expect(fields?.['user.group']).toBeUndefined();
    expect(logger.lines).toEqual([expect.stringMatching(/^warn IdentityInfo on this backend has no GroupMembership/)]);
  });

  it('keeps the evidence and warns when the group lookup fails', async () => {
    const inner = localBackend();
    const noIdentityInfo: QueryBackend = {
      name: 'no-ueba',
      run: (request) => (request.query.includes('IdentityInfo') ? Promise.reject(new Error("'IdentityInfo' is not a known table")) : inner.run(request)),
    };
    const logger = collectingLogger();
    const { contexts } = await createContextEnricher(noIdentityInfo, { maxBatchSize: 10, logger }).enrich(rule, [hitFor('victim-1')], window);
    expect(contexts.get('victim-1')?.activities[0]?.fields['process.name']).toEqual(['ammyy.exe']);
    expect(contexts.get('victim-1')?.activities[0]?.fields['user.group']).toBeUndefined();
    expect(logger.lines).toEqual([expect.stringMatching(/^warn group membership lookup failed/)]);
  });

  it('does not look groups up when told not to', async () => {
    const backend = localBackend();
    const { contexts } = await createContextEnricher(backend, { maxBatchSize: 10, groupMembership: false }).enrich(rule, [hitFor('victim-1')], window);
    expect(contexts.get('victim-1')?.activities[0]?.fields['user.group']).toBeUndefined();
    expect(backend.requests.some((request) => request.query.includes('IdentityInfo'))).toBe(false);
  });
});

describe('missing context', () => {
  it('answers the devices of a failed batch as failed and logs it, keeping the other batches', async () => {
    const inner = localBackend();
    let calls = 0;
    const flaky: QueryBackend = {
      name: 'flaky',
      run(request) {
        calls += 1;
        if (calls === 1) return Promise.reject(new Error('throttled'));
        return inner.run(request);
      },
    };
    const logger = collectingLogger();
    const { contexts, failed } = await createContextEnricher(flaky, { maxBatchSize: 1, logger }).enrich(rule, [hitFor('victim-1'), hitFor('victim-2')], window);
    expect([...contexts.keys()]).toEqual(['victim-2']);
    // Answered as failed, so the pipeline raises them without context and asks again next run.
    expect([...failed.entries()]).toEqual([['victim-1', 'context query failed: throttled']]);
    expect(logger.lines[0]).toMatch(/^error context query failed/);
  });

  it('ignores rows about devices it did not ask for', async () => {
    const stray: QueryBackend = {
      name: 'stray',
      run: async () => ({ columns: [], rows: [{ Evidence: 'file', DeviceId: 'someone-else', SHA1, Signer: 'Ammyy LLC' }] }),
    };
    expect((await createContextEnricher(stray, { maxBatchSize: 5 }).enrich(rule, [hitFor('victim-1')], window)).contexts.size).toBe(0);
  });
});

describe('destinations on the sample data, through the shipped context query and the local evaluator', () => {
  it('keeps each port with its own address and host (10.44.0.12 used only 5931, 203.0.113.45 only 443)', async () => {
    const backend = new LocalKqlBackend(openDataDir('test/fixtures/ammyy-basic', withSentinelIdentityInfo(defaultCatalogue)), { now: () => now });
    const deviceId = '3f1c2b9a8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b';
    const { contexts } = await createContextEnricher(backend, { maxBatchSize: 10 }).enrich(rule, [hitFor(deviceId)], window);
    const [activity] = contexts.get(deviceId)?.activities ?? [];
    expect(activity?.destinations).toEqual(expect.arrayContaining([
      { ip: '203.0.113.45', domain: 'rl.ammyy.com', port: '443' },
      { ip: '10.44.0.12', port: '5931' },
    ]));
    expect(activity?.destinations).toHaveLength(2);
    // The flat ECS fields exclusions test still hold every value.
    expect([...(activity?.fields['destination.ip'] ?? [])].sort()).toEqual(['10.44.0.12', '203.0.113.45']);
    expect([...(activity?.fields['destination.port'] ?? [])].sort()).toEqual(['443', '5931']);
    expect(activity?.fields['destination.domain']).toEqual(['rl.ammyy.com']);
  });
});
