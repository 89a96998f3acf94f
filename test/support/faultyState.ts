/**
 * The real state store with one injected crash: the chosen call throws instead of running,
 * exactly as if the process had died just before it.
 */
import type { DeviceWrite, DeviceWriteResult, RuleState, StateStore, StoredDevice } from '../../src/core/ports.js';
import type { RunReport } from '../../src/core/report.js';

export type CrashPoint = { readonly method: 'writeDevices' | 'advanceWatermark' | 'appendRunReport'; readonly nth: number };

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

  loadRule(ruleId: string): Promise<RuleState> {
    return this.inner.loadRule(ruleId);
  }
  readDevice(ruleId: string, deviceId: string): Promise<StoredDevice | undefined> {
    return this.inner.readDevice(ruleId, deviceId);
  }
  async writeDevices(ruleId: string, writes: readonly DeviceWrite[]): Promise<DeviceWriteResult[]> {
    this.maybeCrash('writeDevices');
    return this.inner.writeDevices(ruleId, writes);
  }
  async advanceWatermark(ruleId: string, watermark: Date, expectedEtag: string | undefined): Promise<void> {
    this.maybeCrash('advanceWatermark');
    return this.inner.advanceWatermark(ruleId, watermark, expectedEtag);
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
  resetRule(ruleId: string): Promise<void> {
    return this.inner.resetRule(ruleId);
  }
}
