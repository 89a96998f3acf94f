/**
 * The loopback HTTPS server under every contract server: routes requests to a service's handler,
 * records what the client sent, and lets a test script failures in front of the real behaviour
 * (429 with Retry-After, 5xx, 401/403) for the next matching requests.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { selfSignedCertificate } from './selfSignedCertificate.js';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The bytes as sent (a gzip body is not valid UTF-8). */
  readonly rawBody: Buffer;
  readonly receivedAt: number;
}

export interface ContractResponse {
  readonly status: number;
  /** Answer this much later, as a service that works on the request before it fails. */
  readonly delayMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export type ContractHandler = (request: RecordedRequest) => ContractResponse | Promise<ContractResponse>;

interface ScriptedFailure {
  readonly matches: (request: RecordedRequest) => boolean;
  readonly response: ContractResponse;
}

export const TEST_TOKEN = 'contract-test-token';

export class HttpsContractServer {
  readonly requests: RecordedRequest[] = [];
  private readonly scripted: ScriptedFailure[] = [];
  private server: Server | undefined;

  constructor(private readonly handler: ContractHandler) {}

  get certificate(): string {
    return selfSignedCertificate().cert;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('contract server not started');
    return `https://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    const { key, cert } = selfSignedCertificate();
    this.server = createServer({ key, cert }, (incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', async () => {
        const url = new URL(incoming.url ?? '/', 'https://127.0.0.1');
        const rawBody = Buffer.concat(chunks);
        const request: RecordedRequest = {
          method: incoming.method ?? 'GET',
          path: decodeURIComponent(url.pathname),
          query: url.searchParams,
          headers: incoming.headers,
          body: rawBody.toString('utf8'),
          rawBody,
          receivedAt: Date.now(),
        };
        this.requests.push(request);
        const response = await this.respond(request);
        if (response.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
        const body = response.body === undefined || response.status === 204 ? '' : JSON.stringify(response.body);
        outgoing.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': `req-${this.requests.length}`, ...response.headers });
        outgoing.end(body);
      });
    });
    // Idle keep-alive connections stay open until stop(). Node's default closes a connection idle
    // for keepAliveTimeout (5 s) plus a 1 s buffer, while the SDK's agent keeps its pooled socket
    // with no idle limit (the `Keep-Alive: timeout=5` hint only shortens an agent timeout that is
    // set, and the SDK sets none). A request sent on that socket in the moment the server closes it
    // fails with ECONNRESET and the SDK retries it: under load, when a gap between two calls to one
    // service happens to be about 6 s, a run then shows `attempts: 2` although the service never
    // failed. Azure's front ends keep idle connections for minutes, so this is no loss of realism.
    this.server.keepAliveTimeout = 0;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next `times` requests matching `matches` get `response` instead of the service's behaviour. */
  failNext(response: ContractResponse, times = 1, matches: (request: RecordedRequest) => boolean = () => true): void {
    for (let index = 0; index < times; index += 1) this.scripted.push({ matches, response });
  }

  private async respond(request: RecordedRequest): Promise<ContractResponse> {
    if (request.headers.authorization !== `Bearer ${TEST_TOKEN}`) {
      return { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token is missing or invalid.' } } };
    }
    const index = this.scripted.findIndex((failure) => failure.matches(request));
    if (index >= 0) return this.scripted.splice(index, 1)[0]!.response;
    try {
      return await this.handler(request);
    } catch (error) {
      return { status: 500, body: { error: { code: 'ContractServerBug', message: String(error) } } };
    }
  }
}

export function serviceErrorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
