#!/usr/bin/env node
/**
 * SRP sign-in math: this library (OpenSSL exponentiations) vs amazon-cognito-identity-js (jsbn), side by side.
 *
 *   node bench/srp.bench.mjs            (after `npm run build`; imports ../dist/esm/src/index.js)
 *
 * One "sign-in computation" is everything the client computes for USER_SRP_AUTH: a fresh ephemeral (a, A),
 * then the PASSWORD_VERIFIER answer (u, x, S, HKDF key, TIMESTAMP, signature) for a fixed challenge, checked by
 * the server side before timing. Two effects are kept apart: our secret exponent a is 448 bits, AWS's clients
 * draw 1024 bits, so "ours" is measured twice: as shipped, and with a 1024-bit a like theirs.
 *
 * CPU (process.cpuUsage) per sign-in, in ROUNDS rounds alternating the order of the sides; median and IQR over
 * rounds, ratios paired per round. Also: the same with g^x kept by a VerifierCache (a repeat sign-in of a password
 * holder), and the critical-path *latency* of the answer step when A is ready (from a warm EphemeralPool): wall
 * time, not CPU, since computing A still costs CPU, only earlier.
 *
 * Exports `run({ print })` (the bench/run.mjs convention). Runs itself when executed directly.
 */
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { srp } from '../dist/esm/src/index.js';
import { assertAccepted, fixedChallenge, oursSignIn, PASSWORD, POOL_NAME, USER_ID } from './lib/srp-fixture.mjs';
import { alternate, pairedRatios, round, spread } from './lib/stats.mjs';

const require = createRequire(import.meta.url);
// jsbn (inside amazon-cognito-identity-js) picks its multiply routine by sniffing `navigator` when it loads; Node 21+
// defines one, which selects jsbn's slowest routine (~25x slower). Load it as on Node 20, so the peer is measured at
// its best on every Node version.
const navigatorDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
if (navigatorDescriptor?.configurable) Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true });
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger.js').default;
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js').default;
const DateHelper = require('amazon-cognito-identity-js/lib/DateHelper.js').default;
if (navigatorDescriptor?.configurable) Object.defineProperty(globalThis, 'navigator', navigatorDescriptor);
// The package signs with @aws-crypto/sha256-js; resolve it the way the package itself does.
const { Sha256 } = createRequire(require.resolve('amazon-cognito-identity-js'))('@aws-crypto/sha256-js');

const ROUNDS = Number(process.env.BENCH_SRP_ROUNDS ?? 12);
const OURS_PER_ROUND = 10;
const ACIJ_PER_ROUND = 1;

/** What amazon-cognito-identity-js's CognitoUser does for the same step, minus the network. */
function acijSignIn(challenge) {
  const helper = new AuthenticationHelper(POOL_NAME); // draws a and computes A
  let srpA = '';
  helper.getLargeAValue((err, A) => {
    if (err) throw err;
    srpA = A.toString(16);
  });
  let hkdf;
  helper.getPasswordAuthenticationKey(
    USER_ID,
    PASSWORD,
    new BigInteger(challenge.srpB, 16),
    new BigInteger(challenge.saltHex, 16),
    (err, key) => {
      if (err) throw err;
      hkdf = key;
    },
  );
  const timestamp = new DateHelper().getNowString();
  const hmac = new Sha256(hkdf);
  hmac.update(
    Buffer.concat([
      Buffer.from(POOL_NAME, 'utf8'),
      Buffer.from(USER_ID, 'utf8'),
      Buffer.from(challenge.secretBlock, 'base64'),
      Buffer.from(timestamp, 'utf8'),
    ]),
  );
  return { srpA, signature: Buffer.from(hmac.digestSync()).toString('base64'), timestamp, secretBlock: challenge.secretBlock };
}

/** A 1024-bit secret exponent, as amazon-cognito-identity-js draws (128 random bytes). */
function ephemeral1024() {
  for (;;) {
    const a = BigInt(`0x${randomBytes(128).toString('hex')}`);
    if (a !== 0n) return srp.createEphemeral(a);
  }
}

/** CPU ms per call over `count` calls of `fn`. */
function cpuMsPerCall(fn, count) {
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / count;
}

