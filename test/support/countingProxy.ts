/**
 * A loopback HTTP proxy in front of Azurite that counts the requests the state store makes,
 * as the storage account would bill them (a batch transaction is one request). It can also play
 * the network failing: drop the connection of chosen requests, or stop answering at all (the
 * store's port refuses connections, as when the emulator dies).
 */
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';

export interface CountingProxy {
  readonly endpoint: string;
  readonly requests: { method: string; path: string }[];
  /** Requests this answers by dropping the connection, before they reach the store. */
  drop: ((request: { method: string; path: string }) => boolean) | undefined;
  reset(): void;
  /** Stops listening and cuts open connections: from now on, connection refused. */
  close(): Promise<void>;
}

export async function startCountingProxy(targetEndpoint: string): Promise<CountingProxy> {
  const target = new URL(targetEndpoint);
  const requests: { method: string; path: string }[] = [];
  let drop: CountingProxy['drop'];
  const server: Server = createServer((incoming, outgoing) => {
    const seen = { method: incoming.method ?? '?', path: decodeURIComponent(incoming.url ?? '') };
    requests.push(seen);
    if (drop?.(seen)) {
      incoming.socket.destroy();
      return;
    }
    const forward = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forward.on('error', (error) => outgoing.destroy(error));
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}${target.pathname}`,
    requests,
    get drop() {
      return drop;
    },
    set drop(choose) {
      drop = choose;
    },
    reset: () => requests.splice(0),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The emulator's connection string pointed at another table endpoint. */
export function withTableEndpoint(connectionString: string, endpoint: string): string {
  return connectionString.replace(/TableEndpoint=[^;]*/, `TableEndpoint=${endpoint}`);
}

/**
 * A counting proxy in front of the test file's Azurite for the whole file (call at top level,
 * after useAzurite()). Returns an accessor, valid inside tests.
 */
export function useCountingProxy(tableEndpoint: () => string): () => CountingProxy {
  let proxy: CountingProxy | undefined;
  beforeAll(async () => {
    proxy = await startCountingProxy(tableEndpoint());
  });
  afterAll(async () => {
    await proxy?.close();
  });
  return () => {
    if (!proxy) throw new Error('the counting proxy is not running (use inside a test)');
    return proxy;
  };
}
