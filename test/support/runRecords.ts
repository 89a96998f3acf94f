/** Run records as the hunter writes them (src/health/runRecord.ts), for the health rule and workbook tests. */
import { LocalTableFile } from '../../src/adapters/local/tableFile.js';
import { localCatalogue } from '../../src/adapters/local/localCatalogue.js';
import { openDataDir } from '../../src/data/index.js';
import { runRecordFromFailure, type RunRecord } from '../../src/health/runRecord.js';
import { RUNS_TABLE_NAME, localRunsTableSchema } from '../../src/health/runsTable.js';
import { evaluate, type Row } from '../../src/kql/index.js';
import { readHealthBicep } from '../infra/healthBicep.js';
import { memoryTables } from '../kql/helpers.js';

export const HOUR = 3_600_000;
export const RULE = { id: 'rule-a', name: 'Rule A' } as const;

/** A succeeded hourly run of RULE that ended at `at` with its watermark 15 minutes before; `overrides` change any column. */
export function runRecord(at: Date, overrides: Partial<RunRecord> = {}): RunRecord {
  const base = runRecordFromFailure(
    { runId: `run-${at.toISOString()}`, startedAt: new Date(at.getTime() - 60_000), finishedAt: at, error: '', rule: RULE, backend: 'log-analytics', sink: 'sentinel-alerts' },
    { queryFrequencyMs: HOUR, queryPeriodMs: 5 * 24 * HOUR, enabledRules: [RULE.id] },
  );
  const watermark = new Date(at.getTime() - 15 * 60_000);
  return { ...base, Status: 'succeeded', Watermark: watermark.toISOString(), WatermarkLagMs: 15 * 60_000, ...overrides };
}

/** The run records table as local files: write records, then run a query over them at a given now. */
export class RunsTable {
  private readonly file: LocalTableFile;
  constructor(readonly dir: string) {
    this.file = new LocalTableFile(dir, RUNS_TABLE_NAME);
  }

  write(...records: RunRecord[]): void {
    for (const record of records) this.file.append([record], new Date(record.TimeGenerated));
  }

  async query(text: string, now: Date): Promise<Row[]> {
    return [...(await evaluate(text, { tables: openDataDir(this.dir, localCatalogue), now })).rows];
  }
}

let healthQuery: string | undefined;

/** The health rule, as Sentinel runs it at `at`, over what a runs DCR's service received (its datetime columns as text). */
export async function healthAlertsOver(received: readonly Readonly<Record<string, unknown>>[], at: Date): Promise<Row[]> {
  healthQuery ??= readHealthBicep().query;
  const datetimes = localRunsTableSchema.columns.filter((column) => column.type === 'datetime').map((column) => column.name);
  const rows = received.map((record) => ({ ...record, ...Object.fromEntries(datetimes.map((name) => [name, typeof record[name] === 'string' ? new Date(record[name] as string) : null])) }));
  return [...(await evaluate(healthQuery, { tables: memoryTables({ [RUNS_TABLE_NAME]: rows }, [localRunsTableSchema]), now: at })).rows];
}
