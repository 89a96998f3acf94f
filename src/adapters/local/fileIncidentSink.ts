/**
 * Detections as incidents for local replays: `incidents.jsonl` (one line per episode, its latest
 * version) and `comments.jsonl` (one line per update) in an output folder, like the Sentinel
 * incidents sink: the episode id names the incident, the finding id the comment. A batch of
 * detections is read, applied and written once; files are rewritten whole through a temporary file
 * and a rename, so a crash never leaves half a line. An engineer can set an incident's
 * `"status": "Closed"` by hand to replay what happens when the SOC closes it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { statusAfterWrite, type IncidentStatus, type Severity } from '../../core/model.js';
import type { DetectionSink } from '../../core/ports.js';
import type { Detection, DetectionWriteResult } from '../../core/detection.js';

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

export class FileIncidentSink implements DetectionSink {
  readonly name = 'file';
  readonly incidentsFile: string;
  readonly commentsFile: string;

  constructor(readonly outDir: string) {
    this.incidentsFile = path.join(outDir, 'incidents.jsonl');
    this.commentsFile = path.join(outDir, 'comments.jsonl');
  }

  async readStatus(episodeId: string): Promise<IncidentStatus | undefined> {
    return this.readIncidents().find((incident) => incident.incidentId === episodeId)?.status;
  }

  async write(detections: readonly Detection[]): Promise<DetectionWriteResult[]> {
    const incidents = new Map(this.readIncidents().map((incident) => [incident.incidentId, incident]));
    const comments = new Map(this.readComments().map((comment) => [comment.commentId, comment]));
    const results = detections.map((detection): DetectionWriteResult => {
      const existing = incidents.get(detection.episodeId);
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
    this.writeLines(this.incidentsFile, [...incidents.values()]);
    this.writeLines(this.commentsFile, [...comments.values()]);
    return results;
  }

  readIncidents(): StoredIncident[] {
    return readJsonLines<StoredIncident>(this.incidentsFile);
  }

  readComments(): StoredComment[] {
    return readJsonLines<StoredComment>(this.commentsFile);
  }

  private writeLines(file: string, values: readonly unknown[]): void {
    mkdirSync(this.outDir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, values.map((value) => JSON.stringify(value)).join('\n') + (values.length > 0 ? '\n' : ''));
    renameSync(temporary, file);
  }
}

function readJsonLines<T>(file: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as T;
      } catch (error) {
        throw new Error(`${file}:${index + 1}: not valid JSON (${(error as Error).message})`);
      }
    });
}
