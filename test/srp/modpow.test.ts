import fc from 'fast-check';
import { modPow, N } from '../../src/srp/index.js';
import { cachedContextEngine, keyImportEngine, modPowBigInt, type ModPowEngine } from '../../src/srp/modpow.js';
import { SrpError } from '../../src/errors.js';

const bigExp = 0xa1b2c3d4e5f60718293a4b5c6d7e8f90n ** 8n;

describe('modPow (OpenSSL) equals BigInt square-and-multiply', () => {
  test.each([
    ['base 0', 0n, 5n, 0n],
    ['base 0, exponent 0', 0n, 0n, 1n],
    ['base 1', 1n, bigExp, 1n],
    ['exponent 0', 12345n, 0n, 1n],
    ['exponent 1', 12345n, 1n, 12345n],
    ['base N - 1, even exponent', N - 1n, 4n, 1n],
    ['base N - 1, odd exponent', N - 1n, 3n, N - 1n],
    ['base N (≡ 0)', N, 7n, 0n],
    ['base N + 1 (≡ 1)', N + 1n, bigExp, 1n],
    ['base -1 (≡ N - 1)', -1n, 5n, N - 1n],
    ['exponent N - 1 (Fermat)', 3n, N - 1n, 1n],
    ['2^10', 2n, 10n, 1024n],
  ])('%s', (_label, base, exp, expected) => {
    expect(modPow(base, exp)).toBe(expected);
    expect(modPowBigInt(base, exp)).toBe(expected);
  });

  test('N - 2 (the largest base OpenSSL accepts) and 2 (the generator path)', () => {
    expect(modPow(N - 2n, 65537n)).toBe(modPowBigInt(N - 2n, 65537n));
    expect(modPow(2n, bigExp)).toBe(modPowBigInt(2n, bigExp));
  });

  test('results with leading zero bytes are not mangled', () => {
    // 2^e for e < 3064 has many leading zero bytes when written in 384 bytes.
    expect(modPow(2n, 3000n)).toBe(1n << 3000n);
    expect(modPow(2n, 8n)).toBe(256n);
    expect(modPow(3n, 2n)).toBe(9n);
  });

  test('random bases (incl. negative and ≥ N) and exponents', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(N * 2n), max: N * 3n }),
        fc.bigInt({ min: 0n, max: (1n << 300n) - 1n }),
        (base, exp) => {
          expect(modPow(base, exp)).toBe(modPowBigInt(base, exp));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('rejects a negative exponent', () => {
    expect(() => modPow(2n, -1n)).toThrow(SrpError);
    expect(() => modPowBigInt(2n, -1n)).toThrow(SrpError);
  });

  // modPow uses the cached DH context on OpenSSL 3.0 only (Node 20 here, so CI's Node 20 phase tests it); Node 22
  // with OpenSSL 3.5 refuses it ("Unspecified validation error"), and there modPow uses the key-import engine.
  const engines: [string, ModPowEngine][] = [['DH key import (any OpenSSL, used from 3.1 on)', keyImportEngine]];
  if (process.versions.openssl?.startsWith('3.0.')) engines.unshift(['cached DH context (OpenSSL 3.0)', cachedContextEngine()]);
  test.each(engines)('the %s engine equals BigInt on random bases and exponents up to 1056 bits', (_name, engine) => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 2n, max: N - 2n }),
        fc.bigInt({ min: 1n, max: (1n << 1056n) - 1n }),
        (base, exp) => {
          expect(engine(base, exp)).toBe(modPowBigInt(base, exp));
        },
      ),
      { numRuns: 25 },
    );
    expect(engine(2n, 3000n)).toBe(1n << 3000n);
    expect(engine(N - 2n, 65537n)).toBe(modPowBigInt(N - 2n, 65537n));
  });
});
