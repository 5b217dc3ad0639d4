import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import {
  computePasswordClaim,
  computeServerS,
  computeU,
  computeVerifier,
  computeX,
  computeS,
  createEphemeral,
  createServerEphemeral,
  deriveKey,
  N,
  padHex,
  parseSignedHex,
  toHex,
  verifyPasswordClaim,
} from '../../src/srp/index.js';
import { oracleSrp } from './oracle.js';

const POOL = 'AbC123';
const USER = '3f1b6c2e-8a9d-4e5f-9a7b-0c1d2e3f4a5b';

/** Runs one exchange: the server holds (salt, v) for serverPassword, the client answers with clientPassword. */
function exchange(p: { saltHex: string; serverPassword: string; clientPassword: string; a?: bigint; b?: bigint; secretBlock?: string }) {
  const secretBlock = p.secretBlock ?? randomBytes(32).toString('base64');
  const v = computeVerifier(parseSignedHex(p.saltHex, 'SALT'), POOL, USER, p.serverPassword);
  const server = createServerEphemeral(v, p.b);
  const ephemeral = createEphemeral(p.a);
  const claim = computePasswordClaim({
    poolName: POOL,
    userId: USER,
    password: p.clientPassword,
    ephemeral,
    salt: p.saltHex,
    srpB: toHex(server.B),
    secretBlock,
  });
  const A = parseSignedHex(ephemeral.srpA, 'SRP_A');
  const serverKey = deriveKey(computeU(A, server.B), computeServerS({ A, B: server.B, b: server.b, v }));
  const accepted = verifyPasswordClaim({ poolName: POOL, userId: USER, secretBlock, timestamp: claim.timestamp, signature: claim.signature, key: serverKey });
  return { claim, accepted, serverKey, ephemeral, server, v, secretBlock };
}

describe('client and server agree', () => {
  test('right password: the server accepts; S and the key are equal on both sides', () => {
    const salt = '-16e462a84f2df159eee0c14642974ee7';
    const { accepted, ephemeral, server, v } = exchange({ saltHex: salt, serverPassword: 'pw-1', clientPassword: 'pw-1' });
    expect(accepted).toBe(true);
    const u = computeU(ephemeral.A, server.B);
    const x = computeX(parseSignedHex(salt, 'SALT'), POOL, USER, 'pw-1');
    expect(computeS({ a: ephemeral.a, B: server.B, u, x })).toBe(computeServerS({ A: ephemeral.A, B: server.B, b: server.b, v }));
  });

  test('wrong password: the server rejects', () => {
    expect(exchange({ saltHex: '0abc', serverPassword: 'pw-1', clientPassword: 'pw-2' }).accepted).toBe(false);
  });

  test('tampered signature, timestamp, secret block, user or pool: rejected', () => {
    const { claim, serverKey, secretBlock } = exchange({ saltHex: '0abc', serverPassword: 'pw', clientPassword: 'pw' });
    const base = { poolName: POOL, userId: USER, secretBlock, timestamp: claim.timestamp, signature: claim.signature, key: serverKey };
    expect(verifyPasswordClaim(base)).toBe(true);
    const flipped = Buffer.from(claim.signature, 'base64');
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(verifyPasswordClaim({ ...base, signature: flipped.toString('base64') })).toBe(false);
    expect(verifyPasswordClaim({ ...base, signature: claim.signature.slice(0, 20) })).toBe(false);
    expect(verifyPasswordClaim({ ...base, signature: '' })).toBe(false);
    expect(verifyPasswordClaim({ ...base, timestamp: `${claim.timestamp} ` })).toBe(false);
    expect(verifyPasswordClaim({ ...base, secretBlock: Buffer.from('other').toString('base64') })).toBe(false);
    expect(verifyPasswordClaim({ ...base, userId: 'someone-else' })).toBe(false);
    expect(verifyPasswordClaim({ ...base, poolName: 'OtherPool' })).toBe(false);
    expect(verifyPasswordClaim({ ...base, key: Buffer.alloc(16) })).toBe(false);
  });

  test('B = (k·v + g^b) mod N lies in [1, N)', () => {
    const { server } = exchange({ saltHex: '01', serverPassword: 'p', clientPassword: 'p' });
    expect(server.B > 0n && server.B < N).toBe(true);
  });
});

describe('properties (fast-check)', () => {
  const saltArb = fc.oneof(
    fc.bigInt({ min: 1n, max: (1n << 128n) - 1n }),
    fc.bigInt({ min: -((1n << 128n) - 1n), max: -1n }),
  );
  const passwordArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
  const secretArb = fc.bigInt({ min: 1n, max: (1n << 1024n) - 1n });

  test('for random a, b, salts (incl. negative) and unicode passwords, the right password is accepted and a different one rejected', () => {
    fc.assert(
      fc.property(saltArb, passwordArb, passwordArb, secretArb, secretArb, (salt, password, other, a, b) => {
        const saltHex = toHex(salt);
        expect(exchange({ saltHex, serverPassword: password, clientPassword: password, a, b }).accepted).toBe(true);
        if (other !== password) {
          expect(exchange({ saltHex, serverPassword: password, clientPassword: other, a, b }).accepted).toBe(false);
        }
      }),
      { numRuns: 25 },
    );
  });

  test('for random a, salts, B and unicode passwords, u, x, S and the key equal amazon-cognito-identity-js', () => {
    fc.assert(
      fc.property(
        saltArb,
        passwordArb,
        secretArb,
        fc.bigInt({ min: 1n, max: N - 1n }),
        fc.string({ minLength: 1, maxLength: 20 }),
        (salt, password, a, B, userId) => {
          const oracle = oracleSrp({ a, B, salt, poolName: POOL, userId, password });
          const ephemeral = createEphemeral(a);
          expect(ephemeral.A).toBe(oracle.A);
          const u = computeU(ephemeral.A, B);
          const x = computeX(salt, POOL, userId, password);
          expect(u).toBe(oracle.u);
          expect(x).toBe(oracle.x);
          const S = computeS({ a, B, u, x });
          expect(S).toBe(oracle.S);
          expect(deriveKey(u, S).equals(oracle.key)).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
  });

  test('SALT padding never depends on how many leading zeros the server sent', () => {
    fc.assert(
      fc.property(saltArb, fc.nat({ max: 6 }), (salt, zeros) => {
        const hex = toHex(salt);
        const padded = hex.startsWith('-') ? `-${'0'.repeat(zeros)}${hex.slice(1)}` : `${'0'.repeat(zeros)}${hex}`;
        expect(padHex(parseSignedHex(padded, 'SALT'))).toBe(padHex(salt));
      }),
    );
  });
});

describe('secrets stay out of inspect and JSON', () => {
  test('the client secret a and server secret b are not enumerable', () => {
    const ephemeral = createEphemeral(0x5ec7e7n);
    expect(ephemeral.a).toBe(0x5ec7e7n);
    expect(inspect(ephemeral)).not.toContain(String(0x5ec7e7n));
    expect(Object.keys(ephemeral)).toEqual(['A', 'srpA']);
    const server = createServerEphemeral(99n, 0xb0b0b0n);
    expect(server.b).toBe(0xb0b0b0n);
    expect(inspect(server)).not.toContain(String(0xb0b0b0n));
    expect(Object.keys(server)).toEqual(['B']);
  });

  test('the password appears in no claim field', () => {
    const password = 'Sup3r-Secret-Password';
    const { claim } = exchange({ saltHex: '0abc', serverPassword: password, clientPassword: password });
    expect(JSON.stringify(claim)).not.toContain(password);
    expect(inspect(claim)).not.toContain(password);
  });
});
