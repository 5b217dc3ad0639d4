import { timingSafeEqual } from 'node:crypto';

import { secretHash } from '../srp/index.js';
import type { EmulatorContext } from './context.js';
import { CognitoWireError, invalidParameter, missingParameter, notAuthorized, resourceNotFound } from './errors.js';

/** A required string member of the request body. */
export function requireString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (value === undefined || value === null || value === '') throw missingParameter(name);
  if (typeof value !== 'string') {
    throw new CognitoWireError('SerializationException', `Value for ${name} must be a string`);
  }
  return value;
}

/** An optional string member; JSON `null` counts as absent (amazon-cognito-identity-js sends nulls). */
export function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new CognitoWireError('SerializationException', `Value for ${name} must be a string`);
  }
  return value;
}

/** A string-to-string map member (AuthParameters, ChallengeResponses); null values are dropped. */
export function stringMap(input: Record<string, unknown>, name: string, required: boolean): Record<string, string> {
  const value = input[name];
  if (value === undefined || value === null) {
    if (required) throw missingParameter(name);
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CognitoWireError('SerializationException', `Value for ${name} must be a map of strings`);
  }
  const out: Record<string, string> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === null || member === undefined) continue;
    if (typeof member !== 'string') {
      throw new CognitoWireError('SerializationException', `Value for ${name}.${key} must be a string`);
    }
    out[key] = member;
  }
  return out;
}

/** Map parameter that must be present and non-empty, reported as Cognito does for AuthParameters. */
export function requireMember(map: Record<string, string>, name: string): string {
  const value = map[name];
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

/** @throws ResourceNotFoundException when the request names another app client. */
export function checkClientId(input: Record<string, unknown>, ctx: EmulatorContext): string {
  const clientId = requireString(input, 'ClientId');
  if (clientId !== ctx.clientId) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  return clientId;
}

export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Checks the raw `ClientSecret` of GetTokensFromRefreshToken and RevokeToken. */
export function checkClientSecret(input: Record<string, unknown>, ctx: EmulatorContext): void {
  if (ctx.clientSecret === undefined) return;
  const given = optionalString(input, 'ClientSecret');
  if (given === undefined) {
    throw notAuthorized(`Client ${ctx.clientId} is configured with secret but ClientSecret was not received`);
  }
  if (!constantTimeEquals(given, ctx.clientSecret)) {
    throw notAuthorized(`Unable to verify secret hash for client ${ctx.clientId}`);
  }
}

/** Validates an enum-like string parameter. */
export function oneOfParameter<T extends string>(value: string, name: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidParameter(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

/**
 * Checks SECRET_HASH computed over `username` (what Cognito expects at that step) when the client has a secret.
 * A client without a secret ignores it.
 */
export function checkSecretHash(ctx: EmulatorContext, given: string | undefined, username: string): void {
  if (ctx.clientSecret === undefined) return;
  if (given === undefined || given === '') {
    throw notAuthorized(`Client ${ctx.clientId} is configured for secret but secret was not received`);
  }
  if (!constantTimeEquals(given, secretHash(username, ctx.clientId, ctx.clientSecret))) {
    throw notAuthorized(`Unable to verify secret hash for client ${ctx.clientId}`);
  }
}

/** checkSecretHash where Cognito may accept the hash over more than one name (the alias typed or the internal name). */
export function checkSecretHashForEither(ctx: EmulatorContext, given: string | undefined, names: string[]): void {
  if (ctx.clientSecret === undefined) return;
  const secret = ctx.clientSecret;
  if (given !== undefined && names.some((name) => constantTimeEquals(given, secretHash(name, ctx.clientId, secret)))) {
    return;
  }
  checkSecretHash(ctx, given, names[0]!);
}

/** @throws ResourceNotFoundException when the request names another user pool. */
export function checkPoolId(input: Record<string, unknown>, ctx: EmulatorContext): void {
  const poolId = requireString(input, 'UserPoolId');
  if (poolId !== ctx.userPoolId) throw resourceNotFound(`User pool ${poolId} does not exist.`);
}

export function optionalBoolean(input: Record<string, unknown>, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw new CognitoWireError('SerializationException', `Value for ${name} must be a boolean`);
  }
  return value;
}

/** An optional integer member within [min, max]. */
export function optionalInteger(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new CognitoWireError('SerializationException', `Value for ${name} must be an integer`);
  }
  if (value < min || value > max) {
    throw invalidParameter(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: ` +
        `Member must have value between ${min} and ${max}`,
    );
  }
  return value;
}

/** A list of strings (UserAttributeNames, AttributesToGet...). */
export function stringList(input: Record<string, unknown>, name: string, required: boolean): string[] {
  const value = input[name];
  if (value === undefined || value === null) {
    if (required) throw missingParameter(name);
    return [];
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new CognitoWireError('SerializationException', `Value for ${name} must be a list of strings`);
  }
  return value as string[];
}

/** `[{ Name, Value }]` attribute lists (UserAttributes, ValidationData). */
export function attributeList(input: Record<string, unknown>, name: string, required: boolean): [string, string][] {
  const value = input[name];
  if (value === undefined || value === null) {
    if (required) throw missingParameter(name);
    return [];
  }
  if (!Array.isArray(value)) {
    throw new CognitoWireError('SerializationException', `Value for ${name} must be a list of attributes`);
  }
  return value.map((item: unknown, index) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    if (typeof entry.Name !== 'string' || entry.Name === '') throw missingParameter(`${name}.${index + 1}.member.Name`);
    const attributeValue = entry.Value ?? '';
    if (typeof attributeValue !== 'string') {
      throw new CognitoWireError('SerializationException', `Value for ${name}.${entry.Name} must be a string`);
    }
    return [entry.Name, attributeValue];
  });
}
