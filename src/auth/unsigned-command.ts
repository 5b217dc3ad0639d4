/** The SDK's middleware that picks an auth scheme and resolves its identity (AWS credentials for SigV4). */
const AUTH_SCHEME_MIDDLEWARE = 'httpAuthSchemeMiddleware';
const SMITHY_CONTEXT_KEY = '__smithy_context';

interface HttpRequestLike {
  headers: Record<string, string>;
}

/** `smithy.api#noAuth`: no identity, and a signer that leaves the request as it is. */
const NO_AUTH_SCHEME = {
  httpAuthOption: { schemeId: 'smithy.api#noAuth' },
  identity: {},
  signer: { sign: async (request: HttpRequestLike) => request },
};

/**
 * Makes the SDK send `command` without SigV4, as it sends InitiateAuth. GetClientToken is not modelled `noAuth`
 * in SDK 3.x, so the SDK would look for AWS credentials (possibly probing the EC2 metadata service) and throw
 * CredentialsProviderError without them, although Cognito does not evaluate IAM for it. The command's own
 * `httpAuthSchemeMiddleware` replaces the client's (same name, `override`), so no credential provider is asked,
 * whichever client (ours or the caller's `cognitoClient`) sends it.
 */
interface CommandWithStack {
  // The SDK's MiddlewareStack, typed loosely so this file needs no @smithy/types import.
  middlewareStack: { addRelativeTo(middleware: never, options: never): void };
}

export function unsignedCommand<C extends CommandWithStack>(command: C): C {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: Record<string, unknown>) => async (args: unknown) => {
      const smithy = (context[SMITHY_CONTEXT_KEY] ??= {}) as Record<string, unknown>;
      smithy.selectedHttpAuthScheme = NO_AUTH_SCHEME;
      return next(args);
    };
  command.middlewareStack.addRelativeTo(
    middleware as never,
    {
      step: 'serialize',
      name: AUTH_SCHEME_MIDDLEWARE,
      override: true,
      relation: 'before',
      toMiddleware: 'endpointV2Middleware',
    } as never,
  );
  return command;
}
