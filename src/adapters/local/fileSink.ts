/**
 * INCIDENT_SINK=file: what both cloud sinks would write, as local files under the output folder, so a replay shows
 * the incidents (incidents.jsonl / comments.jsonl, with a status an engineer can close by hand) and the findings
 * table the analytics rule reads (tables/AmmyyHunterFindings_CL.jsonl). A detection is written when both are:
 * its finding is written only once its incident is, and a finding that could not be written fails the detection
 * (the next run rewrites the incident, idempotently, and the finding).
 */
import type { Detection, DetectionWriteResult } from '../../core/detection.js';
import type { DetectionSink } from '../../core/ports.js';
import type { IncidentStatus } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import { FindingsSink, type FindingsSinkOptions } from '../ingestion/findingsSink.js';
import { FileIncidentSink } from './fileIncidentSink.js';
import { FindingsTableFile, tablesDir } from './findingsTableFile.js';

export class FileSink implements DetectionSink {
  readonly name = 'file';
  readonly incidents: FileIncidentSink;
  readonly findingsTable: FindingsTableFile;
  private readonly findings: FindingsSink;

  constructor(outDir: string, findings: Omit<FindingsSinkOptions, 'name' | 'writer'>) {
    const { clock } = findings;
    this.incidents = new FileIncidentSink(outDir);
    this.findingsTable = new FindingsTableFile(tablesDir(outDir));
    this.findings = new FindingsSink({
      ...findings,
      name: 'file-findings',
      writer: async (records) => {
        try {
          this.findingsTable.append(records, clock.now());
          return records.map(() => ({ accepted: true as const }));
        } catch (error) {
          return records.map(() => ({ accepted: false as const, message: `${this.findingsTable.file}: ${errorMessage(error)}`, permanent: false }));
        }
      },
    });
  }

  readStatus(episodeId: string): Promise<IncidentStatus | undefined> {
    return this.incidents.readStatus(episodeId);
  }

  async write(detections: readonly Detection[]): Promise<DetectionWriteResult[]> {
    const results = await this.incidents.write(detections);
    const written = detections.map((detection, index) => ({ detection, index })).filter(({ index }) => results[index]!.outcome === 'written');
    const findings = await this.findings.write(written.map(({ detection }) => detection));
    written.forEach(({ index }, i) => {
      if (findings[i]!.outcome !== 'written') results[index] = findings[i]!;
    });
    return results;
  }
}
