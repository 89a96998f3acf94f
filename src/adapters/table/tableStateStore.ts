/**
 * The hunter's state on Azure Table Storage (one table):
 * - partition `<rule>`: one entity per device (row = escaped DeviceId) and the `!watermark` row;
 * - partition `<rule>!runs`: run reports, newest first.
 * Loading a rule is one partition query in pages of 1,000; writes go in transactions of up
 * to 100 entities and about 3.5 MiB of request body (one partition each; the service refuses a
 * transaction over 4 MiB with 413), conditional on ETags. A transaction still refused as too
 * large is written entity by entity. Only 404, 409 and 412 are handled here (as conflicts to
 * re-read); anything else is rethrown with context.
 */
import { odata, type TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import type { DeviceWrite, DeviceWriteResult, RuleState, StateStore, StoredDevice, StoredWatermark } from '../../core/ports.js';
import type { RunReport } from '../../core/report.js';
import { chunks } from '../../core/chunks.js';
import { devicePartition, escapeKey, runsPartition, runTimeKey, WATERMARK_ROW } from './keys.js';
import { fromDeviceEntity, toDeviceEntity } from './deviceEntity.js';
import { fromRunReportEntity, toRunReportEntity } from './runReportEntity.js';
import { statusOf, storageError } from './errors.js';
import { estimatedOperationBytes } from './transactionSize.js';
import { parseUtcDate } from '../../kql/literals.js';

const PAGE_SIZE = 1000;
const TRANSACTION_SIZE = 100;
/** Table Storage refuses a transaction body over 4 MiB; stay well under it (the size is an estimate). */
export const MAX_TRANSACTION_BYTES = 3.5 * 1024 * 1024;
const WATERMARK_ATTEMPTS = 5;

type Row = TableEntityResult<Record<string, unknown>>;

function isConflict(error: unknown): boolean {
  const status = statusOf(error);
  return status === 404 || status === 409 || status === 412;
}

function isTooLarge(error: unknown): boolean {
  return statusOf(error) === 413;
}

/** A device write with its entity, built once for the transaction and for the one-by-one fallback. */
interface PlannedWrite {
  readonly write: DeviceWrite;
  readonly entity: ReturnType<typeof toDeviceEntity>;
  readonly action: TransactionAction;
}

function plannedWrite(partitionKey: string, write: DeviceWrite): PlannedWrite {
  const entity = toDeviceEntity(partitionKey, write.state);
  const action: TransactionAction = write.expectedEtag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: write.expectedEtag }];
  return { write, entity, action };
}

