#!/usr/bin/env node
/**
 * What the auth adapters cost: requests per second for each client (axios, got, undici, fetch) against a
 * keep-alive loopback server, without the adapter (the same `authorization` header set statically) and with
 * it (the header added by the adapter from a TokenSource holding a fresh token), measured side by side in
 * interleaved rounds in one run. Target: the adapter costs under 5 % of throughput. Each overhead is reported
 * as the median of the per-pair figures with their interquartile range; when that range includes 0 the
 * overhead is "within noise", and a target verdict is given only when the whole range is on one side of it.
 *
 *   node bench/adapters.bench.mjs       (after `npm run build`; imports ../dist/esm/adapters/*.js)
 *
 * The server runs in a child process, so the client's CPU time can be measured alone. For each client the
 * two variants run back to back SAMPLES times (REQUESTS requests each, CONCURRENCY in flight, alternating
 * which goes first); the overhead is taken from the median of the paired ratios, which cancels most of the
 * drift of a busy machine. Also reported: client CPU time per request (process.cpuUsage), which a
 * neighbour's load disturbs less than wall-clock rates. Exports `run()`, which returns the rows.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent as HttpAgent } from 'node:http';
import { pathToFileURL } from 'node:url';
import axios from 'axios';
import got from 'got';
import { Agent, request as undiciRequest } from 'undici';
import { median, round, spread, targetVerdict } from './lib/stats.mjs';

const DIST = new URL(process.env.COGNITO_BENCH_DIST ?? '../dist/esm/', import.meta.url);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 16);
/** e.g. BENCH_CLIENTS=undici,fetch (matched against the start of the client name). */
const ONLY = process.env.BENCH_CLIENTS?.split(',');
const TARGET_OVERHEAD_PERCENT = 5;

/** A realistic access-token length (Cognito access tokens are ~1,000 characters). */
const TOKEN = `eyJraWQiOiJiZW5jaCIsImFsZyI6IlJTMjU2In0.${'x'.repeat(900)}.${'s'.repeat(342)}`;

/** The TokenSource contract with a token that stays fresh: what adapters see between refreshes. */
const freshSource = {
  getToken: () => settled,
  peekToken: () => TOKEN,
  invalidate: () => {},
};
const settled = Promise.resolve(TOKEN);

const SERVER = `
const { createServer } = require('node:http');
const body = '{"ok":true}';
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(req.headers.authorization === undefined ? 401 : 200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0)).resume();
`;

async function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout, 'data');
  return { origin: `http://127.0.0.1:${Number(String(chunk).trim())}`, stop: () => child.stdin.end() };
}

/** One client, two variants: each `send(url)` resolves to the status code. */
async function clients(origin) {
  const [{ attachCognitoAuth }, { cognitoGot }, { cognitoInterceptor }, { cognitoFetch }] = await Promise.all(
    ['axios', 'got', 'undici', 'fetch'].map((name) => import(new URL(`adapters/${name}.js`, DIST).href)),
  );
  const staticHeader = { authorization: `Bearer ${TOKEN}` };
  const httpAgent = () => new HttpAgent({ keepAlive: true, maxSockets: CONCURRENCY });

  const axiosPlain = axios.create({ headers: staticHeader, httpAgent: httpAgent() });
  const axiosAuth = axios.create({ httpAgent: httpAgent() });
  attachCognitoAuth(axiosAuth, freshSource);

  const gotOptions = () => ({ agent: { http: httpAgent() }, retry: { limit: 0 } });
  const gotPlain = got.extend({ ...gotOptions(), headers: staticHeader });
  const gotAuth = got.extend(gotOptions(), cognitoGot(freshSource));

  const undiciPlain = new Agent({ connections: CONCURRENCY });
  // A pass-through interceptor: what any interceptor costs through compose(), before doing anything.
  const passThrough = (dispatch) => (opts, handler) => dispatch(opts, handler);
  const undiciComposed = new Agent({ connections: CONCURRENCY }).compose(passThrough);
  const undiciAuth = new Agent({ connections: CONCURRENCY }).compose(cognitoInterceptor(freshSource, { origins: [origin] }));
  const viaUndici = (dispatcher, headers) => async (url) => {
    const response = await undiciRequest(url, { dispatcher, headers });
    await response.body.dump();
    return response.statusCode;
  };

  const fetchAuth = cognitoFetch(freshSource);
  const viaFetch = (fetchFn, init) => async (url) => {
    const response = await fetchFn(url, init);
    await response.arrayBuffer();
    return response.status;
  };

  // `scale`: undici is ~5x faster than the others, so its samples get more requests to last as long (~200 ms);
  // shorter samples measure garbage collection and JIT timing more than the adapter.
  return [
    { client: 'axios', scale: 2, plain: async (url) => (await axiosPlain.get(url)).status, adapter: async (url) => (await axiosAuth.get(url)).status },
    { client: 'got', scale: 2, plain: async (url) => (await gotPlain(url)).statusCode, adapter: async (url) => (await gotAuth(url)).statusCode },
    { client: 'undici', scale: 8, plain: viaUndici(undiciPlain, staticHeader), adapter: viaUndici(undiciAuth, undefined) },
    { client: 'undici vs pass-through interceptor', scale: 8, plain: viaUndici(undiciComposed, staticHeader), adapter: viaUndici(undiciAuth, undefined) },
    { client: 'fetch', scale: 2, plain: viaFetch(globalThis.fetch, { headers: staticHeader }), adapter: viaFetch(fetchAuth, undefined) },
  ];
}

