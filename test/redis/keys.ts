import { randomBytes } from 'node:crypto';

/** A fresh encryption key, base64, as `openssl rand -base64 32` prints it. */
export function newEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/** A unique cache key per test, so tests sharing a REDIS_URL server never see each other's entries. */
export function uniqueKey(label: string): string {
  return `${label}:${randomBytes(6).toString('hex')}`;
}

/** A string shaped like a Cognito JWT (header.payload.signature, base64url). */
export function jwtLike(subject: string): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k1' })}.${part({ sub: subject, token_use: 'access' })}.${randomBytes(64).toString('base64url')}`;
}
