import { createDiffieHellmanGroup } from 'node:crypto';
import fc from 'fast-check';
import { g, k, N, N_BYTES, padHex, parseSignedHex, toHex } from '../../src/srp/index.js';
import { SrpError } from '../../src/errors.js';
import { oraclePadHex } from './oracle.js';

describe('constants', () => {
  test('N is the RFC 3526 group 15 prime (OpenSSL modp15), g = 2', () => {
    const modp15 = createDiffieHellmanGroup('modp15');
    expect(N.toString(16)).toBe(modp15.getPrime('hex'));
    expect(g).toBe(BigInt(`0x${modp15.getGenerator('hex')}`));
    expect(N.toString(16)).toHaveLength(N_BYTES * 2);
  });

  test('k = H(PAD(N) || PAD(g)) is the documented vector', () => {
    expect(k.toString(16)).toBe('538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6');
  });
});

describe('padHex', () => {
  test.each([
    [-236n, 'ff14'],
    [20n, '14'],
    [-200n, 'ff38'],
    [56n, '38'],
    [-20n, 'ec'],
    [236n, '00ec'],
    [-56n, 'c8'],
    [200n, '00c8'],
    [-128n, '80'],
    [-129n, 'ff7f'],
    [128n, '0080'],
    [127n, '7f'],
    [0n, '00'],
    [-1n, 'ff'],
    [-256n, 'ff00'],
    [0x8000n, '008000'],
    [-0x8000n, '8000'],
    [0xabcn, '0abc'],
  ])('padHex(%p) = %p', (value, hex) => {
    expect(padHex(value)).toBe(hex);
  });

  test('the negative salt from pycognito#14 pads to the documented two\'s complement', () => {
    expect(padHex(parseSignedHex('-16e462a84f2df159eee0c14642974ee7', 'SALT'))).toBe('e91b9d57b0d20ea6111f3eb9bd68b119');
  });

  test('PAD(N) is 00 || N', () => {
    expect(padHex(N)).toBe(`00${N.toString(16)}`);
  });

  test('equals amazon-cognito-identity-js padHex for random signed values', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 3100n), max: 1n << 3100n }), (v) => {
        expect(padHex(v)).toBe(oraclePadHex(v));
      }),
      { numRuns: 300 },
    );
  });

  test('is even-length, minimal, and decodes back as two\'s complement', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 600n), max: 1n << 600n }), (v) => {
        const hex = padHex(v);
        expect(hex.length % 2).toBe(0);
        const bits = BigInt(hex.length * 4);
        const unsigned = BigInt(`0x${hex}`);
        const decoded = unsigned >= 1n << (bits - 1n) ? unsigned - (1n << bits) : unsigned;
        expect(decoded).toBe(v);
        if (hex.length > 2) {
          // Minimal: dropping the first byte would change the value (sign bit or magnitude).
          const shorter = BigInt(`0x${hex.slice(2)}`);
          const sb = bits - 8n;
          const shorterDecoded = shorter >= 1n << (sb - 1n) ? shorter - (1n << sb) : shorter;
          expect(shorterDecoded).not.toBe(v);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseSignedHex and toHex', () => {
  test.each([
    ['ff', 255n],
    ['FF', 255n],
    ['00ff', 255n],
    ['-1', -1n],
    ['-16e462a84f2df159eee0c14642974ee7', -0x16e462a84f2df159eee0c14642974ee7n],
    ['0', 0n],
  ])('parses %p', (hex, value) => {
    expect(parseSignedHex(hex, 'SALT')).toBe(value);
  });

  test.each(['', '-', 'xyz', '0x12', '12 34', '+12', '--1', '1-2', 'ab\n', 'é1'])('rejects %p with SrpError naming the parameter', (hex) => {
    expect(() => parseSignedHex(hex, 'SRP_B')).toThrow(SrpError);
    try {
      parseSignedHex(hex, 'SRP_B');
    } catch (error) {
      expect((error as SrpError).parameter).toBe('SRP_B');
      expect((error as SrpError).code).toBe('SRP_INVALID_INPUT');
      expect((error as Error).message).toContain('SRP_B');
    }
  });

  test('rejects non-strings and absurdly long values', () => {
    expect(() => parseSignedHex(undefined as unknown as string, 'SALT')).toThrow(/SALT/);
    expect(() => parseSignedHex('a'.repeat(5000), 'SRP_B')).toThrow(/longer than/);
  });

  test('toHex is plain lowercase hex without padding and round-trips', () => {
    expect(toHex(0xabcn)).toBe('abc');
    expect(toHex(0x8an)).toBe('8a');
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 3100n), max: 1n << 3100n }), (v) => {
        expect(parseSignedHex(toHex(v), 'x')).toBe(v);
        expect(toHex(v)).toMatch(/^-?[0-9a-f]+$/);
      }),
    );
  });
});