/** Sends `count` requests with `concurrency` in flight; returns requests per second and CPU µs per request. */
async function measure(send, url, count, concurrency) {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (next < count) {
      next += 1;
      const status = await send(url);
      if (status !== 200) throw new Error(`unexpected status ${status}: the request carried no token`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { rate: count / seconds, cpuMicros: (used.user + used.system) / count };
}

/**
 * "within noise" when the interquartile range of the paired overheads includes 0 (no overhead measurable); else
 * whether the whole range is under the target.
 */
function verdict(overhead) {
  if (overhead.q1 <= 0 && overhead.q3 >= 0) return 'within noise';
  return targetVerdict(overhead, { upTo: TARGET_OVERHEAD_PERCENT });
}

export async function run({ print = true } = {}) {
  const server = await startServer();
  try {
    const url = `${server.origin}/orders`;
    const variants = (await clients(server.origin)).filter((v) => ONLY === undefined || ONLY.some((name) => v.client.startsWith(name)));
    const samples = new Map(variants.map((v) => [v.client, []]));
    // Warm-up: connections open, JIT settled.
    for (const v of variants) {
      await measure(v.plain, url, 300, CONCURRENCY);
      await measure(v.adapter, url, 300, CONCURRENCY);
    }
    for (let sample = 0; sample < SAMPLES; sample += 1) {
      for (const v of variants) {
        const pair = {};
        const order = sample % 2 === 0 ? ['plain', 'adapter'] : ['adapter', 'plain'];
        for (const variant of order) pair[variant] = await measure(v[variant], url, REQUESTS * v.scale, CONCURRENCY);
        samples.get(v.client).push(pair);
      }
    }
    const rows = variants.map(({ client }) => {
      const pairs = samples.get(client);
      const overhead = spread(pairs.map((p) => (1 - p.adapter.rate / p.plain.rate) * 100));
      const cpuOverhead = spread(pairs.map((p) => (p.adapter.cpuMicros / p.plain.cpuMicros - 1) * 100));
      return {
        client,
        'without adapter (req/s)': Math.round(median(pairs.map((p) => p.plain.rate))),
        'with adapter (req/s)': Math.round(median(pairs.map((p) => p.adapter.rate))),
        'throughput overhead %': round(overhead.median, 1),
        'throughput overhead IQR %': `${round(overhead.q1, 1)} – ${round(overhead.q3, 1)}`,
        'client CPU µs/req without': round(median(pairs.map((p) => p.plain.cpuMicros)), 1),
        'client CPU µs/req with': round(median(pairs.map((p) => p.adapter.cpuMicros)), 1),
        'CPU overhead %': round(cpuOverhead.median, 1),
        'CPU overhead IQR %': `${round(cpuOverhead.q1, 1)} – ${round(cpuOverhead.q3, 1)}`,
        [`target < ${TARGET_OVERHEAD_PERCENT} %`]: verdict(overhead),
        overhead,
        cpuOverhead,
      };
    });
    if (print) {
      console.log(
        `${SAMPLES} paired samples of ${REQUESTS * 2} requests (undici: ${REQUESTS * 8}) per client and variant, ${CONCURRENCY} in flight, ` +
          'keep-alive loopback; req/s and CPU are each side\'s median, overheads the median of per-pair ratios (IQR)',
      );
      console.table(rows.map(({ overhead, cpuOverhead, ...printable }) => printable));
    }
    return rows;
  } finally {
    server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
