/**
 * Typed access to amazon-cognito-identity-js (AWS's own client), used ONLY as a test oracle.
 * Its AuthenticationHelper / DateHelper / BigInteger are CommonJS and untyped, so they are loaded
 * with createRequire and wrapped here with bigint in and out.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface JsbnBigInteger {
  toString(radix: number): string;
  modPow(e: JsbnBigInteger, m: JsbnBigInteger, cb: (err: unknown, r: JsbnBigInteger) => void): JsbnBigInteger;
}
interface JsbnBigIntegerCtor {
  new (hex: string, radix: number): JsbnBigInteger;
}
export interface AcijAuthenticationHelper {
  N: JsbnBigInteger;
  g: JsbnBigInteger;
  k: JsbnBigInteger;
  smallAValue: JsbnBigInteger;
  largeAValue: JsbnBigInteger | undefined;
  UValue: JsbnBigInteger;
  padHex(v: JsbnBigInteger): string;
  hash(data: string | Buffer): string;
  hexHash(hex: string): string;
  getLargeAValue(cb: (err: unknown, A: JsbnBigInteger) => void): void;
  calculateU(A: JsbnBigInteger, B: JsbnBigInteger): JsbnBigInteger;
  calculateS(x: JsbnBigInteger, B: JsbnBigInteger, cb: (err: unknown, S: JsbnBigInteger) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    B: JsbnBigInteger,
    salt: JsbnBigInteger,
    cb: (err: unknown, key: Buffer) => void,
  ): void;
  generateRandomSmallA(): JsbnBigInteger;
}
interface AcijAuthenticationHelperCtor {
  new (poolName: string): AcijAuthenticationHelper;
  prototype: AcijAuthenticationHelper;
}

/**
 * Loads the package with `navigator` hidden. Its jsbn BigInteger picks a multiply routine at load time by sniffing
 * `navigator` (a browser test); Node 21+ defines one without `appName`, which selects jsbn's slowest routine and
 * makes every oracle computation about 25x slower on Node 24. Loaded this way it runs as it does on Node 20.
 * The first require of `lib/BigInteger.js` in a module registry decides, so every oracle import goes through here.
 */
function requireWithoutNavigator<T>(id: string): T {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  if (descriptor?.configurable) Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true });
  try {
    return require(id) as T;
  } finally {
    if (descriptor?.configurable) Object.defineProperty(globalThis, 'navigator', descriptor);
  }
}

export const BigInteger = requireWithoutNavigator<{ default: JsbnBigIntegerCtor }>(
  'amazon-cognito-identity-js/lib/BigInteger.js',
).default;
export const AuthenticationHelper = (
  require('amazon-cognito-identity-js/lib/AuthenticationHelper.js') as { default: AcijAuthenticationHelperCtor }
).default;
export const DateHelper = (
  require('amazon-cognito-identity-js/lib/DateHelper.js') as { default: new () => { getNowString(): string } }
).default;

/** The package's public entry (CognitoUserPool, CognitoUser, AuthenticationDetails), untyped on purpose. */
export const acij = requireWithoutNavigator<any>('amazon-cognito-identity-js');

/** The same entry, typed, for tests that drive AWS's client against the emulator. */
export const acijTyped: typeof import('amazon-cognito-identity-js') = acij;

export function toJsbn(v: bigint): JsbnBigInteger {
  return new BigInteger(v < 0n ? `-${(-v).toString(16)}` : v.toString(16), 16);
}

export function fromJsbn(v: JsbnBigInteger): bigint {
  const hex = v.toString(16);
  return hex.startsWith('-') ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
}

function sync<T>(run: (cb: (err: unknown, value: T) => void) => void): T {
  let out: { value: T } | undefined;
  run((err, value) => {
    if (err) throw err;
    out = { value };
  });
  if (out === undefined) throw new Error('oracle callback was not called synchronously');
  return out.value;
}

/** A helper whose secret `a` is the given value (the constructor's random a is replaced). */
export function helperWithA(poolName: string, a: bigint): AcijAuthenticationHelper {
  const helper = new AuthenticationHelper(poolName);
  helper.smallAValue = toJsbn(a);
  helper.largeAValue = undefined;
  return helper;
}

let padHelper: AcijAuthenticationHelper | undefined;

export function oraclePadHex(v: bigint): string {
  padHelper ??= new AuthenticationHelper('x');
  return padHelper.padHex(toJsbn(v)).toLowerCase();
}

export interface OracleValues {
  A: bigint;
  u: bigint;
  x: bigint;
  S: bigint;
  key: Buffer;
}

/** A, u, x, S and the HKDF key exactly as amazon-cognito-identity-js computes them for a fixed `a`. */
export function oracleSrp(p: {
  a: bigint;
  poolName: string;
  userId: string;
  password: string;
  salt: bigint;
  B: bigint;
}): OracleValues {
  const helper = helperWithA(p.poolName, p.a);
  const A = sync<JsbnBigInteger>((cb) => helper.getLargeAValue(cb));
  const B = toJsbn(p.B);
  const salt = toJsbn(p.salt);
  const key = sync<Buffer>((cb) => helper.getPasswordAuthenticationKey(p.userId, p.password, B, salt, cb));
  // x is internal to getPasswordAuthenticationKey; rebuild it from the helper's own primitives.
  const xHex = helper.hexHash(helper.padHex(salt) + helper.hash(`${p.poolName}${p.userId}:${p.password}`));
  const x = new BigInteger(xHex, 16);
  const S = sync<JsbnBigInteger>((cb) => helper.calculateS(x, B, cb));
  return { A: fromJsbn(A), u: fromJsbn(helper.UValue), x: fromJsbn(x), S: fromJsbn(S), key: Buffer.from(key) };
}

/** v = g^x the way its generateHashDevice computes it, for a given salt (PAD hex) and device password. */
export function oracleDeviceVerifier(deviceGroupKey: string, deviceKey: string, saltPadHex: string, password: string): bigint {
  const helper = new AuthenticationHelper(deviceGroupKey);
  const hashed = helper.hash(`${deviceGroupKey}${deviceKey}:${password}`);
  const x = new BigInteger(helper.hexHash(saltPadHex + hashed), 16);
  const v = sync<JsbnBigInteger>((cb) => helper.g.modPow(x, helper.N, cb));
  return fromJsbn(v);
}
