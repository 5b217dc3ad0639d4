import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoConfigError } from '../errors.js';
import { readClientSecret, type ClientSecretSource } from '../auth/client-secret.js';
import { secretHash } from '../srp/index.js';
import { mapAccountError } from './errors.js';

/** What every account operation needs: the SDK client, the pool, the app client and its secret. */
export interface AccountContext {
  readonly client: CognitoIdentityProviderClient;
  readonly userPoolId: string;
  readonly clientId: string;
  /** Read at each operation that needs it (a function secret may rotate). */
  readonly clientSecret: ClientSecretSource | undefined;
}

/** Runs one SDK call, turning its errors into this library's typed errors. */
export async function send<T>(call: () => Promise<T>, deviceKey?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw mapAccountError(error, deviceKey);
  }
}

/** `{ SecretHash }` for operations that take it as a top-level member (SignUp, ForgotPassword...). */
export async function secretHashMember(ctx: AccountContext, username: string): Promise<{ SecretHash?: string }> {
  const secret = await readClientSecret(ctx.clientSecret);
  return secret === undefined ? {} : { SecretHash: secretHash(username, ctx.clientId, secret.reveal()) };
}

/** A required, non-empty string argument. @throws CognitoConfigError naming the argument. */
export function requireArgument(value: unknown, name: string, what = 'a non-empty string'): string {
  if (typeof value !== 'string' || value.length === 0) throw new CognitoConfigError(name, `expected ${what}.`);
  return value;
}

/** Optional ClientMetadata, validated as a map of strings. */
export function clientMetadataMember(value: unknown): { ClientMetadata?: Record<string, string> } {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CognitoConfigError('clientMetadata', 'expected an object of string values.');
  }
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw new CognitoConfigError(`clientMetadata.${key}`, 'expected a string.');
  }
  return { ClientMetadata: { ...(value as Record<string, string>) } };
}

/** Reads every page of a paginated Cognito listing. */
export async function allPages<Page, Item>(
  fetchPage: (token: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => Item[] | undefined,
  nextTokenOf: (page: Page) => string | undefined,
): Promise<Item[]> {
  const items: Item[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    items.push(...(itemsOf(page) ?? []));
    token = nextTokenOf(page);
    // A server that hands back the same token forever must not loop us forever.
    if (token !== undefined && seen.has(token)) break;
    if (token !== undefined) seen.add(token);
  } while (token !== undefined && token !== '');
  return items;
}
