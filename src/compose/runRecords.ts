/**
 * Where each run's record goes (docs/operations.md): the run records table through its own DCR (RUNS_* settings, set
 * by azd whatever the sink), or, for local runs with the file sink, `<INCIDENT_OUT_DIR>/tables/AmmyyHunterRuns_CL.jsonl`.
 * Every run writes one, successful or not, also one that failed before it had a report (the record then says why);
 * a record that cannot be written is logged and never fails the hunt. A dry run writes nothing, as for everything else.
 */
import { randomUUID } from 'node:crypto';
import type { Settings } from '../config/settings.js';
import type { Clock, Logger } from '../core/ports.js';
import { HuntRunFailed, type RunReport } from '../core/report.js';
import { errorMessage } from '../core/errors.js';
import type { HuntRule } from '../rules/rule.js';
import { loadRule } from '../rules/load.js';
import { runRecordFromFailure, runRecordFromReport, UNKNOWN_RULE, type RunRecord, type RunRecordContext } from '../health/runRecord.js';
import { RUNS_TABLE_NAME } from '../health/runsTable.js';
import { LogsIngestionUploader, type UploadOutcome } from '../adapters/ingestion/logsIngestionUploader.js';
import { LocalTableFile, tablesDir } from '../adapters/local/tableFile.js';
import type { AzureAccess } from './azureAccess.js';

export interface RunRecordsRuntime {
  readonly azure: Pick<AzureAccess, 'credentials' | 'pipelineOptions'>;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly fromRoot: (file: string) => string;
}

/** Writes records to one destination; one outcome per record. */
type RecordWriter = (records: readonly RunRecord[]) => Promise<readonly UploadOutcome[]>;

export class RunRecorder {
  /** Every rule the deployment runs (RULE_PATH): each record lists them all, since the health rule expects the newest record's list. */
  private enabledRules: readonly string[] | undefined;

  private constructor(
    private readonly settings: Settings,
    private readonly runtime: RunRecordsRuntime,
    /** Undefined: run records are not written (a dry run, or nowhere to write them). */
    private readonly writer: RecordWriter | undefined,
    /** Where the records go, for the log. */
    readonly destination: string,
  ) {}

  static fromSettings(settings: Settings, runtime: RunRecordsRuntime): RunRecorder {
    if (settings.DRY_RUN) return new RunRecorder(settings, runtime, undefined, 'nowhere (dry run)');
    if (settings.RUNS_INGESTION_ENDPOINT !== undefined && settings.RUNS_DCR_IMMUTABLE_ID !== undefined) {
      // No call log: the upload happens after the run's report is complete, and belongs to no run's calls.
      const uploader = new LogsIngestionUploader({
        endpoint: settings.RUNS_INGESTION_ENDPOINT,
        dcrImmutableId: settings.RUNS_DCR_IMMUTABLE_ID,
        streamName: settings.RUNS_STREAM_NAME,
        credential: runtime.azure.credentials(),
        ...(runtime.azure.pipelineOptions ? { pipelineOptions: runtime.azure.pipelineOptions } : {}),
      });
      return new RunRecorder(settings, runtime, (records) => uploader.upload(records), `${RUNS_TABLE_NAME} through ${settings.RUNS_STREAM_NAME}`);
    }
    if (settings.INCIDENT_SINK === 'file') {
      const table = new LocalTableFile(tablesDir(runtime.fromRoot(settings.INCIDENT_OUT_DIR)), RUNS_TABLE_NAME);
      const writer: RecordWriter = async (records) => {
        table.append(records, runtime.clock.now());
        return records.map(() => ({ accepted: true as const }));
      };
      return new RunRecorder(settings, runtime, writer, table.file);
    }
    return new RunRecorder(settings, runtime, undefined, 'nowhere (RUNS_INGESTION_ENDPOINT and RUNS_DCR_IMMUTABLE_ID are not set)');
  }

  /** The rules this invocation runs, once they are known; a record lists its own rule alone until then. */
  enable(rules: readonly HuntRule[]): void {
    this.enabledRules = rules.map((rule) => rule.id);
  }

  /** Runs the hunt and records it, whether it returns or throws; what the hunt returned or threw is passed on. */
  async recorded(rule: HuntRule, hunt: () => Promise<RunReport>): Promise<RunReport> {
    const startedAt = this.runtime.clock.now();
    try {
      const report = await hunt();
      await this.write(runRecordFromReport(report, recordContext(rule, this.enabledRules)));
      return report;
    } catch (error) {
      // A failed hit leaves a report behind; anything else failed the run before it had one.
      await this.write(error instanceof HuntRunFailed ? runRecordFromReport(error.report, recordContext(rule, this.enabledRules)) : this.failure(startedAt, error, rule));
      throw error;
    }
  }

  /** Builds the hunter and records a failure to build it; what was built or thrown is passed on. */
  async recordingFailure<T>(build: () => Promise<T>): Promise<T> {
    const startedAt = this.runtime.clock.now();
    try {
      return await build();
    } catch (error) {
      // The record names the rule when its file can still be read (the failure was elsewhere: exclusions, a backend).
      await this.write(this.failure(startedAt, error, readableRule(this.runtime.fromRoot(this.settings.RULE_PATH))));
      throw error;
    }
  }

  private failure(startedAt: Date, error: unknown, rule: HuntRule | undefined): RunRecord {
    const run = { runId: randomUUID(), startedAt, finishedAt: this.runtime.clock.now(), error: errorMessage(error), rule, backend: this.settings.QUERY_BACKEND, sink: this.settings.INCIDENT_SINK };
    return runRecordFromFailure(run, rule === undefined ? UNKNOWN_RULE : recordContext(rule, this.enabledRules));
  }

  /** Never throws: the hunt's outcome stands whatever happens to its record. */
  private async write(record: RunRecord): Promise<void> {
    if (this.writer === undefined) {
      if (!this.settings.DRY_RUN) this.runtime.logger.warn('run record not written: RUNS_INGESTION_ENDPOINT and RUNS_DCR_IMMUTABLE_ID are not set, so the health rule and the workbook see no runs (azd sets them)', { runId: record.RunId });
      return;
    }
    try {
      const [outcome] = await this.writer([record]);
      if (outcome !== undefined && !outcome.accepted) this.runtime.logger.warn('run record not written', { to: this.destination, runId: record.RunId, error: outcome.message });
    } catch (error) {
      this.runtime.logger.warn('run record not written', { to: this.destination, runId: record.RunId, error: errorMessage(error) });
    }
  }
}

export function recordContext(rule: HuntRule, enabledRules: readonly string[] = [rule.id]): RunRecordContext {
  return { queryFrequencyMs: rule.queryFrequencyMs, queryPeriodMs: rule.queryPeriodMs, enabledRules };
}

/** The rule, if its file can be read; undefined if not (the build's own error, which the record carries, says why). */
function readableRule(file: string): HuntRule | undefined {
  try {
    return loadRule(file);
  } catch {
    return undefined;
  }
}
