/**
 * The hunter's state on Azure Table Storage (one table):
 * - partition `<detection group>`: one entity per device (row = escaped DeviceId);
 * - partition `<rule>!runs`: run reports, newest first; each carries the watermark it left.
 * Loading a group is one partition query in pages of 1,000, the watermark one query of the newest
 * reports. Writes go in transactions of up to 100 entities and about 3.5 MiB of request body (one
 * partition each; the service refuses a transaction over 4 MiB with 413), conditional on ETags.
 * A transaction is all or nothing: when the service refuses one (a stale ETag, 409/412; too large,
 * 413; or 400, an entity it will not take: PropertyValueTooLarge, EntityTooLarge, InvalidInput...,
 * learn.microsoft.com/rest/api/storageservices/table-service-error-codes), its entities are written
 * one by one, so only the stale ones conflict and only the refused one is refused; the others are written.
 * Only these statuses are handled; anything else is rethrown with context.
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { DeviceWrite, DeviceWriteResult, StateStore, StoredDevice } from '../../core/ports.js';
import type { RunReport } from '../../core/report.js';
import { chunks } from '../../core/chunks.js';
import { devicePartition, escapeKey, runsPartition, runTimeKey } from './keys.js';
import { fromDeviceEntity, toDeviceEntity } from './deviceEntity.js';
import { fromRunReportEntity, toRunReportEntity } from './runReportEntity.js';
import { statusOf, storageError } from './errors.js';
import { estimatedOperationBytes } from './transactionSize.js';
import { parseUtcDate } from '../../kql/literals.js';

const PAGE_SIZE = 1000;
const TRANSACTION_SIZE = 100;
/** Table Storage refuses a transaction body over 4 MiB; stay well under it (the size is an estimate). */
export const MAX_TRANSACTION_BYTES = 3.5 * 1024 * 1024;
/**
 * The watermark is the latest among this many newest run reports: a slower run that finished after a
 * faster one (and left an older watermark) cannot move it back.
 */
const WATERMARK_REPORTS = 20;
/** Expired run reports are deleted once a day in one transaction, not one by one every run. */
const PURGE_SLACK_MS = 24 * 60 * 60_000;

function isConflict(error: unknown): boolean {
  const status = statusOf(error);
  return status === 404 || status === 409 || status === 412;
}

/** The service refused the request's content: too large (413), or an entity it will not store (400). */
function isRefused(error: unknown): boolean {
  const status = statusOf(error);
  return status === 400 || status === 413;
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
      if (statusOf(error) !== 403) throw storageError(table, 'creating the table', error);
    }
    return new TableStateStore(table, options);
  }

  get tableName(): string {
    return this.table.tableName;
  }

  async loadDevices(groupId: string): Promise<ReadonlyMap<string, StoredDevice>> {
    const partitionKey = devicePartition(groupId);
    const devices = new Map<string, StoredDevice>();
    try {
      const pages = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } }).byPage({ maxPageSize: PAGE_SIZE });
      for await (const page of pages) {
        for (const row of page) {
          if (row.Kind !== 'device') continue;
          const state = fromDeviceEntity(row);
          devices.set(state.deviceId, { state, etag: row.etag });
        }
      }
    } catch (error) {
      throw storageError(this.table, `loading the devices of group ${groupId}`, error);
    }
    return devices;
  }

  async readDevice(groupId: string, deviceId: string): Promise<StoredDevice | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(devicePartition(groupId), escapeKey(deviceId));
      return { state: fromDeviceEntity(row), etag: row.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw storageError(this.table, `reading device ${deviceId} of group ${groupId}`, error);
    }
  }

  async writeDevices(groupId: string, writes: readonly DeviceWrite[]): Promise<DeviceWriteResult[]> {
    const partitionKey = devicePartition(groupId);
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
        // All or nothing: one stale entity fails the transaction, and so does one entity the service
        // refuses, or a body over its limit (413, which the size estimate should prevent). Nothing was
        // written: write one by one, so the stale ones conflict, the refused one is refused, the rest are written.
        if (!isConflict(error) && !isRefused(error)) throw storageError(this.table, `writing ${batch.length} devices`, error);
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
      if (isRefused(error)) return { deviceId, outcome: 'refused', message: storageError(this.table, `writing device ${deviceId}`, error).message };
      throw storageError(this.table, `writing device ${deviceId}`, error);
    }
  }

  async loadWatermark(ruleId: string): Promise<Date | undefined> {
    const partitionKey = runsPartition(ruleId);
    let latest: Date | undefined;
    try {
      const pages = this.table
        .listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['Watermark'] } })
        .byPage({ maxPageSize: WATERMARK_REPORTS });
      for await (const page of pages) {
        for (const row of page) {
          const value = row.Watermark;
          const watermark = value instanceof Date ? value : typeof value === 'string' ? parseUtcDate(value) : undefined;
          if (watermark !== undefined && !Number.isNaN(watermark.getTime()) && (latest === undefined || watermark > latest)) latest = watermark;
        }
        break;
      }
    } catch (error) {
      throw storageError(this.table, `loading the watermark of rule ${ruleId}`, error);
    }
    return latest;
  }

  async appendRunReport(report: RunReport): Promise<void> {
    try {
      await this.table.upsertEntity(toRunReportEntity(runsPartition(report.ruleId), report), 'Replace');
    } catch (error) {
      throw storageError(this.table, `storing the report of run ${report.runId}`, error);
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
      throw storageError(this.table, `listing the runs of rule ${ruleId}`, error);
    }
    return reports;
  }

  /**
   * Deletes the reports that started before `startedBefore`, once the oldest of them is a day past
   * it: one query every run, and a batch of deletes once a day instead of one delete every run.
   */
  async purgeRunReports(ruleId: string, startedBefore: Date): Promise<number> {
    const partitionKey = runsPartition(ruleId);
    const what = `purging old runs of rule ${ruleId}`;
    try {
      const rowKeys = await this.rowKeys(odata`PartitionKey eq ${partitionKey} and RowKey gt ${runTimeKey(startedBefore)}`);
      // Row keys grow as start times get older: the largest is the oldest report.
      const oldest = rowKeys.reduce((max, key) => (key > max ? key : max), '');
      if (oldest <= runTimeKey(new Date(startedBefore.getTime() - PURGE_SLACK_MS))) return 0;
      for (const batch of chunks(rowKeys, TRANSACTION_SIZE)) await this.deleteBatch(partitionKey, batch);
      return rowKeys.length;
    } catch (error) {
      throw storageError(this.table, what, error);
    }
  }

  async resetRule(ruleId: string, groupId: string): Promise<void> {
    for (const partitionKey of [devicePartition(groupId), runsPartition(ruleId)]) {
      try {
        const rowKeys = await this.rowKeys(odata`PartitionKey eq ${partitionKey}`);
        for (const batch of chunks(rowKeys, TRANSACTION_SIZE)) await this.deleteBatch(partitionKey, batch);
      } catch (error) {
        throw storageError(this.table, `resetting rule ${ruleId}`, error);
      }
    }
  }

  private async rowKeys(filter: string): Promise<string[]> {
    const rowKeys: string[] = [];
    const pages = this.table.listEntities({ queryOptions: { filter, select: ['RowKey'] } }).byPage({ maxPageSize: PAGE_SIZE });
    for await (const page of pages) for (const row of page) if (row.rowKey !== undefined) rowKeys.push(row.rowKey);
    return rowKeys;
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
}
