/**
 * The real state store with one injected crash: the chosen call throws instead of running,
 * exactly as if the process had died just before it.
 */
import type { DeviceWrite, DeviceWriteResult, StateStore, StoredDevice } from '../../src/core/ports.js';
import type { RunReport } from '../../src/core/report.js';

export type CrashPoint = { readonly method: 'writeDevices' | 'appendRunReport'; readonly nth: number };

export class CrashingStateStore implements StateStore {
  private readonly counts = new Map<string, number>();
  constructor(
    private readonly inner: StateStore,
    private readonly crash: CrashPoint | undefined,
  ) {}

  private maybeCrash(method: CrashPoint['method']): void {
    const count = (this.counts.get(method) ?? 0) + 1;
    this.counts.set(method, count);
    if (this.crash?.method === method && this.crash.nth === count) throw new Error(`injected crash before ${method} #${count}`);
  }

  loadDevices(groupId: string): Promise<ReadonlyMap<string, StoredDevice>> {
    return this.inner.loadDevices(groupId);
  }
  readDevice(groupId: string, deviceId: string): Promise<StoredDevice | undefined> {
    return this.inner.readDevice(groupId, deviceId);
  }
  async writeDevices(groupId: string, writes: readonly DeviceWrite[]): Promise<DeviceWriteResult[]> {
    this.maybeCrash('writeDevices');
    return this.inner.writeDevices(groupId, writes);
  }
  loadWatermark(ruleId: string): Promise<Date | undefined> {
    return this.inner.loadWatermark(ruleId);
  }
  async appendRunReport(report: RunReport): Promise<void> {
    this.maybeCrash('appendRunReport');
    return this.inner.appendRunReport(report);
  }
  listRunReports(ruleId: string, limit: number): Promise<RunReport[]> {
    return this.inner.listRunReports(ruleId, limit);
  }
  purgeRunReports(ruleId: string, startedBefore: Date): Promise<number> {
    return this.inner.purgeRunReports(ruleId, startedBefore);
  }
  resetRule(ruleId: string, groupId: string): Promise<void> {
    return this.inner.resetRule(ruleId, groupId);
  }
}
