import type { Logger } from '../core/ports.js';

type Sink = (line: string) => void;

/** Structured lines (`level message {json}`) for the CLI; the Function uses its InvocationContext instead. */
export function lineLogger(write: Sink): Logger {
  const emit = (level: string) => (message: string, data?: Readonly<Record<string, unknown>>) => write(`${level} ${withData(message, data)}`);
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** A log message with its structured data appended as JSON, when there is any. */
export function withData(message: string, data?: Readonly<Record<string, unknown>>): string {
  return data && Object.keys(data).length > 0 ? `${message} ${JSON.stringify(data)}` : message;
}
