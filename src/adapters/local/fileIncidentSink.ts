/**
 * Detections as incidents for local replays: `incidents.jsonl` (the episodes' incidents) and `comments.jsonl` (one
 * comment per update) in an output folder, like the Sentinel incidents sink: the episode id names the incident, the
 * finding id the comment. An engineer can set an incident's `"status": "Closed"` by hand to replay what happens
 * when the SOC closes it.
 *
 * Linear in what a run writes (a 1,000-device replay spent 358 of its 366 s rewriting these files when every write
 * read and rewrote them whole): the files are read once when the sink first needs them (again only when someone
 * else changed them since), and each batch APPENDS the incidents it changed and its new comments, flushed before the
 * batch is acknowledged (./jsonLinesFile.ts). An incident's last line is its current version. The files are
 * compacted to one line per incident / comment (atomically) when they are read and hold superseded lines, and when
 * superseded lines outnumber the live ones, so rewriting stays proportional to what was appended.
 */
import path from 'node:path';
import { statusAfterWrite, type IncidentStatus, type Severity } from '../../core/model.js';
import type { DetectionSink } from '../../core/ports.js';
import type { Detection, DetectionWriteResult } from '../../core/detection.js';
import { appendJsonLines, fileStamp, readJsonLines, rewriteJsonLines, type FileStamp } from './jsonLinesFile.js';

export interface StoredIncident {
  readonly incidentId: string;
  readonly ruleId: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly firstActivity: string;
  readonly lastActivity: string;
  readonly labels: readonly string[];
  readonly description: string;
}

export interface StoredComment {
  readonly incidentId: string;
  readonly commentId: string;
  readonly message: string;
}

/** One JSON Lines file of records keyed by an id, read once, appended to, compacted when half of it is superseded. */
class KeyedLines<T> {
  private records = new Map<string, T>();
  private lines = 0;
  private stamp: FileStamp | undefined;

  constructor(
    readonly file: string,
    private readonly keyOf: (record: T) => string,
  ) {}

  /** The records, latest version of each, in the order they first appeared. */
  current(): ReadonlyMap<string, T> {
    if (this.stamp === undefined || this.stamp !== fileStamp(this.file)) this.load();
    return this.records;
  }

  /** Appends the records that differ from what the file holds (a retried write appends nothing). */
  put(records: readonly T[]): void {
    const known = this.current();
    const changed = records.filter((record) => {
      const existing = known.get(this.keyOf(record));
      return existing === undefined || JSON.stringify(existing) !== JSON.stringify(record);
    });
    if (changed.length === 0) return;
    appendJsonLines(this.file, changed);
    for (const record of changed) this.records.set(this.keyOf(record), record);
    this.lines += changed.length;
    if (this.lines - this.records.size > this.records.size) this.compact();
    else this.stamp = fileStamp(this.file);
  }

  private load(): void {
    const lines = readJsonLines<T>(this.file);
    this.records = new Map(lines.map((record) => [this.keyOf(record), record]));
    this.lines = lines.length;
    if (this.lines > this.records.size) this.compact();
    else this.stamp = fileStamp(this.file);
  }

  private compact(): void {
    rewriteJsonLines(this.file, [...this.records.values()]);
    this.lines = this.records.size;
    this.stamp = fileStamp(this.file);
  }
}

export class FileIncidentSink implements DetectionSink {
  readonly name = 'file';
  readonly incidentsFile: string;
  readonly commentsFile: string;
  private readonly incidents: KeyedLines<StoredIncident>;
  private readonly comments: KeyedLines<StoredComment>;

  constructor(readonly outDir: string) {
    this.incidentsFile = path.join(outDir, 'incidents.jsonl');
    this.commentsFile = path.join(outDir, 'comments.jsonl');
    this.incidents = new KeyedLines(this.incidentsFile, (incident) => incident.incidentId);
    this.comments = new KeyedLines(this.commentsFile, (comment) => comment.commentId);
  }

  async readStatus(episodeId: string): Promise<IncidentStatus | undefined> {
    return this.incidents.current().get(episodeId)?.status;
  }

  async write(detections: readonly Detection[]): Promise<DetectionWriteResult[]> {
    const stored = this.incidents.current();
    // What this batch writes; a detection later in the batch sees what an earlier one wrote.
    const incidents = new Map<string, StoredIncident>();
    const comments = new Map<string, StoredComment>();
    const results = detections.map((detection): DetectionWriteResult => {
      const existing = incidents.get(detection.episodeId) ?? stored.get(detection.episodeId);
      if (existing === undefined && detection.sequence > 0) return { outcome: 'closed', missing: true };
      // Like Sentinel: the status is the SOC's (here: whoever edited the file) unless the detection reopens.
      if (existing?.status === 'Closed' && !detection.reopenIfClosed) return { outcome: 'closed', missing: false };
      const status = existing ? statusAfterWrite(existing.status, detection.reopenIfClosed) : 'New';
      const earliest = existing && existing.firstActivity < detection.firstSeen.toISOString() ? existing.firstActivity : detection.firstSeen.toISOString();
      const latest = existing && existing.lastActivity > detection.lastSeen.toISOString() ? existing.lastActivity : detection.lastSeen.toISOString();
      incidents.set(detection.episodeId, {
        incidentId: detection.episodeId,
        ruleId: detection.rule.id,
        deviceId: detection.device.id,
        deviceName: detection.device.name,
        title: detection.text.title,
        severity: existing?.severity ?? detection.rule.severity,
        status,
        firstActivity: earliest,
        lastActivity: latest,
        labels: detection.text.labels,
        description: detection.text.description,
      });
      if (detection.text.updateComment !== undefined) {
        comments.set(detection.findingId, { incidentId: detection.episodeId, commentId: detection.findingId, message: detection.text.updateComment });
      }
      return { outcome: 'written', existed: existing !== undefined, status, ...(existing?.status === 'Closed' ? { reopened: true } : {}) };
    });
    // Incidents first: a comment never refers to an incident the file does not have.
    this.incidents.put([...incidents.values()]);
    this.comments.put([...comments.values()]);
    return results;
  }

  /** One per episode, its current version. */
  readIncidents(): StoredIncident[] {
    return [...this.incidents.current().values()];
  }

  readComments(): StoredComment[] {
    return [...this.comments.current().values()];
  }
}

