import { readFileSync } from 'node:fs';
import axios from 'axios';
import { attachCognitoAuth } from '../../adapters/axios.js';
import { cognitoFetch } from '../../adapters/fetch.js';

const CLIENTS = ['axios', 'got', 'undici'];

describe('adapter entry points', () => {
  test.each(['axios', 'got', 'undici', 'fetch'])('%s.ts loads no HTTP client at module load (types only)', (name) => {
    const source = readFileSync(new URL(`../../adapters/${name}.ts`, import.meta.url), 'utf8');
    const runtimeImports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
    expect(runtimeImports.filter((specifier) => CLIENTS.includes(specifier!))).toEqual([]);
    // Only the axios adapter imports its client at run time, lazily, to build an AxiosError on failure.
    const lazy = [...source.matchAll(/import\('([^']+)'\)/g)].map((m) => m[1]);
    expect(lazy).toEqual(name === 'axios' ? ['axios'] : []);
  });

  test('per-request opt-outs are typed (this file must type-check)', () => {
    const instance = axios.create();
    const config = { url: 'http://127.0.0.1:9/x', cognitoAuth: false } satisfies Parameters<typeof instance.request>[0];
    const init: RequestInit = { method: 'GET', cognitoAuth: false };
    expect(config.cognitoAuth).toBe(false);
    expect(init.cognitoAuth).toBe(false);
    expect(typeof attachCognitoAuth).toBe('function');
    expect(typeof cognitoFetch).toBe('function');
  });
});
