/**
 * The names each subpath must export (from the public contract, shared docs api.md), checked by
 * scripts/smoke.mjs against the packed tarball from ESM, CJS and TypeScript. Add a name here when the
 * contract gains one. kind 'class': a constructor; 'function': a plain callable.
 */
export const PUBLIC_EXPORTS = {
  '.': {
    CognitoTokenProvider: 'class',
    CognitoClientCredentialsProvider: 'class',
    FileDeviceStore: 'class',
    MemoryDeviceStore: 'class',
    FileTokenStore: 'class',
    MemoryTokenStore: 'class',
    TokenStoreError: 'class',
    TokenCacheError: 'class',
    CognitoAuthError: 'class',
    CognitoConfigError: 'class',
    Cognito: 'class',
    CognitoUser: 'class',
    DeviceTrust: 'class',
    MemoryTrustStore: 'class',
    toCognitoAttributes: 'function',
    fromCognitoAttributes: 'function',
    groupFromData: 'function',
    otpauthUri: 'function',
    jsonTrustStore: 'function',
  },
  './axios': { attachCognitoAuth: 'function' },
  './got': { cognitoGot: 'function' },
  './undici': { cognitoInterceptor: 'function' },
  './fetch': { cognitoFetch: 'function' },
  './redis': { RedisTokenCache: 'class', TokenCacheError: 'class' },
  './testing': { startCognitoEmulator: 'function' },
};

/** Peer dependencies the smoke project installs so that every adapter subpath loads. */
export const SMOKE_PEERS = ['axios', 'got', 'undici'];
