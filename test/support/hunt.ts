/**
 * What the pipeline tests run the hunt with: the rule's real query through the real KQL evaluator
 * over in-memory tables (the same path the local backend takes, windowed only by the `let`s the
 * hunter binds into the query), and an in-memory detection sink that keeps incidents as the
 * Sentinel incidents sink does and records every detection. The state store is always the real
 * TableStateStore on Azurite.
 */
import { statusAfterWrite, type IncidentStatus, type QueryRequest, type QueryResult } from '../../src/core/model.js';
import type { Clock, DetectionSink, Logger, QueryBackend } from '../../src/core/ports.js';
import type { Detection, DetectionWriteResult } from '../../src/core/detection.js';
import type { HuntRule } from '../../src/rules/rule.js';
import { testRule } from './rules.js';
import type { StateStore } from '../../src/core/ports.js';
import { runHunt, type HuntDeps } from '../../src/core/hunt.js';
import type { RunReport } from '../../src/core/report.js';
import { createIncidentRenderer } from '../../src/incidents/index.js';
import { createNoExclusionsEvaluator } from '../../src/exclusions/index.js';
import type { ExclusionEvaluator } from '../../src/core/ports.js';
import { evaluate, memoryTables } from '../../src/kql/index.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export { testRule } from './rules.js';

export interface SignedFileEvent {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly timestamp: Date;
  readonly reportId: string;
}

