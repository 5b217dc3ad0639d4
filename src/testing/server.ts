import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

import type { EmulatorContext, OperationHandler } from './context.js';
import { CognitoWireError, internalError } from './errors.js';
import type { FaultAction, FaultRegistry } from './faults.js';
import { handleTokenEndpoint, TOKEN_ENDPOINT_CALL, TOKEN_ENDPOINT_PATH } from './oauth2-token.js';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Cognito bodies are small; refuse anything larger than this instead of buffering it. */
const MAX_BODY_BYTES = 1024 * 1024;
const IDLE_CONNECTION_TIMEOUT_MS = 30_000;

export interface EmulatorServerDeps {
  ctx: EmulatorContext;
  operations: ReadonlyMap<string, OperationHandler>;
  /** Operations Cognito models as `noAuth`; every other one needs a SigV4-signed request. */
  unsignedOperations: ReadonlySet<string>;
  faults: FaultRegistry;
  /** Incremented per operation name as requests arrive. */
  countCall(operation: string): void;
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: CognitoWireError): void {
  send(
    res,
    error.status,
    { __type: error.type, message: error.message },
    // Header values must stay ASCII; Cognito's messages are.
    { 'x-amzn-errortype': `${error.type}:`, 'x-amzn-errormessage': error.message.replace(/[^\x20-\x7e]/g, '?') },
  );
}

function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new CognitoWireError('SerializationException', 'Malformed request: the body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CognitoWireError('SerializationException', 'Malformed request: the body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

async function handleGet(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const { issuer } = ctx;
  if (path === `/${ctx.userPoolId}/.well-known/jwks.json`) {
    sendPlainJson(res, 200, ctx.tokens.jwks());
    return;
  }
  if (path === `/${ctx.userPoolId}/.well-known/openid-configuration`) {
    sendPlainJson(res, 200, {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['code', 'token'],
    });
    return;
  }
  sendPlainJson(res, 404, { message: 'Not Found' });
}

function sendPlainJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handlePost(req: IncomingMessage, res: ServerResponse, deps: EmulatorServerDeps): Promise<void> {
  if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === TOKEN_ENDPOINT_PATH) {
    await handleOAuthPost(req, res, deps);
    return;
  }
  const target = req.headers['x-amz-target'];
  const operation =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendError(res, new CognitoWireError('SerializationException', 'Request body too large.', 413));
      return;
    }
    throw error;
  }
  if (operation !== undefined && operation !== '') deps.countCall(operation);
  const fault = operation === undefined ? undefined : deps.faults.take(operation);
  if (await answeredByFault(fault, req, (error) => sendError(res, error))) return;
  const handler = operation === undefined ? undefined : deps.operations.get(operation);
  if (handler === undefined) {
    sendError(
      res,
      new CognitoWireError(
        'UnknownOperationException',
        operation === undefined ? 'Missing or unknown X-Amz-Target header.' : `Unknown operation ${operation}`,
      ),
    );
    return;
  }
  if (!deps.unsignedOperations.has(operation!)) checkSigned(req);
  const input = parseJsonObject(text);
  const output = await handler(input, deps.ctx);
  send(res, 200, output ?? {});
}

/**
 * Plays an injected fault: its latency, then a dropped connection or its error (written by `sendFaultError`).
 * True when that answered the request (nothing else may be written).
 */
async function answeredByFault(
  fault: FaultAction | undefined,
  req: IncomingMessage,
  sendFaultError: (error: CognitoWireError) => void,
): Promise<boolean> {
  if (fault === undefined) return false;
  if (fault.latencyMs > 0) await delay(fault.latencyMs);
  if (fault.drop) {
    req.socket.destroy();
    return true;
  }
  if (fault.error === undefined) return false;
  sendFaultError(fault.error);
  return true;
}

/** The OAuth 2.0 token endpoint; faults injected for `TokenEndpoint` answer `{"error": <type>}`. */
async function handleOAuthPost(req: IncomingMessage, res: ServerResponse, deps: EmulatorServerDeps): Promise<void> {
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendPlainJson(res, 413, { error: 'invalid_request' });
      return;
    }
    throw error;
  }
  deps.countCall(TOKEN_ENDPOINT_CALL);
  const fault = deps.faults.take(TOKEN_ENDPOINT_CALL);
  if (await answeredByFault(fault, req, (error) => sendPlainJson(res, error.status, { error: error.type }))) return;
  await handleTokenEndpoint(req, res, text, deps.ctx);
}

const SIGV4_PREFIX = 'AWS4-HMAC-SHA256 Credential=';

/**
 * Admin and pool-management operations need a SigV4-signed request, as in AWS. The signature itself is not
 * verified (any credentials work); a missing one is refused the way AWS JSON services refuse it.
 * @throws MissingAuthenticationTokenException / IncompleteSignatureException (HTTP 400)
 */
function checkSigned(req: IncomingMessage): void {
  const authorization = req.headers.authorization;
  if (authorization === undefined || authorization === '') {
    throw new CognitoWireError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  if (!authorization.startsWith(SIGV4_PREFIX)) {
    throw new CognitoWireError(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential' parameter. Authorization header must be a SigV4 ` +
        `(AWS4-HMAC-SHA256) signature.`,
    );
  }
}

/** The HTTP front of the emulator: AWS JSON 1.1 on `POST /`, JWKS and OpenID configuration on GET. */
export function createRequestListener(deps: EmulatorServerDeps): RequestListener {
  return (req, res) => {
    const work =
      req.method === 'GET'
        ? handleGet(req, res, deps.ctx)
        : req.method === 'POST'
          ? handlePost(req, res, deps)
          : undefined;
    if (work === undefined) {
      sendError(res, new CognitoWireError('UnknownOperationException', `Unsupported method ${req.method ?? ''}`, 405));
      return;
    }
    work.catch((error: unknown) => {
      // Never crash the server: anything unexpected is an InternalErrorException, as Cognito would answer.
      sendError(res, error instanceof CognitoWireError ? error : internalError());
    });
  };
}

/**
 * A keep-alive HTTP server whose listener can be swapped: it starts listening (so the port and issuer are
 * known) before the operations are wired, answering 503 until then.
 */
export function createSwitchableServer(): { server: Server; use(listener: RequestListener): void } {
  let current: RequestListener = (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('starting');
  };
  const server = createServer({ keepAlive: true }, (req, res) => current(req, res));
  // Longer than the clients' idle timeouts (undici 4 s, Node agents 5 s) so an idle socket is never closed by the
  // server just as a client reuses it; close() still ends every connection at once.
  server.keepAliveTimeout = IDLE_CONNECTION_TIMEOUT_MS;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return {
    server,
    use(listener) {
      current = listener;
    },
  };
}
