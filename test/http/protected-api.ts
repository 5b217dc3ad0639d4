import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

/** What the server saw of one request. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The token it received (after the scheme), if any. */
  token: string | undefined;
  bodyBytes: number;
  status: number;
}

export interface ProtectedApiOptions {
  /** Keys to verify with: a JWKS object, or the URL of one (e.g. the emulator's `jwksUri`). */
  jwks: JSONWebKeySet | URL;
  issuer: string;
  /** Server-side revocation (e.g. `emu.isTokenRevoked`): a revoked token gets 401. */
  isRevoked?: (token: string) => boolean;
  /** Where the token is read from; default `authorization` with scheme `Bearer`. */
  header?: string;
  scheme?: string;
}

/**
 * A real HTTP API on 127.0.0.1 that verifies the JWT of every request (RS256, issuer, expiry) and answers
 * 401 otherwise. Routes:
 * - `/public/...`: no token needed; `/redirect?to=<url>&status=302`: redirects (no token needed);
 * - `/slow?ms=<n>`: answers after n ms; `/status/<code>`: answers with that code; anything else: 200 JSON.
 */
export class ProtectedApi {
  readonly requests: RecordedRequest[] = [];
  /** Tokens the API itself considers revoked (besides `isRevoked`). */
  readonly revoked = new Set<string>();
  readonly #server: Server;
  readonly #options: ProtectedApiOptions;
  readonly #keys: ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;
  #origin = '';

  private constructor(options: ProtectedApiOptions) {
    this.#options = options;
    this.#keys = options.jwks instanceof URL ? createRemoteJWKSet(options.jwks) : createLocalJWKSet(options.jwks);
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.keepAliveTimeout = 30_000;
  }

  static async start(options: ProtectedApiOptions): Promise<ProtectedApi> {
    const api = new ProtectedApi(options);
    await new Promise<void>((resolve) => api.#server.listen(0, '127.0.0.1', resolve));
    api.#origin = `http://127.0.0.1:${(api.#server.address() as AddressInfo).port}`;
    return api;
  }

  get origin(): string {
    return this.#origin;
  }

  url(path: string): string {
    return this.#origin + path;
  }

  /** Requests that reached a protected route with a valid token (status 200). */
  get accepted(): RecordedRequest[] {
    return this.requests.filter((r) => r.status === 200);
  }

  get unauthorized(): RecordedRequest[] {
    return this.requests.filter((r) => r.status === 401);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.#origin);
    const token = this.#tokenOf(req.headers);
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, token, bodyBytes: body.length, status: 0 };
    this.requests.push(record);

    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      const text = JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };

    if (url.pathname === '/redirect') {
      record.status = Number(url.searchParams.get('status') ?? 302);
      res.writeHead(record.status, { location: url.searchParams.get('to') ?? '/', 'content-length': 0 });
      res.end();
      return;
    }
    if (!url.pathname.startsWith('/public/')) {
      const subject = await this.#verify(token);
      if (subject === undefined) {
        send(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
        return;
      }
    }
    if (url.pathname === '/slow') await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get('ms') ?? 200)));
    const status = url.pathname.startsWith('/status/') ? Number(url.pathname.slice('/status/'.length)) : 200;
    send(status, { ok: status < 400, method: record.method, path: record.path, bodyBytes: body.length, body: body.toString('utf8') });
  }

  #tokenOf(headers: IncomingHttpHeaders): string | undefined {
    const raw = headers[this.#options.header ?? 'authorization'];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) return undefined;
    const scheme = this.#options.scheme ?? 'Bearer';
    if (scheme === '') return value;
    return value.startsWith(`${scheme} `) ? value.slice(scheme.length + 1) : undefined;
  }

  async #verify(token: string | undefined): Promise<string | undefined> {
    if (token === undefined || this.revoked.has(token) || this.#options.isRevoked?.(token) === true) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.#keys, { issuer: this.#options.issuer, algorithms: ['RS256'] });
      return payload.sub ?? '';
    } catch {
      return undefined;
    }
  }
}

/** A server on its own port that records every request and answers 200: the "other origin" of redirect tests. */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  readonly #server: Server;
  #origin = '';

  private constructor() {
    this.#server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, token: undefined, bodyBytes: 0, status: 200 });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true,"other":true}');
      });
    });
  }

  static async start(): Promise<RecordingServer> {
    const server = new RecordingServer();
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    server.#origin = `http://127.0.0.1:${(server.#server.address() as AddressInfo).port}`;
    return server;
  }

  url(path: string): string {
    return this.#origin + path;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
