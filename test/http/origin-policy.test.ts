import { CognitoConfigError } from '../../src/errors.js';
import { FirstOriginPin, OriginPolicy, isSecureOrLoopback, originOf } from '../../src/http/origin-policy.js';

describe('originOf', () => {
  test.each([
    ['https://API.Example.com/orders?x=1', 'https://api.example.com'],
    ['https://api.example.com:443/a', 'https://api.example.com'],
    ['http://127.0.0.1:8080/a', 'http://127.0.0.1:8080'],
    ['HTTP://[::1]:80/', 'http://[::1]'],
    ['https://api.example.com@evil.test/steal', 'https://evil.test'],
    ['https://evil.test\\@api.example.com/', 'https://evil.test'],
    ['https://api.example.com:8443', 'https://api.example.com:8443'],
  ])('%s → %s', (url, origin) => {
    expect(originOf(url)).toBe(origin);
    expect(originOf(url)).toBe(origin); // cached path
    expect(originOf(new URL(url))).toBe(new URL(url).origin);
  });

  test.each(['/relative/path', '//api.example.com/x', 'not a url', 'data:text/plain,hi', ''])('%j has no origin', (url) => {
    expect(originOf(url)).toBeUndefined();
  });
});

describe('isSecureOrLoopback', () => {
  test.each([
    ['https://api.example.com', true],
    ['http://localhost:3000', true],
    ['http://127.0.0.1', true],
    ['http://127.10.0.1:9', true],
    ['http://[::1]:8080', true],
    ['http://api.example.com', false],
    ['http://localhost.evil.test', false],
    ['http://127.0.0.1.evil.test', false],
    ['http://[::2]', false],
  ])('%s → %s', (origin, expected) => {
    expect(isSecureOrLoopback(origin)).toBe(expected);
  });
});

