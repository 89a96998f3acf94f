/**
 * Parking a device whose detection cannot be written for a reason a retry of the same write does
 * not fix (src/core/state.ts ParkedState): when it is tried again, and when it is given up.
 */
import type { DetectionReason } from './detection.js';
import type { DeviceState, ParkedState } from './state.js';
import type { ParkedRef } from './report.js';
import { boundText } from './boundText.js';

/** Attempts before a parked device is given up (retried again only when it brings new evidence). */
export const PARK_ATTEMPTS = 8;
const FIRST_RETRY_MS = 60 * 60_000;
const LONGEST_RETRY_MS = 24 * 60 * 60_000;

/** The parked record after one more failed attempt: the retry interval doubles from an hour up to a day. */
export function parkedAfter(previous: ParkedState | undefined, step: ParkedState['step'], message: string, now: Date, reason: DetectionReason | undefined): ParkedState {
  const attempts = (previous?.attempts ?? 0) + 1;
  const delay = Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), LONGEST_RETRY_MS);
  const kept = reason ?? previous?.reason;
  return {
    step,
    since: previous?.since ?? now,
    attempts,
    nextAttemptAt: new Date(now.getTime() + delay),
    message: boundText(message, 1_000),
    givenUp: attempts >= PARK_ATTEMPTS,
    ...(kept ? { reason: kept } : {}),
  };
}

/** Whether a parked device is retried this run: when due, or, once given up, only when it brings new evidence. */
export function parkedRetryDue(parked: ParkedState, now: Date, hasNewEvidence: boolean): boolean {
  return parked.givenUp ? hasNewEvidence : now.getTime() >= parked.nextAttemptAt.getTime();
}

export function parkedRef(state: DeviceState, parked: ParkedState, status: ParkedRef['state']): ParkedRef {
  return {
    deviceId: state.deviceId,
    deviceName: state.deviceName,
    step: parked.step,
    message: parked.message,
    attempts: parked.attempts,
    ...(parked.givenUp ? {} : { nextAttemptAt: parked.nextAttemptAt.toISOString() }),
    givenUp: parked.givenUp,
    since: parked.since.toISOString(),
    state: status,
  };
}
