import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoConfigError } from '../errors.js';

/**
 * Where Cognito's API is for a region, as the AWS SDK resolves it: its endpoint rules (partitions such as
 * `amazonaws.com.cn`), `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`
 * and the shared config file's settings. The SDK stays the authority on the URL; the provider's own transport only
 * sends to it. Resolved once per region and process: a client is built, a request is serialized up to the point
 * where it would be signed and sent, its URL is read, and nothing leaves the machine.
 */
export function sdkResolvedEndpoint(region: string): Promise<URL> {
  let resolved = endpoints.get(region);
  if (resolved === undefined) {
    resolved = resolve(region);
    endpoints.set(region, resolved);
    // A failure (a config file that could not be read) is not remembered: the next sign-in asks again.
    resolved.catch(() => endpoints.delete(region));
  }
  return resolved;
}

const endpoints = new Map<string, Promise<URL>>();

interface BuiltRequest {
  protocol?: string;
  hostname?: string;
  port?: number;
  path?: string;
}

async function resolve(region: string): Promise<URL> {
  const client = new CognitoIdentityProviderClient({
    region,
    maxAttempts: 1,
    // Explicit, so no setting (AWS_DEFAULTS_MODE=auto) makes the SDK ask the instance metadata service for a region.
    defaultsMode: 'legacy',
    retryMode: 'standard',
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  // The SDK wraps whatever a middleware throws, so the URL is handed out through this variable.
  let resolved: URL | undefined;
  client.middlewareStack.add(
    () => async (args) => {
      const request = args.request as BuiltRequest;
      // The SDK keeps an IPv6 literal's brackets (its request handler strips them); add them only when missing.
      const bare = request.hostname?.includes(':') === true && !request.hostname.startsWith('[');
      const host = bare ? `[${request.hostname}]` : request.hostname;
      const port = request.port === undefined ? '' : `:${request.port}`;
      resolved = new URL(`${request.protocol ?? 'https:'}//${host}${port}${request.path ?? '/'}`);
      throw new Error('resolved; not sent');
    },
    { step: 'finalizeRequest', priority: 'high', name: 'cognitoSrpAuthEndpointResolution' },
  );
  try {
    await client.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: 'endpoint-resolution' }));
  } catch (outcome) {
    if (resolved !== undefined) return resolved;
    // E.g. AWS_USE_FIPS_ENDPOINT=maybe: the SDK's message names the setting.
    const reason = outcome instanceof Error ? outcome.message : String(outcome);
    throw new CognitoConfigError(
      'region',
      `the AWS SDK found no Cognito endpoint for ${JSON.stringify(region)} (${reason.slice(0, 200)}); set \`endpoint\` or fix the setting.`,
    );
  } finally {
    client.destroy();
  }
  throw new Error('the AWS SDK sent a request that was meant to stop before sending');
}
