/**
 * Known answers against amazon-cognito-identity-js (AWS's client, code nobody here wrote): for fixed a, salts and
 * B values, our A, u, x, S, HKDF key and signature must equal its values.
 */
import { createHmac } from 'node:crypto';
import {
  computePasswordClaim,
  computeS,
  computeU,
  computeX,
  createEphemeral,
  deriveKey,
  g,
  k,
  N,
  padHex,
  signClaim,
  toHex,
} from '../../src/srp/index.js';
import { helperWithA, oracleSrp, AuthenticationHelper, fromJsbn } from './oracle.js';

const FIXED_A = BigInt(
  '0x' +
    'a1b2c3d4e5f60718293a4b5c6d7e8f90'.repeat(8), // 128 bytes, top bit set
);
const SMALL_A = 0x1234567n;

// A B the way a server would make it (k·v + g^b mod N), another with its top bit set, one larger than N, one negative.
const B_VALUES: Record<string, bigint> = {
  'server-like': (k * 0x5eedn + 0xabcdefn * N) % N,
  'top bit set': N - 0x123456789abcdefn,
  'greater than N': N + 0x1000n,
  negative: -(N >> 7n),
};

const SALTS: Record<string, string> = {
  positive: '3a5c7e9f01234567',
  'top bit set': 'f3a5c7e9f01234567890abcdef012345',
  'odd length': 'abcdef0123456789abcdef012',
  negative: '-16e462a84f2df159eee0c14642974ee7',
  'leading zeros': '00000000deadbeef',
};

/**
 * Every salt and every B, each at least once for each a: x depends on the salt alone and u on B alone, so the full
 * salts × B product (40 oracle exponentiations of ~0.5 s each in jsbn) adds time, not coverage.
 */
const SALT_AND_B: [string, string, string, bigint][] = Array.from(
  { length: Math.max(Object.keys(SALTS).length, Object.keys(B_VALUES).length) },
  (_, i) => {
    const [saltLabel, saltHex] = Object.entries(SALTS)[i % Object.keys(SALTS).length]!;
    const [bLabel, B] = Object.entries(B_VALUES)[i % Object.keys(B_VALUES).length]!;
    return [saltLabel, saltHex, bLabel, B];
  },
);

function parseSalt(hex: string): bigint {
  return hex.startsWith('-') ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
}

describe('constants agree with amazon-cognito-identity-js', () => {
  const helper = new AuthenticationHelper('pool');
  test('N, g and k', () => {
    expect(fromJsbn(helper.N)).toBe(N);
    expect(fromJsbn(helper.g)).toBe(g);
    expect(fromJsbn(helper.k)).toBe(k);
    expect(k.toString(16)).toBe('538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6');
  });
});

describe.each([
  ['128-byte a', FIXED_A],
  ['small a', SMALL_A],
])('with a fixed %s', (_label, a) => {
  const ours = createEphemeral(a);

  test('A equals the oracle A and SRP_A is its unpadded hex', () => {
    const oracle = helperWithA('pool', a);
    let oracleA = '';
    oracle.getLargeAValue((_err, A) => {
      oracleA = A.toString(16);
    });
    expect(ours.srpA).toBe(oracleA);
    expect(ours.A).toBe(BigInt(`0x${oracleA}`));
  });

  test.each(SALT_AND_B)('salt %s, B %s: u, x, S and key equal the oracle values', (_saltLabel, saltHex, _bLabel, B) => {
    const salt = parseSalt(saltHex);
    const params = { poolName: 'AbC123xyz', userId: '8f3a2c1e-user-id', password: 'Correct-horse-1!' };
    const oracle = oracleSrp({ a, B, salt, ...params });

    expect(ours.A).toBe(oracle.A);
    const u = computeU(ours.A, B);
    expect(u).toBe(oracle.u);
    const x = computeX(salt, params.poolName, params.userId, params.password);
    expect(x).toBe(oracle.x);
    const S = computeS({ a, B, u, x });
    expect(S).toBe(oracle.S);
    const key = deriveKey(u, S);
    expect(key.toString('hex')).toBe(oracle.key.toString('hex'));
    expect(key).toHaveLength(16);

    // One-call helper gives the same signature as signing with the oracle key directly.
    const now = new Date(Date.UTC(2025, 4, 7, 0, 9, 40));
    const claim = computePasswordClaim({
      ...params,
      ephemeral: ours,
      salt: saltHex,
      srpB: toHex(B),
      secretBlock: 'c2VjcmV0LWJsb2Nr',
      now,
    });
    const expected = createHmac('sha256', oracle.key)
      .update(Buffer.concat([
        Buffer.from(params.poolName),
        Buffer.from(params.userId),
        Buffer.from('c2VjcmV0LWJsb2Nr', 'base64'),
        Buffer.from('Wed May 7 00:09:40 UTC 2025'),
      ]))
      .digest('base64');
    expect(claim).toEqual({ signature: expected, timestamp: 'Wed May 7 00:09:40 UTC 2025', secretBlock: 'c2VjcmV0LWJsb2Nr' });
    expect(
      signClaim({ key, poolName: params.poolName, userId: params.userId, secretBlock: 'c2VjcmV0LWJsb2Nr', timestamp: claim.timestamp }),
    ).toBe(expected);
  });
});

test('a negative salt pads to the two\'s complement the protocol doc gives', () => {
  expect(padHex(parseSalt('-16e462a84f2df159eee0c14642974ee7'))).toBe('e91b9d57b0d20ea6111f3eb9bd68b119');
});
