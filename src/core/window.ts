/**
 * The hunt window: `[watermark - overlap, now - ingestionDelay]`.
 * - First run (no watermark): what the rule itself reads, `[now - queryPeriod, now - ingestionDelay]`.
 * - After an outage the window covers the whole gap, unless the backend cannot look back
 *   that far (Defender: 30 days); then it starts at the backend's limit and the part it
 *   cannot read is reported as `uncovered`.
 */
import type { TimeWindow } from './model.js';
import type { WindowConfiguration } from '../rules/rule.js';

export interface WindowInputs {
  readonly now: Date;
  readonly watermark: Date | undefined;
  readonly queryPeriodMs: number;
  /** How often the rule runs: a watermark older than twice this means the hunter was down. */
  readonly queryFrequencyMs: number;
  readonly config: WindowConfiguration;
  readonly backendMaxLookbackMs: number | undefined;
}

export interface WindowPlan {
  readonly window: TimeWindow;
  readonly firstRun: boolean;
  /** Why the start is later than `watermark - overlap` (or than `end - queryPeriod` on a first run). */
  readonly cappedBy: 'queryPeriod' | 'backendLookback' | undefined;
  /** Time since the watermark when it exceeds twice the query frequency: the hunter was not running. */
  readonly outageMs: number | undefined;
  /** Events in this span were never hunted: the backend cannot reach them any more. */
  readonly uncovered: TimeWindow | undefined;
  /** True when the end is not after the start (clock behind the watermark): nothing to query. */
  readonly empty: boolean;
}

export function planWindow(inputs: WindowInputs): WindowPlan {
  const { now, watermark, config, backendMaxLookbackMs } = inputs;
  const end = new Date(now.getTime() - config.ingestionDelayMs);
  const backendFloor = backendMaxLookbackMs === undefined ? undefined : now.getTime() - backendMaxLookbackMs;

  let start: number;
  let cappedBy: WindowPlan['cappedBy'];
  let uncovered: TimeWindow | undefined;
  let outageMs: number | undefined;
  if (watermark === undefined) {
    start = now.getTime() - inputs.queryPeriodMs;
    cappedBy = 'queryPeriod';
  } else {
    start = watermark.getTime() - config.overlapMs;
    const sinceWatermark = now.getTime() - watermark.getTime();
    if (sinceWatermark > 2 * inputs.queryFrequencyMs) outageMs = sinceWatermark;
  }
  if (backendFloor !== undefined && start < backendFloor) {
    if (watermark !== undefined && watermark.getTime() < backendFloor) {
      uncovered = { start: new Date(watermark.getTime()), end: new Date(backendFloor) };
    }
    start = backendFloor;
    cappedBy = 'backendLookback';
  }
  const window = { start: new Date(start), end };
  return { window, firstRun: watermark === undefined, cappedBy, outageMs, uncovered, empty: end.getTime() <= start };
}
