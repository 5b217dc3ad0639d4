import { CognitoConfigError } from '../../src/errors.js';
import { resolveAdapterOptions, type CognitoAdapterOptions } from '../../src/http/options.js';

describe('resolveAdapterOptions', () => {
  test('defaults: authorization header, Bearer scheme, retry on 401, same-origin policy', () => {
    const resolved = resolveAdapterOptions(undefined);
    expect(resolved.header).toBe('authorization');
    expect(resolved.prefix).toBe('Bearer ');
    expect(resolved.retryOnUnauthorized).toBe(true);
    expect(resolved.policy.explicit).toBe(false);
  });

  test('header names are lower-cased; an empty scheme sends the bare token', () => {
    const resolved = resolveAdapterOptions({ header: 'X-Api-Token', scheme: '' });
    expect(resolved.header).toBe('x-api-token');
    expect(resolved.prefix).toBe('');
  });

  test.each<[CognitoAdapterOptions, string]>([
    [{ header: 'bad header' }, 'header'],
    [{ header: '' }, 'header'],
    [{ header: 'Host' }, 'header'],
    [{ header: 'content-length' }, 'header'],
    [{ scheme: 'Bearer token' }, 'scheme'],
    [{ scheme: 42 as unknown as string }, 'scheme'],
    [{ retryOnUnauthorized: 'yes' as unknown as boolean }, 'retryOnUnauthorized'],
    [{ origins: [] }, 'origins'],
    [{ origins: 'https://api.example.com' as unknown as string[] }, 'origins'],
    [{ origins: ['https://api.example.com', 'not a url'] }, 'origins[1]'],
    [{ origins: ['https://api.example.com/v1'] }, 'origins[0]'],
    [{ origins: ['https://user@api.example.com'] }, 'origins[0]'],
    [{ origins: ['ftp://files.example.com'] }, 'origins[0]'],
    [{ origins: [/example\.com$/g] }, 'origins[0]'],
    [{ origins: [42 as unknown as string] }, 'origins[0]'],
  ])('%j is refused naming `%s`', (options, option) => {
    let error: unknown;
    try {
      resolveAdapterOptions(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CognitoConfigError);
    expect((error as CognitoConfigError).option).toBe(option);
    expect((error as CognitoConfigError).code).toBe('CONFIG_INVALID');
  });

  test('`origins` is optional for every adapter: `{}` and `origins: undefined` give the default policy', () => {
    expect(resolveAdapterOptions({}).policy.explicit).toBe(false);
    expect(resolveAdapterOptions({ origins: undefined }).policy.explicit).toBe(false);
    expect(resolveAdapterOptions({ origins: ['https://a.test'] }).policy.explicit).toBe(true);
  });

  test.each([
    ['origin', 'origins'],
    ['retryOnUnauthorised', 'retryOnUnauthorized'],
    ['headers', 'header'],
    ['Scheme', 'scheme'],
  ])('a misspelt key `%s` is refused, suggesting `%s`', (key, suggestion) => {
    let error: unknown;
    try {
      resolveAdapterOptions({ [key]: ['https://api.example.com'] } as CognitoAdapterOptions);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CognitoConfigError);
    expect((error as CognitoConfigError).option).toBe(key);
    expect((error as Error).message).toContain(`did you mean \`${suggestion}\``);
  });

  test('an unrelated unknown key is refused listing the known ones; an adapter can add its own keys', () => {
    expect(() => resolveAdapterOptions({ timeout: 5 } as CognitoAdapterOptions)).toThrow(
      'Invalid option `timeout`: unknown adapter option (expected one of origins, header, scheme, retryOnUnauthorized).',
    );
    expect(() => resolveAdapterOptions({ fetch } as CognitoAdapterOptions, ['fetch'])).not.toThrow();
    expect(() => resolveAdapterOptions({ fetch } as CognitoAdapterOptions)).toThrow(CognitoConfigError);
  });

  test('options that are not an object are refused', () => {
    expect(() => resolveAdapterOptions('authorization' as unknown as CognitoAdapterOptions)).toThrow(CognitoConfigError);
  });
});
