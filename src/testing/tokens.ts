import { randomUUID } from 'node:crypto';

// Types from jose (ESM-only) are imported apart, with resolution-mode, so CJS consumers' TypeScript resolves them.
import type { CryptoKey, JSONWebKeySet, JWK, JWTPayload } from 'jose' with { 'resolution-mode': 'import' };
import {
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';

import { notAuthorized } from './errors.js';
import type { OriginRecord, UserRecord } from './state.js';

/** The scope Cognito puts in access tokens from API sign-ins. */
export const SIGNIN_SCOPE = 'aws.cognito.signin.user.admin';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

export interface IssuedTokens {
  accessToken: string;
  idToken: string;
  /** Access token lifetime in seconds (`ExpiresIn`). */
  expiresIn: number;
}

export interface TokenIssuerOptions {
  issuer: string;
  clientId: string;
  accessTokenValiditySeconds: number;
  idTokenValiditySeconds: number;
  clock: () => number;
}

type KeyPair = { privateKey: CryptoKey; publicKey: CryptoKey };

/**
 * RSA key pairs shared by the emulators of one process (one for ID, one for access tokens). Generating a
 * 2048-bit pair costs ~150 ms of CPU, and test suites start hundreds of emulators; each emulator still has its
 * own `kid`s, so a token from one pool is not accepted by another pool's JWKS (no matching key).
 */
const sharedKeyPairs = new Map<'id' | 'access', Promise<KeyPair>>();

function keyPair(use: 'id' | 'access'): Promise<KeyPair> {
  let pair = sharedKeyPairs.get(use);
  if (pair === undefined) {
    pair = generateKeyPair('RS256', { modulusLength: 2048 });
    sharedKeyPairs.set(use, pair);
    pair.catch(() => sharedKeyPairs.delete(use)); // a failed generation is not kept
  }
  return pair;
}

async function newSigningKey(use: 'id' | 'access'): Promise<SigningKey> {
  const { privateKey, publicKey } = await keyPair(use);
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, jwk };
}

/**
 * Signs Cognito-shaped RS256 ID and access tokens. As in Cognito, ID and access tokens use different keys
 * (different `kid`), both published in the pool's JWKS.
 */
export class TokenIssuer {
  private constructor(
    private readonly options: TokenIssuerOptions,
    private readonly idKey: SigningKey,
    private readonly accessKey: SigningKey,
  ) {}

  static async create(options: TokenIssuerOptions): Promise<TokenIssuer> {
    const [idKey, accessKey] = await Promise.all([newSigningKey('id'), newSigningKey('access')]);
    return new TokenIssuer(options, idKey, accessKey);
  }

  jwks(): JSONWebKeySet {
    return { keys: [this.idKey.jwk, this.accessKey.jwk] };
  }

  async issue(user: UserRecord, origin: OriginRecord): Promise<IssuedTokens> {
    const nowSeconds = Math.floor(this.options.clock() / 1000);
    const eventId = randomUUID();
    const groups = user.groups.length > 0 ? { 'cognito:groups': [...user.groups] } : {};
    const access: JWTPayload = {
      sub: user.sub,
      ...groups,
      iss: this.options.issuer,
      client_id: this.options.clientId,
      origin_jti: origin.originJti,
      event_id: eventId,
      token_use: 'access',
      scope: SIGNIN_SCOPE,
      auth_time: origin.authTime,
      ...(origin.deviceKey === undefined ? {} : { device_key: origin.deviceKey }),
      exp: nowSeconds + this.options.accessTokenValiditySeconds,
      iat: nowSeconds,
      jti: randomUUID(),
      username: user.username,
    };
    const id: JWTPayload = {
      sub: user.sub,
      ...groups,
      ...(user.email === undefined ? {} : { email_verified: user.emailVerified }),
      iss: this.options.issuer,
      'cognito:username': user.username,
      origin_jti: origin.originJti,
      aud: this.options.clientId,
      event_id: eventId,
      token_use: 'id',
      auth_time: origin.authTime,
      ...(user.phoneNumber === undefined
        ? {}
        : { phone_number: user.phoneNumber, phone_number_verified: user.phoneNumberVerified }),
      exp: nowSeconds + this.options.idTokenValiditySeconds,
      iat: nowSeconds,
      jti: randomUUID(),
      ...(user.email === undefined ? {} : { email: user.email }),
      ...user.attributes,
    };
    const [accessToken, idToken] = await Promise.all([
      this.#sign(access, this.accessKey),
      this.#sign(id, this.idKey),
    ]);
    return { accessToken, idToken, expiresIn: this.options.accessTokenValiditySeconds };
  }

  /** Signs `payload` with the access-token key (machine-to-machine tokens use it too). */
  signAccessToken(payload: JWTPayload): Promise<string> {
    return this.#sign(payload, this.accessKey);
  }

  #sign(payload: JWTPayload, key: SigningKey): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
  }

  /**
   * Verifies an access token presented in a request body (GlobalSignOut, ConfirmDevice...).
   * @throws CognitoWireError NotAuthorizedException as Cognito words it.
   */
  async verifyAccessToken(token: unknown): Promise<JWTPayload & { username: string; origin_jti: string }> {
    if (typeof token !== 'string' || token.length === 0) throw notAuthorized('Invalid Access Token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.accessKey.publicKey, {
        algorithms: ['RS256'],
        issuer: this.options.issuer,
        currentDate: new Date(this.options.clock()),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw notAuthorized('Access Token has expired');
      throw notAuthorized('Invalid Access Token');
    }
    if (
      payload.token_use !== 'access' ||
      payload.client_id !== this.options.clientId ||
      typeof payload.username !== 'string' ||
      typeof payload.origin_jti !== 'string'
    ) {
      throw notAuthorized('Invalid Access Token');
    }
    return payload as JWTPayload & { username: string; origin_jti: string };
  }

  /** `origin_jti` of a JWT this issuer signed (ID or access), without checking expiry; undefined otherwise. */
  originOf(token: string): string | undefined {
    try {
      const { kid } = decodeProtectedHeader(token);
      if (kid !== this.idKey.kid && kid !== this.accessKey.kid) return undefined;
      const origin = decodeJwt(token).origin_jti;
      return typeof origin === 'string' ? origin : undefined;
    } catch {
      return undefined;
    }
  }
}
