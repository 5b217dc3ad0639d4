import { createHmac } from 'node:crypto';
import { secretHash } from '../../src/srp/index.js';
import { CognitoConfigError } from '../../src/errors.js';

const CLIENT_ID = '1example23456789';
const CLIENT_SECRET = 'shhh-client-secret-0123456789abcdef';

describe('secretHash', () => {
  test('is base64(HMAC-SHA256(key = client secret, message = username || clientId))', () => {
    const expected = createHmac('sha256', Buffer.from(CLIENT_SECRET, 'utf8'))
      .update(Buffer.from(`alice${CLIENT_ID}`, 'utf8'))
      .digest('base64');
    expect(secretHash('alice', CLIENT_ID, CLIENT_SECRET)).toBe(expected);
  });

  test('a fixed known value', () => {
    // Computed independently: printf 'alice1example23456789' | openssl dgst -sha256 -hmac 'shhh-client-secret-0123456789abcdef' -binary | base64
    expect(secretHash('alice', CLIENT_ID, CLIENT_SECRET)).toBe('W6QwkW8ya2/iLV87koXXCHcy9fynceBP9BMe81bfjds=');
  });

  test('uses exactly the username it is given: an email alias and the internal name give different hashes', () => {
    const alias = secretHash('alice@example.com', CLIENT_ID, CLIENT_SECRET);
    const internal = secretHash('3f1b6c2e-8a9d-4e5f-9a7b-0c1d2e3f4a5b', CLIENT_ID, CLIENT_SECRET);
    expect(alias).not.toBe(internal);
    expect(alias).toBe(createHmac('sha256', CLIENT_SECRET).update(`alice@example.com${CLIENT_ID}`).digest('base64'));
  });

  test('utf-8 usernames', () => {
    expect(secretHash('ünïcødé-用户', CLIENT_ID, CLIENT_SECRET)).toBe(
      createHmac('sha256', CLIENT_SECRET).update(Buffer.from(`ünïcødé-用户${CLIENT_ID}`, 'utf8')).digest('base64'),
    );
  });

  test.each([
    ['username', ['', CLIENT_ID, CLIENT_SECRET]],
    ['clientId', ['alice', '', CLIENT_SECRET]],
    ['clientSecret', ['alice', CLIENT_ID, '']],
  ] as const)('an empty %s raises CognitoConfigError naming it, without the secret', (option, args) => {
    try {
      secretHash(args[0], args[1], args[2]);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(CognitoConfigError);
      expect((error as CognitoConfigError).option).toBe(option);
      expect((error as Error).message).not.toContain(CLIENT_SECRET);
    }
  });
});