/** Wall ms per call of `fn` on a prepared input (`prepare` runs untimed before each call). */
function wallMsPerCall(prepare, fn, count) {
  let total = 0;
  for (let i = 0; i < count; i++) {
    const input = prepare();
    const t0 = performance.now();
    fn(input);
    total += performance.now() - t0;
  }
  return total / count;
}

export async function run({ print = true } = {}) {
  const challenge = fixedChallenge();
  const cache = new srp.VerifierCache();
  assertAccepted(challenge, oursSignIn(challenge), 'cognito-srp-auth');
  assertAccepted(challenge, oursSignIn(challenge, ephemeral1024()), 'cognito-srp-auth, 1024-bit a');
  assertAccepted(challenge, oursSignIn(challenge, undefined, cache), 'cognito-srp-auth, VerifierCache');
  assertAccepted(challenge, oursSignIn(challenge, undefined, cache), 'cognito-srp-auth, VerifierCache hit');
  if (cache.hits !== 1) throw new Error('the VerifierCache was not used');
  assertAccepted(challenge, acijSignIn(challenge), 'amazon-cognito-identity-js');

  const sides = {
    ours: () => cpuMsPerCall(() => oursSignIn(challenge), OURS_PER_ROUND),
    ours1024: () => cpuMsPerCall(() => oursSignIn(challenge, ephemeral1024()), OURS_PER_ROUND),
    oursVerifierCached: () => cpuMsPerCall(() => oursSignIn(challenge, undefined, cache), OURS_PER_ROUND),
    acij: () => cpuMsPerCall(() => acijSignIn(challenge), ACIJ_PER_ROUND),
    answerLatencyWithReadyA: () => wallMsPerCall(() => srp.createEphemeral(), (e) => oursSignIn(challenge, e), OURS_PER_ROUND),
  };
  for (const side of Object.values(sides)) side(); // warm-up
  const samples = await alternate(sides, ROUNDS);

  const result = {
    node: process.version,
    loadAverage1m: round(loadavg()[0] ?? 0),
    cores: availableParallelism(),
    openssl: process.versions.openssl,
    rounds: ROUNDS,
    perRound: { ours: OURS_PER_ROUND, acij: ACIJ_PER_ROUND },
    exponentBits: { ours: 448, acij: 1024 },
    cpuMs: {
      ours: spread(samples.ours),
      ours1024: spread(samples.ours1024),
      oursVerifierCached: spread(samples.oursVerifierCached),
      acij: spread(samples.acij),
    },
    /** Wall ms, not CPU: the answer step alone, A already computed. */
    answerLatencyWithReadyAMs: spread(samples.answerLatencyWithReadyA),
    /** acij CPU / ours CPU, paired per round. */
    ratio: {
      acijOverOurs: spread(pairedRatios(samples.acij, samples.ours)),
      acijOverOurs1024: spread(pairedRatios(samples.acij, samples.ours1024)),
    },
  };
  if (print) printTable(result);
  return result;
}

function printTable(r) {
  const f = (s) => `${s.median.toFixed(2)} (IQR ${s.q1.toFixed(2)}–${s.q3.toFixed(2)})`;
  console.log(
    `SRP sign-in computation (A + PASSWORD_VERIFIER answer), Node ${r.node}, OpenSSL ${r.openssl}, ${r.cores} cores, ` +
      `load ${r.loadAverage1m}; ${r.rounds} alternating rounds, medians`,
  );
  console.table({
    'cognito-srp-auth (448-bit a), CPU ms': f(r.cpuMs.ours),
    'cognito-srp-auth with 1024-bit a, CPU ms': f(r.cpuMs.ours1024),
    'cognito-srp-auth, g^x cached (repeat sign-in), CPU ms': f(r.cpuMs.oursVerifierCached),
    'amazon-cognito-identity-js (1024-bit a), CPU ms': f(r.cpuMs.acij),
    'critical-path latency of the answer, A ready, wall ms': f(r.answerLatencyWithReadyAMs),
  });
  console.log(
    `amazon-cognito-identity-js / ours: ${f(r.ratio.acijOverOurs)}x as shipped, ${f(r.ratio.acijOverOurs1024)}x with equal 1024-bit exponents`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
