import type { ResolvedClientCredentialsOptions } from './options.js';

/**
 * What makes two providers' tokens interchangeable: the issuer (pool and endpoint), the app client and the
 * requested scopes (order and duplicates ignored). The transport is left out: GetClientToken and the token
 * endpoint issue the same token. Meant as the fleet-cache key (hash it if the store limits key length).
 */
export function clientCredentialsIdentity(options: ResolvedClientCredentialsOptions): string {
  const issuer = options.verify?.issuer ?? `${options.endpoint ?? options.region}/${options.userPoolId}`;
  const scopes = [...options.scopes].sort().join(' ');
  return JSON.stringify(['m2m', issuer, options.clientId, scopes]);
}
