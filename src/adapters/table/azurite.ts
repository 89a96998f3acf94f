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

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    // SIGINT lets Azurite close its database, so a persisted state survives.
    child.kill('SIGINT');
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
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(location ? { cwd: location } : {}) });
    try {
      await waitForStart(child, options.startTimeoutMs ?? 30_000);
    } catch (error) {
      lastError = error;
      await stopChild(child);
      continue;
    }
    // Keep draining the access log so the child never blocks on a full pipe.
    child.stdout?.resume();
    child.stderr?.resume();
    const tableEndpoint = `http://127.0.0.1:${port}/${ACCOUNT}`;
    return {
      tableEndpoint,
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};TableEndpoint=${tableEndpoint};`,
      stop: () => stopChild(child),
    };
  }
  throw new Error(`could not start Azurite's table service after ${START_ATTEMPTS} attempts`, { cause: lastError });
}
