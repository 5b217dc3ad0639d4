import { inspect } from 'node:util';
import {
  computePasswordClaim,
  computeU,
  computeVerifier,
  computeServerS,
  createEphemeral,
  createServerEphemeral,
  deriveKey,
  parseSignedHex,
  toHex,
  verifyPasswordClaim,
  VerifierCache,
} from '../../src/srp/index.js';

const POOL = 'AbC123xyz';
const USER = 'user-1';
const SALT = '5d3c1b2a998877665544332211aabbcc';

function challengeFor(password: string) {
  const v = computeVerifier(parseSignedHex(SALT, 'SALT'), POOL, USER, password);
  const server = createServerEphemeral(v);
  return { v, server, srpB: toHex(server.B), secretBlock: Buffer.alloc(64, 3).toString('base64') };
}

function accepted(password: string, cache: VerifierCache | undefined, serverPassword = password): boolean {
  const challenge = challengeFor(serverPassword);
  const ephemeral = createEphemeral();
  const claim = computePasswordClaim({
    poolName: POOL,
    userId: USER,
    password,
    ephemeral,
    salt: SALT,
    srpB: challenge.srpB,
    secretBlock: challenge.secretBlock,
    ...(cache === undefined ? {} : { verifierCache: cache }),
  });
  const { B, b } = challenge.server;
  const key = deriveKey(computeU(ephemeral.A, B), computeServerS({ A: ephemeral.A, B, b, v: challenge.v }));
  return verifyPasswordClaim({ poolName: POOL, userId: USER, key, ...claim });
}

describe('VerifierCache', () => {
  test('the second sign-in with the same password reuses v, and the server still accepts every claim', () => {
    const cache = new VerifierCache();
    expect(accepted('Passw0rd-one!', cache)).toBe(true);
    expect(cache.hits).toBe(0);
    expect(accepted('Passw0rd-one!', cache)).toBe(true);
    expect(cache.hits).toBe(1);
  });

  test('a changed password is never answered with the old v', () => {
    const cache = new VerifierCache();
    expect(accepted('Passw0rd-one!', cache)).toBe(true);
    expect(accepted('Passw0rd-two!', cache)).toBe(true);
    expect(cache.hits).toBe(0);
    // The old password against a server that knows the new one fails, cache or not.
    expect(accepted('Passw0rd-one!', cache, 'Passw0rd-two!')).toBe(false);
  });

  test('shows neither v nor anything derived from the password', () => {
    const cache = new VerifierCache();
    accepted('Passw0rd-one!', cache);
    const v = computeVerifier(parseSignedHex(SALT, 'SALT'), POOL, USER, 'Passw0rd-one!');
    for (const text of [inspect(cache, { showHidden: true, depth: 5 }), JSON.stringify({ cache })]) {
      expect(text).not.toContain(v.toString(16).slice(0, 16));
      expect(text).not.toContain(v.toString().slice(0, 16));
    }
  });
});
