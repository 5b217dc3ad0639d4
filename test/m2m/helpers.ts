import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  resolveClientCredentialsOptions,
  type CognitoClientCredentialsOptions,
  type ResolvedClientCredentialsOptions,
} from '../../src/m2m/index.js';
import { startCognitoEmulator, type CognitoEmulator, type CognitoEmulatorOptions } from '../../src/testing/index.js';

/** A forwarding HTTP proxy on 127.0.0.1 that records the headers of every request it passes to `target`. */
export interface RecordingProxy {
  readonly url: string;
  readonly requests: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function recordingProxy(target: string): Promise<RecordingProxy> {
  const { port: targetPort } = new URL(target);
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    requests.push({ ...req.headers });
    const upstream = httpRequest(
      { host: '127.0.0.1', port: Number(targetPort), path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The emulator a test starts with `start()`, closed after each test. */
export function m2mFixture(): { start(options?: CognitoEmulatorOptions): Promise<CognitoEmulator>; readonly emu: CognitoEmulator } {
  let emu: CognitoEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });
  return {
    async start(options = {}) {
      emu = await startCognitoEmulator(options);
      return emu;
    },
    get emu() {
      if (emu === undefined) throw new Error('m2mFixture: call start() first');
      return emu;
    },
  };
}

/** Resolved options pointing at the emulator for `client`. */
export function optionsFor(
  emu: CognitoEmulator,
  client: { clientId: string; clientSecret: string },
  extra: Partial<CognitoClientCredentialsOptions> = {},
): ResolvedClientCredentialsOptions {
  return resolveClientCredentialsOptions({
    userPoolId: emu.userPoolId,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    endpoint: emu.endpoint,
    ...extra,
  });
}

/** A deadline for one token request in a test. */
export const deadline = (): AbortSignal => AbortSignal.timeout(10_000);

/** An HTTP server on 127.0.0.1 that accepts requests and never answers (a silent Cognito). */
export async function silentServer(): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const state = { requests: 0 };
  const server = createServer((req) => {
    state.requests++;
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
