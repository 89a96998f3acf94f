/**
 * The hunt window: `[min(now - queryPeriod, watermark - overlap), now - ingestionDelay]`.
 * - Every run reads at least what the rule itself reads (`now - queryPeriod`), so an event that
 *   arrives up to the query period late (a laptop back online uploads with its original
 *   Timestamp) is still found; re-reading is free because unchanged devices write nothing.
 * - First run (no watermark): exactly the rule's query period.
 * - After an outage longer than the query period the window reaches back to the last completed
 *   window (minus the overlap) and covers the whole gap, unless the backend cannot look back
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

/**
 * The backend checks its look-back against its own clock when the query is sent, a little after
 * `now`: a window starting exactly at the limit would be refused on every run and the watermark
 * would never move again. Starting this much inside the limit leaves room for the run itself.
 */
export const BACKEND_LOOKBACK_MARGIN_MS = 10 * 60_000;

export function planWindow(inputs: WindowInputs): WindowPlan {
  const { now, watermark, config, backendMaxLookbackMs } = inputs;
  const end = new Date(now.getTime() - config.ingestionDelayMs);
  const backendFloor = backendMaxLookbackMs === undefined ? undefined : now.getTime() - backendMaxLookbackMs + BACKEND_LOOKBACK_MARGIN_MS;

  let start: number;
  let cappedBy: WindowPlan['cappedBy'];
  let uncovered: TimeWindow | undefined;
  let outageMs: number | undefined;
  if (watermark === undefined) {
    start = now.getTime() - inputs.queryPeriodMs;
    cappedBy = 'queryPeriod';
  } else {
    start = Math.min(now.getTime() - inputs.queryPeriodMs, watermark.getTime() - config.overlapMs);
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