/** ReportId is a long; tests that name their ids (`s-101`) keep them as text, which the query carries as is. */
function reportIdValue(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

/**
 * Signed-file events in a DeviceFileCertificateInfo table, queried with the real evaluator: the
 * query's own `let Time_start`/`Time_end` (bound by the hunter) decide what is read, as on every backend.
 */
export class EventBackend implements QueryBackend {
  readonly name = 'memory';
  readonly events: SignedFileEvent[] = [];
  readonly requests: QueryRequest[] = [];
  private readonly tables = memoryTables(() => ({
    DeviceFileCertificateInfo: this.events.map((e) => ({ Timestamp: e.timestamp, DeviceId: e.deviceId, DeviceName: e.deviceName, Signer: 'Ammyy LLC', IsSigned: true, ReportId: reportIdValue(e.reportId) })),
  }));
  constructor(readonly maxLookbackMs?: number) {}

  async run(request: QueryRequest): Promise<QueryResult> {
    this.requests.push(request);
    return evaluate(request.query, { tables: this.tables, now: request.window.end });
  }
}

/** The hunt's result for `devices` devices (device-00000, ...), each with two report ids of its own. */
export function hitRows(devices: number): QueryResult {
  const columns = ['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count'].map((name) => ({ name, type: 'x' }));
  return {
    columns,
    rows: Array.from({ length: devices }, (_, i) => ({
      DeviceId: `device-${String(i).padStart(5, '0')}`,
      DeviceName: `pc-${i}.contoso.local`,
      FirstSeen: new Date('2026-11-20T10:00:00Z'),
      LastSeen: new Date('2026-11-20T11:00:00Z'),
      Report: [String(5_000_000 + 2 * i), String(5_000_001 + 2 * i)],
      Count: 2,
    })),
  };
}

/** Fixed rows, for tests that need more hits than events are convenient for. */
export class RowsBackend implements QueryBackend {
  readonly name = 'rows';
  constructor(public result: QueryResult) {}
  async run(): Promise<QueryResult> {
    return this.result;
  }
}

/** An incident as the recording sink keeps it (the Sentinel incidents sink's fields that tests read). */
export interface RecordedIncident {
  readonly incidentId: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly title: string;
  readonly description: string;
  readonly status: IncidentStatus;
  readonly firstActivity: Date;
  readonly lastActivity: Date;
}

export interface RecordedComment {
  readonly incidentId: string;
  readonly commentId: string;
  readonly message: string;
}

/** The detection sink of the pipeline tests: incidents and comments like the Sentinel incidents sink, every call recorded. */
export class RecordingSink implements DetectionSink {
  readonly name = 'memory';
  readonly incidents = new Map<string, RecordedIncident>();
  readonly comments = new Map<string, RecordedComment>();
  /** Every detection written (not those answered closed or failed), in order. */
  readonly detections: Detection[] = [];
  readonly calls: { op: 'write'; id: string }[] = [];
  /** `write`: the next write call throws before writing (a crash before the sink); `afterWrite`: it writes, then throws (a crash before state). */
  failNext: 'write' | 'afterWrite' | undefined;
  /** Answers instead of writing, for the detections it returns a result for. */
  answer: ((detection: Detection) => DetectionWriteResult | undefined) | undefined;

  async write(detections: readonly Detection[]): Promise<DetectionWriteResult[]> {
    if (this.failNext === 'write') {
      this.failNext = undefined;
      throw new Error('injected sink failure before writing');
    }
    const results = detections.map((d) => this.writeOne(d));
    if (this.failNext === 'afterWrite') {
      this.failNext = undefined;
      throw new Error('injected crash after the sink wrote');
    }
    return results;
  }

  async readStatus(episodeId: string): Promise<IncidentStatus | undefined> {
    return this.incidents.get(episodeId)?.status;
  }

  private writeOne(detection: Detection): DetectionWriteResult {
    this.calls.push({ op: 'write', id: detection.findingId });
    const injected = this.answer?.(detection);
    if (injected !== undefined) return injected;
    const existing = this.incidents.get(detection.episodeId);
    // The same rules as the real sinks: an update of a deleted incident, or of one the SOC closed, is not written.
    if (existing === undefined && detection.sequence > 0) return { outcome: 'closed', missing: true };
    if (existing?.status === 'Closed' && !detection.reopenIfClosed) return { outcome: 'closed', missing: false };
    const status = existing ? statusAfterWrite(existing.status, detection.reopenIfClosed) : 'New';
    this.incidents.set(detection.episodeId, {
      incidentId: detection.episodeId,
      deviceId: detection.device.id,
      deviceName: detection.device.name,
      title: detection.text.title,
      description: detection.text.description,
      status,
      firstActivity: detection.firstSeen,
      lastActivity: detection.lastSeen,
    });
    if (detection.text.updateComment !== undefined) {
      this.comments.set(detection.findingId, { incidentId: detection.episodeId, commentId: detection.findingId, message: detection.text.updateComment });
    }
    this.detections.push(detection);
    return { outcome: 'written', existed: existing !== undefined, status, ...(existing?.status === 'Closed' ? { reopened: true } : {}) };
  }

  close(incidentId: string): void {
    const incident = this.incidents.get(incidentId);
    if (!incident) throw new Error(`no incident ${incidentId}`);
    this.incidents.set(incidentId, { ...incident, status: 'Closed' });
  }

  incidentsFor(deviceId: string): RecordedIncident[] {
    return [...this.incidents.values()].filter((i) => i.deviceId === deviceId);
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
  sink: DetectionSink;
  clock: Clock;
  rule?: HuntRule;
  exclusions?: ExclusionEvaluator;
  dryRun?: boolean;
  /** Anything else the pipeline takes (an enricher, a budget). */
  deps?: Partial<HuntDeps>;
}

export const testRenderer = createIncidentRenderer({ defenderPortalUrl: 'https://security.microsoft.com' });

export function hunt(h: HuntHarness): Promise<RunReport> {
  return runHunt(
    {
      backend: h.backend,
      state: h.state,
      sink: h.sink,
      renderer: testRenderer,
      enricher: undefined,
      exclusions: h.exclusions ?? createNoExclusionsEvaluator(),
      clock: h.clock,
      logger: silentLogger,
      ...h.deps,
    },
    { rule: h.rule ?? testRule(), dryRun: h.dryRun ?? false, runReportRetentionDays: 30 },
  );
}

/** The failed run's report (the pipeline throws it inside HuntRunFailed). */
export async function failedRun(run: Promise<RunReport>): Promise<RunReport> {
  try {
    await run;
  } catch (error) {
    const report = (error as { report?: RunReport }).report;
    if (report) return report;
    throw error;
  }
  throw new Error('the run did not fail');
}

export function event(deviceId: string, timestamp: string | Date, reportId: string | number, deviceName = `${deviceId}.contoso.local`): SignedFileEvent {
  return { deviceId, deviceName, timestamp: new Date(timestamp), reportId: String(reportId) };
}
