import { inspect } from 'node:util';
import { CognitoConfigError } from '../../src/errors.js';
import { BearerAuth } from '../../src/http/bearer-auth.js';
import { resolveAdapterOptions } from '../../src/http/options.js';
import type { TokenSource } from '../../src/tokens/token-source.js';

class ScriptedSource implements TokenSource {
  token: string | undefined = 'tok-1';
  invalidated: (string | undefined)[] = [];
  getToken(): Promise<string> {
    return this.token === undefined ? Promise.reject(new Error('no token')) : Promise.resolve(this.token);
  }
  peekToken(): string | undefined {
    return this.token;
  }
  invalidate(token?: string): void {
    this.invalidated.push(token);
  }
}

describe('BearerAuth', () => {
  test('formats the header value once per token and returns the same string while it stays', () => {
    const source = new ScriptedSource();
    const auth = new BearerAuth(source, resolveAdapterOptions({}));
    const first = auth.peekValue();
    expect(first).toBe('Bearer tok-1');
    expect(auth.peekValue()).toBe(first);
    source.token = 'tok-2';
    expect(auth.peekValue()).toBe('Bearer tok-2');
    source.token = undefined;
    expect(auth.peekValue()).toBeUndefined();
  });

  test('reports the raw token (without the scheme) to invalidate and waits for the next', async () => {
    const source = new ScriptedSource();
    const auth = new BearerAuth(source, resolveAdapterOptions({ scheme: 'JWT' }));
    const sent = await auth.value();
    source.token = 'tok-2';
    await expect(auth.valueAfterUnauthorized(sent)).resolves.toBe('JWT tok-2');
    expect(source.invalidated).toEqual(['tok-1']);
  });

  test('recognises the values it issued recently, not the caller’s', () => {
    const source = new ScriptedSource();
    const auth = new BearerAuth(source, resolveAdapterOptions({}));
    auth.peekValue();
    for (let i = 2; i <= 9; i += 1) {
      source.token = `tok-${i}`;
      auth.peekValue();
    }
    expect(auth.isIssued('Bearer tok-9')).toBe(true);
    expect(auth.isIssued('Bearer tok-2')).toBe(true);
    expect(auth.isIssued('Bearer tok-1')).toBe(false); // only the last 8
    expect(auth.isIssued('Bearer callers-own')).toBe(false);
    expect(auth.isIssued(undefined)).toBe(false);
  });

  test('keeps tokens out of util.inspect and JSON', () => {
    const auth = new BearerAuth(new ScriptedSource(), resolveAdapterOptions({}));
    auth.peekValue();
    expect(inspect(auth, { depth: 5, showHidden: true })).not.toContain('tok-1');
    expect(JSON.stringify(auth)).not.toContain('tok-1');
  });

  test('refuses something that is not a token source', () => {
    expect(() => new BearerAuth({ getToken: () => Promise.resolve('x') } as unknown as TokenSource, resolveAdapterOptions({}))).toThrow(
      expect.objectContaining({ option: 'provider' }),
    );
    expect(() => new BearerAuth(null as unknown as TokenSource, resolveAdapterOptions({}))).toThrow(CognitoConfigError);
  });
});