describe('OriginPolicy', () => {
  test('default: only the origin the caller asked for, and never plain http off loopback', () => {
    const policy = OriginPolicy.sameAsRequest();
    expect(policy.allows('https://api.example.com', 'https://api.example.com')).toBe(true);
    expect(policy.allows('https://other.example.com', 'https://api.example.com')).toBe(false);
    expect(policy.allows('https://api.example.com:8443', 'https://api.example.com')).toBe(false);
    expect(policy.allows('http://api.example.com', 'https://api.example.com')).toBe(false);
    expect(policy.allows('http://api.example.com', 'http://api.example.com')).toBe(false);
    expect(policy.allows('http://127.0.0.1:9000', 'http://127.0.0.1:9000')).toBe(true);
    expect(policy.allows('https://api.example.com', undefined)).toBe(false);
  });

  test('explicit strings: exact origins, plain http allowed only when listed exactly', () => {
    const policy = OriginPolicy.allowList(['https://API.example.com:443/', 'http://internal.corp:8080']);
    expect(policy.allows('https://api.example.com', undefined)).toBe(true);
    expect(policy.allows('http://internal.corp:8080', undefined)).toBe(true);
    expect(policy.allows('http://internal.corp:8081', undefined)).toBe(false);
    expect(policy.allows('http://api.example.com', undefined)).toBe(false);
    expect(policy.allows('https://api.example.com.evil.test', undefined)).toBe(false);
  });

  test('explicit RegExps are tested against the origin and never admit plain http off loopback', () => {
    const anchored = OriginPolicy.allowList([/^https:\/\/[a-z]+\.example\.com$/, /^http:\/\/127\.0\.0\.1:\d+$/]);
    expect(anchored.allows('https://orders.example.com', undefined)).toBe(true);
    expect(anchored.allows('https://orders.example.com.evil.test', undefined)).toBe(false);
    expect(anchored.allows('http://127.0.0.1:4000', undefined)).toBe(true);
    const wide = OriginPolicy.allowList([/^https?:\/\/.*example.*$/]);
    expect(wide.allows('https://orders.example.com', undefined)).toBe(true);
    expect(wide.allows('http://orders.example.com', undefined)).toBe(false);
  });

  test.each([
    [/127\.0\.0\.1/, '/^https?:\\/\\/127\\.0\\.0\\.1(?::\\d+)?$/', 'https://127.0.0.1.evil.test'],
    [/^https:\/\/api\.example\.com/, '/^https:\\/\\/api\\.example\\.com(?::\\d+)?$/', 'https://api.example.com.evil.test'],
    [/\.example\.com$/, '/^https?:\\/\\/(?:[a-z0-9-]+\\.)+example\\.com$/', 'ftp://files.example.com'],
    [/^https:\/\/a\.example\.com$|^https:\/\/b\.example\.com/, '/^(?:https:\\/\\/a\\.example\\.com$|^https:\\/\\/b\\.example\\.com)(?::\\d+)?$/', 'https://b.example.com.evil.test'],
    [/^https:\/\/api\.example\.com\$/, undefined, 'https://api.example.com$'],
  ])('an unanchored RegExp %s is refused, showing the anchored form', (pattern, suggestion, admittedBefore) => {
    if (!admittedBefore.endsWith('$')) expect(pattern.test(admittedBefore)).toBe(true);
    let error: unknown;
    try {
      OriginPolicy.allowList(['https://other.example', pattern]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CognitoConfigError);
    expect((error as CognitoConfigError).option).toBe('origins[1]');
    expect((error as Error).message).toContain('not anchored');
    if (suggestion !== undefined) {
      expect((error as Error).message).toContain(suggestion);
      // The suggestion itself is accepted and admits only whole origins.
      const [, source, flags] = /^\/(.*)\/(\w*)$/.exec(suggestion)!;
      const anchored = new RegExp(source!, flags);
      expect(() => OriginPolicy.allowList([anchored])).not.toThrow();
      expect(anchored.test(admittedBefore)).toBe(false);
    }
  });

  test('anchored patterns with groups, classes and escaped pipes are accepted', () => {
    for (const pattern of [/^https:\/\/(a|b)\.example\.com$/, /^https:\/\/[|a-z]+\.example\.com$/, /^https:\/\/a\|b$/]) {
      expect(() => OriginPolicy.allowList([pattern])).not.toThrow();
    }
  });
});

describe('FirstOriginPin', () => {
  test('the first origin it is shown stays pinned; later origins never move it', () => {
    const pin = new FirstOriginPin();
    expect(pin.origin).toBeUndefined();
    expect(pin.pin('https://api.example.com')).toBe('https://api.example.com');
    expect(pin.pin('https://api.example.com:8443')).toBe('https://api.example.com');
    expect(pin.pin('https://evil.test')).toBe('https://api.example.com');
    expect(pin.origin).toBe('https://api.example.com');
  });

  test('with the default policy only the pinned origin is allowed, and plain http only on loopback', () => {
    const policy = OriginPolicy.sameAsRequest();
    const pin = new FirstOriginPin();
    expect(policy.allows('https://api.example.com', pin.pin('https://api.example.com'))).toBe(true);
    expect(policy.allows('https://api.example.com:8443', pin.pin('https://api.example.com:8443'))).toBe(false);
    expect(policy.allows('http://api.example.com', pin.pin('http://api.example.com'))).toBe(false);

    const plain = new FirstOriginPin();
    expect(policy.allows('http://api.example.com', plain.pin('http://api.example.com'))).toBe(false);
    expect(policy.allows('https://api.example.com', plain.pin('https://api.example.com'))).toBe(false);
    const loopback = new FirstOriginPin();
    expect(policy.allows('http://127.0.0.1:9000', loopback.pin('http://127.0.0.1:9000'))).toBe(true);
    expect(policy.allows('http://127.0.0.1:9001', loopback.pin('http://127.0.0.1:9001'))).toBe(false);
  });
});
