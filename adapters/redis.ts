/**
 * Fleet token cache on Redis: every process that shares it signs in and refreshes once per token lifetime.
 *
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisTokenCache } from 'cognito-srp-auth/redis';
 * const cache = new RedisTokenCache({ client: new Redis(process.env.REDIS_URL!), encryptionKey: process.env.COGNITO_CACHE_KEY! });
 * const provider = new CognitoTokenProvider({ ...options, cache });
 * ```
 * ioredis and redis (node-redis) are optional peer dependencies: neither is imported, the client you pass
 * in is used as is.
 */
export { RedisTokenCache, DEFAULT_KEY_PREFIX, type RedisTokenCacheOptions } from '../src/redis/redis-token-cache.js';
export type { RedisClientKind } from '../src/redis/redis-client.js';
export { TokenCacheError } from '../src/errors.js';
export type {
  TokenCache,
  TokenCacheCallOptions,
  TokenCacheLock,
  TokenCacheLockOptions,
  TokenCacheSetOptions,
  TokenCacheWaitOptions,
} from '../src/tokens/token-cache.js';
