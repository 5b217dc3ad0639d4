import type { EmulatorContext } from '../context.js';
import { CognitoWireError, resourceNotFound } from '../errors.js';
import { pageOf } from '../pagination.js';
import {
  checkPoolId,
  oneOfParameter,
  optionalInteger,
  optionalString,
  requireString,
  stringList,
  stringMap,
} from '../params.js';
import type { IdentityProviderRecord } from '../pool-records.js';
import { epochSeconds } from '../user-wire.js';

const PROVIDER_TYPES = ['SAML', 'Facebook', 'Google', 'LoginWithAmazon', 'SignInWithApple', 'OIDC'] as const;

function providerWire(ctx: EmulatorContext, provider: IdentityProviderRecord): Record<string, unknown> {
  return {
    UserPoolId: ctx.userPoolId,
    ProviderName: provider.name,
    ProviderType: provider.type,
    ProviderDetails: { ...provider.details },
    AttributeMapping: { ...provider.attributeMapping },
    IdpIdentifiers: [...provider.identifiers],
    CreationDate: epochSeconds(provider.createdAt),
    LastModifiedDate: epochSeconds(provider.modifiedAt),
  };
}

/** @throws ResourceNotFoundException when the pool has no provider of that name. */
function existingProvider(input: Record<string, unknown>, ctx: EmulatorContext): IdentityProviderRecord {
  checkPoolId(input, ctx);
  const name = requireString(input, 'ProviderName');
  const provider = ctx.state.identityProviders.get(name);
  if (provider === undefined) throw resourceNotFound(`Identity provider ${name} does not exist.`);
  return provider;
}

/** CreateIdentityProvider: stored, described and listed; the emulator never federates sign-ins. */
export async function createIdentityProvider(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  const name = requireString(input, 'ProviderName');
  const type = oneOfParameter(requireString(input, 'ProviderType'), 'providerType', PROVIDER_TYPES);
  if (ctx.state.identityProviders.has(name)) {
    throw new CognitoWireError('DuplicateProviderException', `A provider with the name ${name} already exists.`);
  }
  const now = ctx.options.clock();
  const provider: IdentityProviderRecord = {
    name,
    type,
    details: stringMap(input, 'ProviderDetails', true),
    attributeMapping: stringMap(input, 'AttributeMapping', false),
    identifiers: stringList(input, 'IdpIdentifiers', false),
    createdAt: now,
    modifiedAt: now,
  };
  ctx.state.identityProviders.set(name, provider);
  return { IdentityProvider: providerWire(ctx, provider) };
}

export async function describeIdentityProvider(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  return { IdentityProvider: providerWire(ctx, existingProvider(input, ctx)) };
}

/** UpdateIdentityProvider: the given maps and identifiers replace the stored ones. */
export async function updateIdentityProvider(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  const provider = existingProvider(input, ctx);
  if (input.ProviderDetails != null) provider.details = stringMap(input, 'ProviderDetails', true);
  if (input.AttributeMapping != null) provider.attributeMapping = stringMap(input, 'AttributeMapping', true);
  if (input.IdpIdentifiers != null) provider.identifiers = stringList(input, 'IdpIdentifiers', true);
  provider.modifiedAt = ctx.options.clock();
  return { IdentityProvider: providerWire(ctx, provider) };
}

export async function deleteIdentityProvider(
  input: Record<string, unknown>,
  ctx: EmulatorContext,
): Promise<Record<string, never>> {
  const provider = existingProvider(input, ctx);
  ctx.state.identityProviders.delete(provider.name);
  return {};
}

/** ListIdentityProviders: pages by `MaxResults` (1–60) and `NextToken`. */
export async function listIdentityProviders(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  const limit = optionalInteger(input, 'MaxResults', 1, 60) ?? 60;
  const { page, next } = pageOf([...ctx.state.identityProviders.values()], limit, optionalString(input, 'NextToken'));
  return {
    Providers: page.map((p) => ({
      ProviderName: p.name,
      ProviderType: p.type,
      CreationDate: epochSeconds(p.createdAt),
      LastModifiedDate: epochSeconds(p.modifiedAt),
    })),
    ...(next === undefined ? {} : { NextToken: next }),
  };
}
