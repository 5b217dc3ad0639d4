import {
  computePasswordClaim,
  computeS,
  computeServerS,
  computeU,
  computeX,
  createEphemeral,
  createServerEphemeral,
  EphemeralPool,
  N,
  poolNameOf,
  signClaim,
  toHex,
  type PasswordClaimInput,
} from '../../src/srp/index.js';
import { CognitoAuthError, CognitoConfigError, SrpError } from '../../src/errors.js';

const PASSWORD = 'never-print-me-Pa55!';
const ephemeral = createEphemeral(0xabcdef0123456789n);
const validB = createServerEphemeral(12345n, 0x99n).B;

function claimInput(overrides: Partial<PasswordClaimInput> = {}): PasswordClaimInput {
  return {
    poolName: 'AbC123',
    userId: 'user-1',
    password: PASSWORD,
    ephemeral,
    salt: '0a1b2c',
    srpB: toHex(validB),
    secretBlock: 'AAECAw==',
    ...overrides,
  };
}

function srpErrorOf(run: () => unknown): SrpError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SrpError);
    expect(error).toBeInstanceOf(CognitoAuthError);
    expect((error as SrpError).code).toBe('SRP_INVALID_INPUT');
    expect((error as Error).message).not.toContain(PASSWORD);
    return error as SrpError;
  }
  throw new Error('expected an SrpError');
}

describe('computePasswordClaim rejects bad challenge input with an SrpError naming the parameter', () => {
  test.each([
    ['non-hex SRP_B', { srpB: 'zz-not-hex' }, 'SRP_B'],
    ['empty SRP_B', { srpB: '' }, 'SRP_B'],
    ['B = 0', { srpB: '0' }, 'SRP_B'],
    ['B = N', { srpB: toHex(N) }, 'SRP_B'],
    ['B = 2N', { srpB: toHex(2n * N) }, 'SRP_B'],
    ['B = -N', { srpB: toHex(-N) }, 'SRP_B'],
    ['non-hex SALT', { salt: 'salt?' }, 'SALT'],
    ['empty password', { password: '' }, 'password'],
    ['empty USER_ID_FOR_SRP', { userId: '' }, 'userId'],
    ['empty pool name', { poolName: '' }, 'poolName'],
    ['non-base64 SECRET_BLOCK', { secretBlock: 'not base64!' }, 'SECRET_BLOCK'],
    ['empty SECRET_BLOCK', { secretBlock: '' }, 'SECRET_BLOCK'],
    ['missing ephemeral', { ephemeral: undefined as never }, 'ephemeral'],
  ] as const)('%s', (_label, overrides, parameter) => {
    const error = srpErrorOf(() => computePasswordClaim(claimInput(overrides as Partial<PasswordClaimInput>)));
    expect(error.parameter).toBe(parameter);
    expect(error.message).toContain(parameter);
  });

  test('an invalid `now` is rejected', () => {
    expect(srpErrorOf(() => computePasswordClaim(claimInput({ now: new Date(Number.NaN) }))).parameter).toBe('TIMESTAMP');
  });
});

describe('the lower-level guards', () => {
  test('computeU rejects B ≡ 0 (mod N)', () => {
    expect(srpErrorOf(() => computeU(ephemeral.A, 0n)).parameter).toBe('SRP_B');
    expect(srpErrorOf(() => computeU(ephemeral.A, 3n * N)).parameter).toBe('SRP_B');
  });

  test('computeS rejects u = 0 (SHA-256 never yields 0, so the guard is driven directly)', () => {
    expect(srpErrorOf(() => computeS({ a: ephemeral.a, B: validB, u: 0n, x: 5n })).parameter).toBe('u');
  });

  test('computeS rejects B ≡ 0 (mod N)', () => {
    expect(srpErrorOf(() => computeS({ a: ephemeral.a, B: N, u: 1n, x: 5n })).parameter).toBe('SRP_B');
  });

  test('computeServerS rejects A ≡ 0 (mod N)', () => {
    for (const A of [0n, N, 2n * N]) {
      expect(srpErrorOf(() => computeServerS({ A, B: validB, b: 7n, v: 12345n })).parameter).toBe('SRP_A');
    }
  });

  test('computeX rejects an empty password', () => {
    expect(srpErrorOf(() => computeX(1n, 'pool', 'user', '')).parameter).toBe('password');
  });

  test('createEphemeral rejects a = 0 and negative a', () => {
    expect(srpErrorOf(() => createEphemeral(0n)).parameter).toBe('a');
    expect(srpErrorOf(() => createEphemeral(-5n)).parameter).toBe('a');
  });

  test('createServerEphemeral rejects a verifier outside [1, N)', () => {
    expect(srpErrorOf(() => createServerEphemeral(0n)).parameter).toBe('verifier');
    expect(srpErrorOf(() => createServerEphemeral(N)).parameter).toBe('verifier');
  });

  test('signClaim rejects an empty key', () => {
    expect(
      srpErrorOf(() =>
        signClaim({ key: Buffer.alloc(0), poolName: 'p', userId: 'u', secretBlock: 'AA==', timestamp: 't' }),
      ).parameter,
    ).toBe('key');
  });

  test('EphemeralPool rejects a silly size', () => {
    expect(srpErrorOf(() => new EphemeralPool(-1)).parameter).toBe('poolSize');
    expect(srpErrorOf(() => new EphemeralPool(1.5)).parameter).toBe('poolSize');
  });
});

describe('poolNameOf', () => {
  test.each([
    ['eu-west-1_AbC123', 'AbC123'],
    ['us-east-1_abcdEFGH9', 'abcdEFGH9'],
    ['cn-north-1_x', 'x'],
    ['local_0123456789', '0123456789'],
  ])('%s -> %s', (id, name) => {
    expect(poolNameOf(id)).toBe(name);
  });

  test.each(['nounderscore', 'eu-west-1_', '_abc', '', 'eu_west_1_abc', 'eu-west-1_ab c', 'eu-west-1_ab-c', `eu-west-1_${'a'.repeat(60)}`])(
    'rejects %p with CognitoConfigError(userPoolId)',
    (id) => {
      try {
        poolNameOf(id);
        throw new Error('expected a throw');
      } catch (error) {
        expect(error).toBeInstanceOf(CognitoConfigError);
        expect((error as CognitoConfigError).option).toBe('userPoolId');
        expect((error as CognitoConfigError).code).toBe('CONFIG_INVALID');
      }
    },
  );

  test('rejects a non-string', () => {
    expect(() => poolNameOf(42 as unknown as string)).toThrow(CognitoConfigError);
  });
});
