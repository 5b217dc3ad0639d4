/**
 * The demo's protected API: a plain node:http server on 127.0.0.1 that answers 200 only to requests whose
 * `authorization: Bearer <jwt>` verifies against the user pool's JWKS (RS256, issuer, expiry), like an API
 * behind a Cognito authorizer. Everything else gets 401.
 */
import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/**
 * @param {object} options
 * @param {string} options.jwksUri  the pool's JWKS (the emulator's `jwksUri`)
 * @param {string} options.issuer   the expected `iss`
 * @param {(token: string) => boolean} [options.isRevoked]  server-side revocation check
 * @param {() => number} [options.now]  the API's clock in ms (default Date.now)
 */
export async function startProtectedApi({ jwksUri, issuer, isRevoked = () => false, now = Date.now }) {
  const keys = createRemoteJWKSet(new URL(jwksUri));
  const counts = { ok: 0, unauthorized: 0 };
  const tokensSeen = new Set();

  async function verify(header) {
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (token === undefined || isRevoked(token)) return undefined;
    tokensSeen.add(token);
    try {
      const { payload } = await jwtVerify(token, keys, { issuer, algorithms: ['RS256'], currentDate: new Date(now()) });
      return payload;
    } catch {
      return undefined;
    }
  }

  const server = createServer(async (req, res) => {
    req.resume();
    const claims = await verify(req.headers.authorization);
    if (claims === undefined) {
      counts.unauthorized += 1;
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' });
      res.end('{"message":"Unauthorized"}');
      return;
    }
    counts.ok += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, user: claims.username, path: req.url }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  return {
    origin,
    counts,
    /** Distinct tokens presented so far. */
    get distinctTokens() {
      return tokensSeen.size;
    },
    resetCounts() {
      counts.ok = 0;
      counts.unauthorized = 0;
      tokensSeen.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
