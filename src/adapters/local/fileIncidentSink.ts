/**
 * Incidents for local replays: `incidents.jsonl` (one line per incident, its latest version)
 * and `comments.jsonl` in an output folder. Files are rewritten whole through a temporary file
 * and a rename, so a crash never leaves half a line. An engineer can set an incident's
 * `"status": "Closed"` by hand to replay what happens when the SOC closes it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { statusAfterUpsert, type IncidentComment, type IncidentDraft, type IncidentStatus } from '../../core/model.js';
import type { IncidentSink } from '../../core/ports.js';

export interface StoredIncident extends Omit<IncidentDraft, 'firstActivity' | 'lastActivity'> {
  readonly firstActivity: string;
  readonly lastActivity: string;
}

export class FileIncidentSink implements IncidentSink {
  readonly name = 'file';
  readonly incidentsFile: string;
  readonly commentsFile: string;

  constructor(readonly outDir: string) {
    this.incidentsFile = path.join(outDir, 'incidents.jsonl');
    this.commentsFile = path.join(outDir, 'comments.jsonl');
  }

  async getStatus(incidentId: string): Promise<IncidentStatus | undefined> {
    return this.readIncidents().find((incident) => incident.incidentId === incidentId)?.status;
  }

  async upsert(draft: IncidentDraft): Promise<IncidentStatus> {
    const incidents = this.readIncidents();
    const existing = incidents.find((incident) => incident.incidentId === draft.incidentId);
    // Like Sentinel: the status is the SOC's (here: whoever edited the file) unless the hunter reopens.
    const status = existing ? statusAfterUpsert(existing.status, draft.status) : draft.status;
    const stored: StoredIncident = { ...draft, status, firstActivity: draft.firstActivity.toISOString(), lastActivity: draft.lastActivity.toISOString() };
    this.writeLines(this.incidentsFile, [...incidents.filter((incident) => incident.incidentId !== draft.incidentId), stored]);
    return status;
  }

  async addComment(comment: IncidentComment): Promise<void> {
    const comments = readJsonLines<IncidentComment>(this.commentsFile).filter((existing) => existing.commentId !== comment.commentId);
    this.writeLines(this.commentsFile, [...comments, comment]);
  }

  readIncidents(): StoredIncident[] {
    return readJsonLines<StoredIncident>(this.incidentsFile);
  }

  readComments(): IncidentComment[] {
    return readJsonLines<IncidentComment>(this.commentsFile);
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
