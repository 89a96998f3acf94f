/**
 * How far a run has got, as text: the current phase, devices done of the total, and an estimate
 * of the time left from the phase's own pace. Shared by the CLI's status line and the Function's
 * periodic log. Elapsed time is the monotonic timer: a replay's clock is stopped.
 */
import { performance } from 'node:perf_hooks';
import type { HuntPhase, HuntProgress } from '../core/ports.js';

const PHASE_TEXT: Readonly<Record<HuntPhase, string>> = {
  enrich: 'enriching hits with context',
  write: 'writing incidents and state',
};

/** The estimate waits for a little history, so the first batch's warm-up does not skew it. */
const MIN_ELAPSED_FOR_ETA_MS = 500;

interface PhaseState {
  readonly phase: HuntPhase;
  readonly total: number;
  done: number;
  readonly startedMs: number;
}

export class ProgressTracker implements HuntProgress {
  private current: PhaseState | undefined;

  constructor(
    private readonly onChange: () => void = () => undefined,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  begin(phase: HuntPhase, total: number): void {
    this.current = { phase, total, done: 0, startedMs: this.nowMs() };
    this.onChange();
  }

  advance(phase: HuntPhase, done: number): void {
    if (this.current?.phase !== phase) return;
    this.current.done = Math.min(this.current.total, this.current.done + done);
    this.onChange();
  }

  /** The current phase and how far it is, if one has begun. */
  position(): { readonly phase: HuntPhase; readonly total: number; readonly done: number } | undefined {
    return this.current && { phase: this.current.phase, total: this.current.total, done: this.current.done };
  }

  /** e.g. `writing incidents and state: 4,000 of 10,000 devices (40%), about 12 s left`; undefined before any phase. */
  describe(): string | undefined {
    const state = this.current;
    if (state === undefined) return undefined;
    const { phase, total, done } = state;
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    let text = `${PHASE_TEXT[phase]}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} devices (${percent}%)`;
    const elapsed = this.nowMs() - state.startedMs;
    if (done > 0 && done < total && elapsed >= MIN_ELAPSED_FOR_ETA_MS) text += `, about ${describeSeconds(((total - done) * elapsed) / done)} left`;
    return text;
  }
}

function describeSeconds(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

/** The Function's progress: one log line when a phase begins, at most one per interval while it runs, one when it ends. */
export function intervalProgressLog(log: (line: string) => void, intervalMs = 30_000, nowMs: () => number = () => performance.now()): HuntProgress {
  let lastLogMs = -Infinity;
  const tracker = new ProgressTracker(() => undefined, nowMs);
  const emit = () => {
    log(`progress: ${tracker.describe() ?? ''}`);
    lastLogMs = nowMs();
  };
  return {
    begin(phase, total) {
      tracker.begin(phase, total);
      if (total > 0) emit();
    },
    advance(phase, done) {
      const before = tracker.position();
      tracker.advance(phase, done);
      const after = tracker.position();
      if (after === undefined || after.phase !== phase || before?.done === after.done) return;
      if (after.done === after.total || nowMs() - lastLogMs >= intervalMs) emit();
    },
  };
}
