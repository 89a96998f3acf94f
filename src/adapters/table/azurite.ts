/**
 * Starts Azurite's Table service as a child process on a free loopback port: the real Table
 * Storage emulator, for the tests and for `hunter replay`. Never used by the function app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';

export interface AzuriteTables {
  /** Connection string for Azurite's well-known development account. */
  readonly connectionString: string;
  readonly tableEndpoint: string;
  /** The emulator's process id (the local state lock records it). */
  readonly pid: number;
  /** Settles when the emulator's process ends, however it ends. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** Stops the emulator, letting it save its data first. */
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Directory Azurite keeps its data in; undefined keeps everything in memory. */
  readonly persistenceDir?: string | undefined;
  /** How long to wait for the emulator to listen (ms). */
  readonly startTimeoutMs?: number;
}

// Azurite's documented development account: public, the same in every Azurite.
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const START_ATTEMPTS = 3;

/**
 * Loaded into the emulator's process before Azurite itself. Azurite saves its tables every 5 seconds
 * and when it closes (on SIGINT or an IPC "shutdown"), but nothing tells it that its parent died: a
 * replay killed hard left the emulator running on the state folder, and killing it too lost what it
 * had acknowledged since its last save. The IPC channel closes whenever the parent goes, however it
 * goes, so the emulator closes then, as on Ctrl-C. Its stdout and stderr pipes are gone by then:
 * a failed write to them must not crash it before it saves. If Azurite has not started yet there is
 * nothing to save.
 */
const CLOSE_WITH_PARENT = `
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
process.once('disconnect', () => {
  if (process.listenerCount('SIGINT') > 0) process.emit('SIGINT');
  else process.exit(0);
  setTimeout(() => process.exit(1), ${30_000}).unref();
});`;
const closeWithParent = `data:text/javascript,${encodeURIComponent(CLOSE_WITH_PARENT)}`;

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function waitForStart(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => done(new Error(`Azurite did not start within ${timeoutMs} ms: ${output.trim()}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('successfully started')) done(undefined);
    };
    const onExit = (code: number | null) => done(new Error(`Azurite exited (code ${code}) before it started: ${output.trim()}`));
    function done(error: Error | undefined) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Closes the IPC channel, which makes the emulator close its database (and so save it) and exit. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    if (child.connected) child.disconnect();
    else child.kill('SIGINT');
  });
}

export async function startAzuriteTables(options: AzuriteOptions): Promise<AzuriteTables> {
  const entry = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
  const location = options.persistenceDir;
  if (location) await mkdir(location, { recursive: true });
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freeLoopbackPort();
    const args = [entry, '--tableHost', '127.0.0.1', '--tablePort', String(port), '--skipApiVersionCheck', '--disableTelemetry', '--loose'];
    args.push(...(location ? ['--location', location] : ['--inMemoryPersistence']));
    const child = spawn(process.execPath, ['--import', closeWithParent, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], ...(location ? { cwd: location } : {}) });
    try {
      await waitForStart(child, options.startTimeoutMs ?? 30_000);
    } catch (error) {
      lastError = error;
      await stopChild(child);
      continue;
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    // Keep draining the access log so the child never blocks on a full pipe.
    child.stdout?.resume();
    child.stderr?.resume();
    const tableEndpoint = `http://127.0.0.1:${port}/${ACCOUNT}`;
    return {
      tableEndpoint,
      pid: child.pid!,
      exited,
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};TableEndpoint=${tableEndpoint};`,
      stop: () => stopChild(child),
    };
  }
  throw new Error(`could not start Azurite's table service after ${START_ATTEMPTS} attempts`, { cause: lastError });
}
