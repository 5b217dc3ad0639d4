import { defaultIssuer } from '../auth/options.js';
import type { ResolvedClientCredentialsOptions } from './options.js';

/**
 * What makes two providers' tokens interchangeable: the issuer (pool and endpoint), the app client and the
 * requested scopes (order and duplicates ignored). The transport and the `verify` settings are left out: GetClientToken
 * and the token endpoint issue the same token, and a provider that does not verify still shares it. Meant as the fleet-cache key (hash it if the store limits key length).
 */
export function clientCredentialsIdentity(options: ResolvedClientCredentialsOptions): string {
  const issuer = defaultIssuer(options.userPoolId, options.region, options.endpoint);
  const scopes = [...options.scopes].sort().join(' ');
  return JSON.stringify(['m2m', issuer, options.clientId, scopes]);
}
