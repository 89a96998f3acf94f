import type { Logger } from '../core/model.js';

type Sink = (line: string) => void;

/** Structured lines (`level message {json}`) for the CLI; the Function uses its InvocationContext instead. */
export function lineLogger(write: Sink): Logger {
  const emit = (level: string) => (message: string, data?: Readonly<Record<string, unknown>>) =>
    write(`${level} ${message}${data && Object.keys(data).length > 0 ? ` ${JSON.stringify(data)}` : ''}`);
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** Keeps what was logged, for the run report and for tests. */
export function recordingLogger(inner: Logger): Logger & { readonly lines: readonly { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const record = (level: 'info' | 'warn' | 'error') => (message: string, data?: Readonly<Record<string, unknown>>) => {
    lines.push({ level, message });
    inner[level](message, data);
  };
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}