/** Consecutive groups of at most `maxCount` items and, past the first item of a group, `maxBytes` together. */
export function chunksBySize<T>(items: readonly T[], maxCount: number, maxBytes: number, bytesOf: (item: T) => number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = bytesOf(item);
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export interface TableStateStoreOptions {
  /** Estimated request body per transaction (default `MAX_TRANSACTION_BYTES`); tests raise it to provoke a 413. */
  readonly maxTransactionBytes?: number;
}

export class TableStateStore implements StateStore {
  private readonly maxTransactionBytes: number;

  private constructor(
    private readonly table: TableClient,
    options: TableStateStoreOptions,
  ) {
    this.maxTransactionBytes = options.maxTransactionBytes ?? MAX_TRANSACTION_BYTES;
  }

  /**
   * Creates the table if needed (a no-op when it exists). In Azure the table is made by the
   * deployment and the identity's data role is scoped to that one table, so creating it is
   * forbidden (403): carry on, and a missing table shows up as a clear 404 on first use.
   */
  static async open(table: TableClient, options: TableStateStoreOptions = {}): Promise<TableStateStore> {
    try {
      await table.createTable();
    } catch (error) {
      if (statusOf(error) !== 403) throw storageError(`creating table ${table.tableName}`, error);
    }
    return new TableStateStore(table, options);
  }

  get tableName(): string {
    return this.table.tableName;
  }

  async loadRule(ruleId: string): Promise<RuleState> {
    const partitionKey = devicePartition(ruleId);
    const devices = new Map<string, StoredDevice>();
    let watermark: StoredWatermark | undefined;
    try {
      const pages = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } }).byPage({ maxPageSize: PAGE_SIZE });
      for await (const page of pages) {
        for (const row of page) {
          if (row.rowKey === WATERMARK_ROW) watermark = this.watermarkOf(row);
          else if (row.Kind === 'device') {
            const state = fromDeviceEntity(row);
            devices.set(state.deviceId, { state, etag: row.etag });
          }
        }
      }
    } catch (error) {
      throw storageError(`loading the state of rule ${ruleId}`, error);
    }
    return { devices, watermark };
  }

  async readDevice(ruleId: string, deviceId: string): Promise<StoredDevice | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(devicePartition(ruleId), escapeKey(deviceId));
      return { state: fromDeviceEntity(row), etag: row.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw storageError(`reading device ${deviceId} of rule ${ruleId}`, error);
    }
  }

  async writeDevices(ruleId: string, writes: readonly DeviceWrite[]): Promise<DeviceWriteResult[]> {
    const partitionKey = devicePartition(ruleId);
    const actions = writes.map((write) => plannedWrite(partitionKey, write));
    const batches = chunksBySize(actions, TRANSACTION_SIZE, this.maxTransactionBytes, ({ action }) => estimatedOperationBytes(action[1], action[0] !== 'create'));
    const results: DeviceWriteResult[] = [];
    for (const batch of batches) results.push(...(await this.writeBatch(batch)));
    return results;
  }

  private async writeBatch(batch: readonly PlannedWrite[]): Promise<DeviceWriteResult[]> {
    if (batch.length === 1) return [await this.writeOne(batch[0]!)];
    const duplicateKeys = new Set(batch.map(({ write }) => escapeKey(write.state.deviceId))).size !== batch.length;
    if (!duplicateKeys) {
      try {
        const response = await this.table.submitTransaction(batch.map(({ action }) => action));
        return batch.map(({ write }, index) => {
          const etag = response.subResponses[index]?.etag;
          if (!etag) throw new Error(`state table: transaction response lacks the ETag of device ${write.state.deviceId}`);
          return { deviceId: write.state.deviceId, outcome: 'written', etag };
        });
      } catch (error) {
        // A transaction is all or nothing: one stale entity fails it, and so does a body over the
        // service's limit (413, which the size estimate should prevent). Nothing was written: write
        // one by one, to find the stale ones or to get under the limit.
        if (!isConflict(error) && !isTooLarge(error)) throw storageError(`writing ${batch.length} devices`, error);
      }
    }
    const results: DeviceWriteResult[] = [];
    for (const planned of batch) results.push(await this.writeOne(planned));
    return results;
  }

  private async writeOne({ write, entity }: PlannedWrite): Promise<DeviceWriteResult> {
    const deviceId = write.state.deviceId;
    try {
      const response =
        write.expectedEtag === undefined
          ? await this.table.createEntity(entity)
          : await this.table.updateEntity(entity, 'Replace', { etag: write.expectedEtag });
      if (!response.etag) throw new Error(`state table: write of device ${deviceId} returned no ETag`);
      return { deviceId, outcome: 'written', etag: response.etag };
    } catch (error) {
      if (isConflict(error)) return { deviceId, outcome: 'conflict' };
      throw storageError(`writing device ${deviceId}`, error);
    }
  }

  private watermarkOf(row: Row): StoredWatermark {
    const value = row.Watermark;
    const watermark = value instanceof Date ? value : parseUtcDate(String(value));
    if (watermark === undefined || Number.isNaN(watermark.getTime())) throw new Error(`state table: watermark row ${row.partitionKey} holds no date`);
    return { watermark, etag: row.etag };
  }

  private async readWatermark(partitionKey: string): Promise<StoredWatermark | undefined> {
    try {
      return this.watermarkOf(await this.table.getEntity<Record<string, unknown>>(partitionKey, WATERMARK_ROW));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async advanceWatermark(ruleId: string, watermark: Date, expectedEtag: string | undefined): Promise<void> {
    const partitionKey = devicePartition(ruleId);
    const entity = { partitionKey, rowKey: WATERMARK_ROW, Kind: 'watermark', Watermark: watermark };
    let etag = expectedEtag;
    for (let attempt = 1; attempt <= WATERMARK_ATTEMPTS; attempt++) {
      try {
        if (etag === undefined) await this.table.createEntity(entity);
        else await this.table.updateEntity(entity, 'Replace', { etag });
        return;
      } catch (error) {
        if (!isConflict(error)) throw storageError(`advancing the watermark of rule ${ruleId}`, error);
      }
      // Someone else moved it: keep theirs if it is already later.
      const current = await this.readWatermark(partitionKey).catch((error: unknown) => {
        throw storageError(`re-reading the watermark of rule ${ruleId}`, error);
      });
      if (current && current.watermark.getTime() >= watermark.getTime()) return;
      etag = current?.etag;
    }
    throw new Error(`state table: the watermark of rule ${ruleId} kept changing under ${WATERMARK_ATTEMPTS} attempts`);
  }

  async appendRunReport(report: RunReport): Promise<void> {
    try {
      await this.table.upsertEntity(toRunReportEntity(runsPartition(report.ruleId), report), 'Replace');
    } catch (error) {
      throw storageError(`storing the report of run ${report.runId}`, error);
    }
  }

  async listRunReports(ruleId: string, limit: number): Promise<RunReport[]> {
    const partitionKey = runsPartition(ruleId);
    const reports: RunReport[] = [];
    try {
      const pages = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } }).byPage({ maxPageSize: Math.min(PAGE_SIZE, Math.max(1, limit)) });
      for await (const page of pages) {
        for (const row of page) {
          if (reports.length >= limit) return reports;
          reports.push(fromRunReportEntity(row));
        }
        if (reports.length >= limit) return reports;
      }
    } catch (error) {
      throw storageError(`listing the runs of rule ${ruleId}`, error);
    }
    return reports;
  }

  async purgeRunReports(ruleId: string, startedBefore: Date): Promise<number> {
    const partitionKey = runsPartition(ruleId);
    const firstOld = runTimeKey(startedBefore);
    return this.deleteWhere(partitionKey, odata`PartitionKey eq ${partitionKey} and RowKey gt ${firstOld}`, `purging old runs of rule ${ruleId}`);
  }

  async resetRule(ruleId: string): Promise<void> {
    for (const partitionKey of [devicePartition(ruleId), runsPartition(ruleId)]) {
      await this.deleteWhere(partitionKey, odata`PartitionKey eq ${partitionKey}`, `resetting rule ${ruleId}`);
    }
  }

  private async deleteBatch(partitionKey: string, rowKeys: readonly string[]): Promise<void> {
    try {
      await this.table.submitTransaction(rowKeys.map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]));
    } catch (error) {
      // A concurrent run deleted some of them first (404 fails the whole transaction): delete the rest one by one.
      if (statusOf(error) !== 404) throw error;
      for (const rowKey of rowKeys) {
        await this.table.deleteEntity(partitionKey, rowKey).catch((single: unknown) => {
          if (statusOf(single) !== 404) throw single;
        });
      }
    }
  }

  private async deleteWhere(partitionKey: string, filter: string, what: string): Promise<number> {
    try {
      const rowKeys: string[] = [];
      const pages = this.table.listEntities({ queryOptions: { filter, select: ['RowKey'] } }).byPage({ maxPageSize: PAGE_SIZE });
      for await (const page of pages) for (const row of page) if (row.rowKey !== undefined) rowKeys.push(row.rowKey);
      for (const batch of chunks(rowKeys, TRANSACTION_SIZE)) await this.deleteBatch(partitionKey, batch);
      return rowKeys.length;
    } catch (error) {
      throw storageError(what, error);
    }
  }
}
