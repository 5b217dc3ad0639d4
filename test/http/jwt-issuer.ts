import { SignJWT, exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';

/** Test-only: signs real RS256 access tokens and publishes the matching JWKS. */
export class JwtIssuer {
  readonly issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1';
  readonly #keyId = 'test-key-1';
  #privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'] | undefined;
  #jwks: JSONWebKeySet | undefined;
  #serial = 0;

  static async create(): Promise<JwtIssuer> {
    const issuer = new JwtIssuer();
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    issuer.#privateKey = privateKey;
    issuer.#jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: issuer.#keyId, alg: 'RS256', use: 'sig' }] };
    return issuer;
  }

  get jwks(): JSONWebKeySet {
    return this.#jwks!;
  }

  /** A fresh access token; each call returns a different one (distinct `jti`). */
  sign(lifetimeSeconds = 3600): Promise<string> {
    this.#serial += 1;
    return new SignJWT({ token_use: 'access', client_id: 'test-client', username: 'svc' })
      .setProtectedHeader({ alg: 'RS256', kid: this.#keyId })
      .setIssuer(this.issuer)
      .setSubject('00000000-0000-4000-8000-000000000001')
      .setJti(`jti-${this.#serial}`)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
      .sign(this.#privateKey!);
  }
}
