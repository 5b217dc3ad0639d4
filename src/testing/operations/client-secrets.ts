import type { EmulatorContext } from '../context.js';
import { CognitoWireError, invalidParameter, resourceNotFound } from '../errors.js';
import { MAX_CLIENT_SECRETS, type ClientSecretRecord } from '../m2m-state.js';
import { checkPoolId, optionalString, requireString } from '../params.js';
import { epochSeconds } from '../user-wire.js';

function descriptor(record: ClientSecretRecord, withValue: boolean): Record<string, unknown> {
  return {
    ClientSecretId: record.id,
    ...(withValue ? { ClientSecretValue: record.value.reveal() } : {}),
    ClientSecretCreateDate: epochSeconds(record.createdAt),
  };
}

/**
 * AddUserPoolClientSecret: a second secret for rotation (the given one, or a generated one). Both work until one
 * is deleted. At most two at a time.
 */
export async function addUserPoolClientSecret(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  const client = ctx.m2m.requireClient(requireString(input, 'ClientId'));
  const value = optionalString(input, 'ClientSecret');
  if (client.secrets.length >= MAX_CLIENT_SECRETS) {
    throw new CognitoWireError(
      'LimitExceededException',
      `The app client already has ${MAX_CLIENT_SECRETS} client secrets; delete one first.`,
    );
  }
  const record = ctx.m2m.newSecret(value);
  client.secrets.push(record);
  return { ClientSecretDescriptor: descriptor(record, true) };
}

/** ListUserPoolClientSecrets: ids and creation dates, never the values. */
export async function listUserPoolClientSecrets(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  const client = ctx.m2m.requireClient(requireString(input, 'ClientId'));
  optionalString(input, 'NextToken');
  return { ClientSecrets: client.secrets.map((record) => descriptor(record, false)) };
}

/** DeleteUserPoolClientSecret: the last secret cannot be deleted (the client would be unusable). */
export async function deleteUserPoolClientSecret(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  const client = ctx.m2m.requireClient(requireString(input, 'ClientId'));
  const id = requireString(input, 'ClientSecretId');
  const index = client.secrets.findIndex((record) => record.id === id);
  if (index < 0) throw resourceNotFound(`Client secret ${id} does not exist.`);
  if (client.secrets.length === 1) throw invalidParameter('An app client must keep at least one client secret.');
  client.secrets.splice(index, 1);
  return {};
}
