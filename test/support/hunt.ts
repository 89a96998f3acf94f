/**
 * What the pipeline tests run the hunt with: an in-memory backend that summarizes raw
 * events over the window it is asked for (exactly what the seed query computes), and an
 * in-memory incident sink that records every call. The state store is always the real
 * TableStateStore on Azurite.
 */
import { statusAfterUpsert, type IncidentComment, type IncidentDraft, type IncidentStatus, type QueryRequest, type QueryResult } from '../../src/core/model.js';
import type { Clock, IncidentSink, Logger, QueryBackend } from '../../src/core/ports.js';
import type { HuntRule } from '../../src/rules/rule.js';
import { testRule } from './rules.js';
import type { StateStore } from '../../src/core/ports.js';
import { runHunt } from '../../src/core/hunt.js';
import type { RunReport } from '../../src/core/report.js';
import { createIncidentRenderer } from '../../src/incidents/index.js';
import { createNoExclusionsEvaluator } from '../../src/exclusions/index.js';
import type { ExclusionEvaluator } from '../../src/core/ports.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export { testRule } from './rules.js';

export interface SignedFileEvent {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly timestamp: Date;
  readonly reportId: string;
}

/** Summarizes events exactly like the seed query, over the window the hunter binds. */
export class EventBackend implements QueryBackend {
  readonly name = 'events';
  readonly events: SignedFileEvent[] = [];
  readonly requests: QueryRequest[] = [];
  constructor(readonly maxLookbackMs?: number) {}

  async run(request: QueryRequest): Promise<QueryResult> {
    this.requests.push(request);
    const { start, end } = request.window;
    const groups = new Map<string, SignedFileEvent[]>();
    for (const event of this.events) {
      const t = event.timestamp.getTime();
      if (t < start.getTime() || t > end.getTime()) continue;
      const key = JSON.stringify([event.deviceId, event.deviceName]);
      groups.set(key, [...(groups.get(key) ?? []), event]);
    }
    const rows = [...groups.values()].map((group) => ({
      DeviceId: group[0]!.deviceId,
      DeviceName: group[0]!.deviceName,
      FirstSeen: new Date(Math.min(...group.map((e) => e.timestamp.getTime()))),
      LastSeen: new Date(Math.max(...group.map((e) => e.timestamp.getTime()))),
      Report: [...new Set(group.map((e) => e.reportId))],
      Count: group.length,
    }));
    return {
      columns: ['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count'].map((name) => ({ name, type: 'x' })),
      rows,
    };
  }
}

/** Fixed rows, for tests that need more hits than events are convenient for. */
export class RowsBackend implements QueryBackend {
  readonly name = 'rows';
  constructor(public result: QueryResult) {}
  async run(): Promise<QueryResult> {
    return this.result;
  }
}

export class RecordingSink implements IncidentSink {
  readonly name = 'memory';
  readonly incidents = new Map<string, IncidentDraft>();
  readonly comments = new Map<string, IncidentComment>();
  readonly calls: { op: 'getStatus' | 'upsert' | 'addComment'; id: string }[] = [];
  /** Throws from the next matching call, once: a crash at that point. */
  failNext: 'upsert' | 'addComment' | undefined;

  async getStatus(incidentId: string): Promise<IncidentStatus | undefined> {
    this.calls.push({ op: 'getStatus', id: incidentId });
    return this.incidents.get(incidentId)?.status;
  }
  async upsert(draft: IncidentDraft): Promise<IncidentStatus> {
    this.calls.push({ op: 'upsert', id: draft.incidentId });
    this.maybeFail('upsert');
    const existing = this.incidents.get(draft.incidentId);
    // The same status rule as the real sinks: the SOC owns the status of an existing incident.
    const status = existing ? statusAfterUpsert(existing.status, draft.status) : draft.status;
    this.incidents.set(draft.incidentId, { ...draft, status });
    return status;
  }
  async addComment(comment: IncidentComment): Promise<void> {
    this.calls.push({ op: 'addComment', id: comment.commentId });
    this.maybeFail('addComment');
    this.comments.set(comment.commentId, comment);
  }
  close(incidentId: string): void {
    const incident = this.incidents.get(incidentId);
    if (!incident) throw new Error(`no incident ${incidentId}`);
    this.incidents.set(incidentId, { ...incident, status: 'Closed' });
  }
  incidentsFor(deviceId: string): IncidentDraft[] {
    return [...this.incidents.values()].filter((i) => i.deviceId === deviceId);
  }
  private maybeFail(op: 'upsert' | 'addComment'): void {
    if (this.failNext === op) {
      this.failNext = undefined;
      throw new Error(`injected ${op} failure`);
    }
  }
}

export class SettableClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(instant: Date | string): void {
    this.current = new Date(instant);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface HuntHarness {
  backend: QueryBackend;
  state: StateStore;
  sink: IncidentSink;
  clock: Clock;
  rule?: HuntRule;
  exclusions?: ExclusionEvaluator;
  dryRun?: boolean;
}

export function hunt(h: HuntHarness): Promise<RunReport> {
  return runHunt(
    {
      backend: h.backend,
      state: h.state,
      sink: h.sink,
      renderer: createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' }),
      enricher: undefined,
      exclusions: h.exclusions ?? createNoExclusionsEvaluator(),
      clock: h.clock,
      logger: silentLogger,
    },
    { rule: h.rule ?? testRule(), dryRun: h.dryRun ?? false, runReportRetentionDays: 30 },
  );
}

export function event(deviceId: string, timestamp: string | Date, reportId: string | number, deviceName = `${deviceId}.contoso.local`): SignedFileEvent {
  return { deviceId, deviceName, timestamp: new Date(timestamp), reportId: String(reportId) };
}
