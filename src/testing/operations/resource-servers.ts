import type { EmulatorContext } from '../context.js';
import { CognitoWireError, invalidParameter, missingParameter } from '../errors.js';
import type { ResourceServerRecord, ResourceServerScope } from '../m2m-state.js';
import { pageOf } from '../pagination.js';
import { checkPoolId, optionalInteger, optionalString, requireString } from '../params.js';

const SCOPE_NAME = /^[\x21\x23-\x2e\x30-\x5b\x5d-\x7e]+$/;
const MAX_SCOPES = 100;

function scopesParam(input: Record<string, unknown>): ResourceServerScope[] {
  const value = input.Scopes;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CognitoWireError('SerializationException', 'Value for Scopes must be a list');
  if (value.length > MAX_SCOPES) throw invalidParameter(`A resource server can have at most ${MAX_SCOPES} scopes.`);
  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const name = entry.ScopeName;
    const description = entry.ScopeDescription;
    if (typeof name !== 'string' || name === '') throw missingParameter(`Scopes.${index + 1}.member.ScopeName`);
    if (typeof description !== 'string' || description === '') {
      throw missingParameter(`Scopes.${index + 1}.member.ScopeDescription`);
    }
    if (!SCOPE_NAME.test(name)) throw invalidParameter(`Invalid scope name ${name}.`);
    if (seen.has(name)) throw invalidParameter(`Duplicate scope name ${name}.`);
    seen.add(name);
    return { ScopeName: name, ScopeDescription: description };
  });
}

function wire(ctx: EmulatorContext, server: ResourceServerRecord): Record<string, unknown> {
  return {
    UserPoolId: ctx.userPoolId,
    Identifier: server.identifier,
    Name: server.name,
    Scopes: server.scopes.map((scope) => ({ ...scope })),
  };
}

/** CreateResourceServer: an API identifier and the custom scopes app clients may be granted on it. */
export async function createResourceServer(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  const identifier = requireString(input, 'Identifier');
  const name = requireString(input, 'Name');
  const scopes = scopesParam(input);
  if (ctx.m2m.resourceServers.has(identifier)) {
    throw invalidParameter(`A resource server with identifier ${identifier} already exists in this user pool.`);
  }
  const server: ResourceServerRecord = { identifier, name, scopes };
  ctx.m2m.resourceServers.set(identifier, server);
  return { ResourceServer: wire(ctx, server) };
}

export async function describeResourceServer(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  return { ResourceServer: wire(ctx, ctx.m2m.requireResourceServer(requireString(input, 'Identifier'))) };
}

/** UpdateResourceServer: replaces the name and scopes (omitted scopes are removed, as in Cognito). */
export async function updateResourceServer(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  const server = ctx.m2m.requireResourceServer(requireString(input, 'Identifier'));
  const name = requireString(input, 'Name');
  server.scopes = scopesParam(input);
  server.name = name;
  return { ResourceServer: wire(ctx, server) };
}

export async function deleteResourceServer(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  const server = ctx.m2m.requireResourceServer(requireString(input, 'Identifier'));
  ctx.m2m.resourceServers.delete(server.identifier);
  return {};
}

export async function listResourceServers(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  const limit = optionalInteger(input, 'MaxResults', 1, 50);
  if (limit === undefined) throw missingParameter('MaxResults');
  const { page, next } = pageOf([...ctx.m2m.resourceServers.values()], limit, optionalString(input, 'NextToken'));
  return { ResourceServers: page.map((server) => wire(ctx, server)), ...(next === undefined ? {} : { NextToken: next }) };
}
