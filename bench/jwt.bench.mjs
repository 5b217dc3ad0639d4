#!/usr/bin/env node
/**
 * JWT verification: this library's TokenVerifier (jose, WebCrypto) vs aws-jwt-verify's CognitoJwtVerifier
 * (node:crypto), both checking the same Cognito access token: RS256 signature, issuer, exp, token_use and
 * client_id, with the keys already in memory (no network).
 *
 *   node bench/jwt.bench.mjs            (after `npm run build`; imports ../dist/esm/src/...)
 *
 * The token: a real access token from the local emulator (its header and claims), re-signed with an RSA-2048
 * key under the regional issuer `https://cognito-idp.<region>.amazonaws.com/<pool>`, because
 * CognitoJwtVerifier only accepts that issuer. Before timing, both verifiers must accept it and reject a
 * tampered copy, so the benchmark cannot time a verifier that skips the signature.
 *
 * Measured per verifier: ops/s one at a time (await each), ops/s with CONCURRENCY in flight, and CPU µs per
 * verification (process.cpuUsage, which includes libuv's crypto threads). Best of ROUNDS, interleaved.
 * Exports `run({ print })` returning a plain object; prints a table when run directly.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { CognitoTokenProvider } from '../dist/esm/src/index.js';
import { startCognitoEmulator } from '../dist/esm/src/testing/index.js';
import { TokenVerifier } from '../dist/esm/src/tokens/verifier.js';

const SEQUENTIAL_OPS = Number(process.env.BENCH_JWT_OPS ?? 4_000);
const CONCURRENCY = 64;
const ROUNDS = Number(process.env.BENCH_JWT_ROUNDS ?? 3);
const PASSWORD = 'Bench-Jwt-Passw0rd-1!';

/** A real emulator access token, re-signed under the regional issuer with a fresh key. */
async function cognitoShapedToken() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const emu = await startCognitoEmulator({ poolName: 'BenchJwt01' });
  try {
    emu.addUser({ username: 'bench', password: PASSWORD });
    const provider = new CognitoTokenProvider({
      userPoolId: emu.userPoolId,
      clientId: emu.clientId,
      endpoint: emu.endpoint,
      username: 'bench',
      password: PASSWORD,
    });
    const { accessToken } = await provider.getTokens();
    provider.close();
    const header = decodeProtectedHeader(accessToken);
    const claims = decodeJwt(accessToken);
    const region = emu.userPoolId.split('_')[0];
    const issuer = `https://cognito-idp.${region}.amazonaws.com/${emu.userPoolId}`;
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: header.kid, alg: 'RS256', use: 'sig' };
    const token = await new SignJWT({ ...claims, iss: issuer })
      .setProtectedHeader({ alg: 'RS256', kid: header.kid })
      .sign(privateKey);
    return { token, jwks: { keys: [jwk] }, issuer, userPoolId: emu.userPoolId, clientId: emu.clientId };
  } finally {
    await emu.close();
  }
}

function tamper(token) {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, username: 'admin' })).toString('base64url')}.${signature}`;
}

async function mustAccept(name, verify, token) {
  const payload = await verify(token);
  if (payload?.token_use !== 'access') throw new Error(`${name} did not return the access token's claims`);
}

async function mustReject(name, verify, token) {
  const accepted = await verify(token).then(
    () => true,
    () => false,
  );
  if (accepted) throw new Error(`${name} accepted a tampered token`);
}

/** ops/s and CPU µs per op, `ops` verifications awaited one by one. */
async function sequential(verify, token, ops) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) await verify(token);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { opsPerSecond: ops / seconds, cpuMicrosPerOp: (cpu.user + cpu.system) / ops };
}

/** ops/s with `concurrency` verifications in flight. */
async function concurrent(verify, token, ops, concurrency) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < ops) await verify(token);
    }),
  );
  return { opsPerSecond: ops / ((performance.now() - t0) / 1000) };
}

const round1 = (x) => Math.round(x * 10) / 10;
const round2 = (x) => Math.round(x * 100) / 100;

export async function run({ print = true } = {}) {
  const { token, jwks, issuer, userPoolId, clientId } = await cognitoShapedToken();

  const ours = new TokenVerifier({ issuer, clientId, jwksUri: `${issuer}/.well-known/jwks.json`, jwks });
  const peer = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId });
  peer.cacheJwks(jwks);

  const verifiers = {
    'cognito-srp-auth TokenVerifier': (t) => ours.verify(t, 'access'),
    'aws-jwt-verify CognitoJwtVerifier.verify': (t) => peer.verify(t),
    'aws-jwt-verify CognitoJwtVerifier.verifySync': async (t) => peer.verifySync(t),
  };
  const bad = tamper(token);
  for (const [name, verify] of Object.entries(verifiers)) {
    await mustAccept(name, verify, token);
    await mustReject(name, verify, bad);
  }

  const best = Object.fromEntries(Object.keys(verifiers).map((name) => [name, { sequential: undefined, concurrent: undefined }]));
  for (const verify of Object.values(verifiers)) await sequential(verify, token, 500); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, verify] of Object.entries(verifiers)) {
      const s = await sequential(verify, token, SEQUENTIAL_OPS);
      const c = await concurrent(verify, token, SEQUENTIAL_OPS, CONCURRENCY);
      const b = best[name];
      if (b.sequential === undefined || s.opsPerSecond > b.sequential.opsPerSecond) b.sequential = s;
      if (b.concurrent === undefined || c.opsPerSecond > b.concurrent.opsPerSecond) b.concurrent = c;
    }
  }

  const oursName = 'cognito-srp-auth TokenVerifier';
  const peerName = 'aws-jwt-verify CognitoJwtVerifier.verify';
  const rows = Object.entries(best).map(([verifier, b]) => ({
    verifier,
    'ops/s (one at a time)': Math.round(b.sequential.opsPerSecond),
    [`ops/s (${CONCURRENCY} in flight)`]: Math.round(b.concurrent.opsPerSecond),
    'CPU µs/op': round1(b.sequential.cpuMicrosPerOp),
  }));
  const result = {
    node: process.version,
    cores: availableParallelism(),
    token: 'Cognito access token (emulator claims, RS256 2048-bit, regional issuer)',
    concurrency: CONCURRENCY,
    rows,
    ours: best[oursName],
    peer: best[peerName],
    peerSync: best['aws-jwt-verify CognitoJwtVerifier.verifySync'],
    /** ours / peer; above 1 means ours verifies more tokens per second. */
    ratioSequential: round2(best[oursName].sequential.opsPerSecond / best[peerName].sequential.opsPerSecond),
    ratioConcurrent: round2(best[oursName].concurrent.opsPerSecond / best[peerName].concurrent.opsPerSecond),
    /** peer CPU / ours CPU per verification; above 1 means ours costs less CPU (less disturbed by a busy machine). */
    ratioCpu: round2(best[peerName].sequential.cpuMicrosPerOp / best[oursName].sequential.cpuMicrosPerOp),
  };
  if (print) {
    console.log(
      `JWT verification of one ${result.token}, keys in memory; best of ${ROUNDS} rounds of ${SEQUENTIAL_OPS} verifications, ` +
        `Node ${result.node}, ${result.cores} cores`,
    );
    console.table(rows);
    console.log(
      `ours / aws-jwt-verify (async verify): ${result.ratioSequential}x the ops/s one at a time, ${result.ratioConcurrent}x with ` +
        `${CONCURRENCY} in flight; aws-jwt-verify uses ${result.ratioCpu}x our CPU per verification`,
    );
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
