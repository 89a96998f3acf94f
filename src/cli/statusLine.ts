/**
 * The CLI's progress on stderr: on a terminal, one line rewritten in place (phase, devices done of
 * the total, time left), with log lines printed above it; anywhere else (a pipe, a file, CI) only
 * the log lines, exactly as they would be without it. Node's own terminal control (tty) is all it
 * needs: no library.
 */
import type { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { HuntProgress } from '../core/ports.js';
import { ProgressTracker } from '../runtime/progress.js';

/** Redraws at most this often: a terminal is slow to write to, batches are fast. */
const REDRAW_EVERY_MS = 100;
/** Erase the whole line and go back to its start (ANSI CSI 2K). */
const ERASE_LINE = '\r\x1b[2K';

interface Terminal {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface StatusLine {
  /** Told how far the run has got. */
  readonly progress: HuntProgress;
  /** Writes one log line (above the status line on a terminal). */
  print(line: string): void;
  /** Erases the status line for good: call before printing the result. */
  done(): void;
}

export function statusLine(stream: Writable, nowMs: () => number = () => performance.now()): StatusLine {
  const terminal = stream as Writable & Terminal;
  if (terminal.isTTY !== true) {
    return { progress: new ProgressTracker(), print: (line) => stream.write(line + '\n'), done: () => undefined };
  }
  let shown = '';
  let lastDrawMs = -Infinity;
  let finished = false;
  const draw = (force: boolean) => {
    const now = nowMs();
    if (finished || (!force && now - lastDrawMs < REDRAW_EVERY_MS)) return;
    const text = tracker.describe() ?? '';
    const width = Math.max(20, (terminal.columns ?? 80) - 1);
    shown = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    stream.write(ERASE_LINE + shown);
    lastDrawMs = now;
  };
  const tracker = new ProgressTracker(() => draw(false), nowMs);
  return {
    progress: tracker,
    print(line) {
      stream.write((shown === '' || finished ? '' : ERASE_LINE) + line + '\n');
      if (shown !== '') draw(true);
    },
    done() {
      if (!finished && shown !== '') stream.write(ERASE_LINE);
      finished = true;
    },
  };
}
