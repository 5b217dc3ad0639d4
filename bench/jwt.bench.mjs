#!/usr/bin/env node
/**
 * JWT verification: this library's TokenVerifier vs aws-jwt-verify's CognitoJwtVerifier, both node:crypto, both
 * checking the same Cognito access token: RS256 signature, issuer, exp, token_use and client_id, with the keys
 * already in memory (no network).
 *
 *   node bench/jwt.bench.mjs            (after `npm run build`; imports ../dist/esm/src/...)
 *
 * The token: a real access token from the local emulator (its header and claims), re-signed with an RSA-2048
 * key under the regional issuer `https://cognito-idp.<region>.amazonaws.com/<pool>`, because
 * CognitoJwtVerifier only accepts that issuer. Before timing, both verifiers must accept it and reject a
 * tampered copy, so the benchmark cannot time a verifier that skips the signature.
 *
 * Measured per verifier, in ROUNDS rounds alternating the order: CPU µs per verification one at a time
 * (process.cpuUsage, which includes libuv's threads, so work moved off the main thread still counts), and, as a
 * separate latency figure, wall µs per verification with CONCURRENCY in flight. Medians and IQR over rounds;
 * ratios paired per round. Exports `run({ print })` returning a plain object; prints a table when run directly.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { CognitoTokenProvider } from '../dist/esm/src/index.js';
import { startCognitoEmulator } from '../dist/esm/src/testing/index.js';
import { TokenVerifier } from '../dist/esm/src/tokens/verifier.js';
import { alternate, pairedRatios, spread, targetVerdict } from './lib/stats.mjs';

const SEQUENTIAL_OPS = Number(process.env.BENCH_JWT_OPS ?? 1_000);
const CONCURRENCY = 64;
const ROUNDS = Number(process.env.BENCH_JWT_ROUNDS ?? 10);
const TARGET_CPU_RATIO = 1.3;
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

/** CPU µs per verification, `ops` verifications awaited one at a time (a request handler's view). */
async function cpuPerVerification(verify, token, ops) {
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < ops; i++) await verify(token);
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / ops;
}

/** Wall µs per verification with `concurrency` in flight: latency figure, not CPU (a second core may help). */
async function wallPerVerificationInFlight(verify, token, ops, concurrency) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < ops) await verify(token);
    }),
  );
  return ((performance.now() - t0) * 1000) / ops;
}

const OURS = 'cognito-srp-auth TokenVerifier.verify';
const PEER = 'aws-jwt-verify CognitoJwtVerifier.verify';
const PEER_SYNC = 'aws-jwt-verify CognitoJwtVerifier.verifySync';

export async function run({ print = true } = {}) {
  const { token, jwks, issuer, userPoolId, clientId } = await cognitoShapedToken();

  const ours = new TokenVerifier({ issuer, clientId, jwksUri: `${issuer}/.well-known/jwks.json`, jwks });
  const peer = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId });
  peer.cacheJwks(jwks);

  const verifiers = {
    [OURS]: (t) => ours.verify(t, 'access'),
    [PEER]: (t) => peer.verify(t),
    [PEER_SYNC]: async (t) => peer.verifySync(t),
  };
  const bad = tamper(token);
  for (const [name, verify] of Object.entries(verifiers)) {
    await mustAccept(name, verify, token);
    await mustReject(name, verify, bad);
  }
  for (const verify of Object.values(verifiers)) await cpuPerVerification(verify, token, 500); // warm-up

  const cpu = await alternate(
    Object.fromEntries(Object.entries(verifiers).map(([name, verify]) => [name, () => cpuPerVerification(verify, token, SEQUENTIAL_OPS)])),
    ROUNDS,
  );
  const inFlight = await alternate(
    Object.fromEntries(
      Object.entries(verifiers).map(([name, verify]) => [name, () => wallPerVerificationInFlight(verify, token, SEQUENTIAL_OPS, CONCURRENCY)]),
    ),
    Math.max(3, Math.ceil(ROUNDS / 2)),
  );
  const cpuRatio = spread(pairedRatios(cpu[OURS], cpu[PEER]));
  const cpuRatioSync = spread(pairedRatios(cpu[OURS], cpu[PEER_SYNC]));
  const inFlightRatio = spread(pairedRatios(inFlight[OURS], inFlight[PEER]));
  const result = {
    node: process.version,
    cores: availableParallelism(),
    token: 'Cognito access token (emulator claims, RS256 2048-bit, regional issuer)',
    rounds: ROUNDS,
    opsPerRound: SEQUENTIAL_OPS,
    concurrency: CONCURRENCY,
    cpuMicrosPerVerification: Object.fromEntries(Object.keys(verifiers).map((name) => [name, spread(cpu[name])])),
    wallMicrosPerVerificationInFlight: Object.fromEntries(Object.keys(verifiers).map((name) => [name, spread(inFlight[name])])),
    /** ours CPU / aws-jwt-verify CPU per verification, paired per round (below 1: ours costs less). */
    cpuRatio,
    cpuRatioVsVerifySync: cpuRatioSync,
    /** ours wall / aws-jwt-verify wall per verification with CONCURRENCY in flight (below 1: ours is faster). */
    inFlightLatencyRatio: inFlightRatio,
    target: { cpuRatioUpTo: TARGET_CPU_RATIO, verdict: targetVerdict(cpuRatio, { upTo: TARGET_CPU_RATIO }) },
  };
  if (print) {
    const f = (x) => `${x.median.toFixed(1)} (IQR ${x.q1.toFixed(1)}–${x.q3.toFixed(1)})`;
    console.log(
      `JWT verification of one ${result.token}, keys in memory; ${ROUNDS} alternating rounds of ${SEQUENTIAL_OPS}, medians; ` +
        `Node ${result.node}, ${result.cores} cores`,
    );
    console.table(
      Object.keys(verifiers).map((name) => ({
        verifier: name,
        'CPU µs per verification (one at a time)': f(result.cpuMicrosPerVerification[name]),
        [`wall µs per verification, ${CONCURRENCY} in flight (latency, not CPU)`]: f(result.wallMicrosPerVerificationInFlight[name]),
      })),
    );
    console.log(
      `CPU ours / aws-jwt-verify: ${cpuRatio.median.toFixed(2)}x (IQR ${cpuRatio.q1.toFixed(2)}–${cpuRatio.q3.toFixed(2)}), ` +
        `target <= ${TARGET_CPU_RATIO}x: ${result.target.verdict}`,
    );
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
