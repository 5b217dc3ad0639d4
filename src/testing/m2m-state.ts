import { randomBytes, randomUUID } from 'node:crypto';

import { CognitoConfigError } from '../errors.js';
import { Secret } from '../secret.js';
import { CognitoWireError, invalidParameter, notAuthorized, resourceNotFound } from './errors.js';
import { constantTimeEquals } from './params.js';
import type { EmulatorM2mClient } from './types.js';

/** Cognito allows two secrets per app client at once (rotation without downtime). */
export const MAX_CLIENT_SECRETS = 2;
export const CLIENT_TOKEN_AUTH_FLOW = 'ALLOW_CLIENT_TOKEN_AUTH';
export const CLIENT_CREDENTIALS_FLOW = 'client_credentials';

export interface ResourceServerScope {
  ScopeName: string;
  ScopeDescription: string;
}

export interface ResourceServerRecord {
  identifier: string;
  name: string;
  scopes: ResourceServerScope[];
}

export interface ClientSecretRecord {
  readonly id: string;
  readonly value: Secret;
  /** ms epoch. */
  readonly createdAt: number;
}

/** An app client with a secret, meant for client-credentials (machine-to-machine) tokens. */
export interface M2mClientRecord {
  readonly clientId: string;
  name: string;
  secrets: ClientSecretRecord[];
  /** `resource-server-identifier/scope-name` strings the client may be granted. */
  allowedScopes: string[];
  explicitAuthFlows: string[];
  allowedOAuthFlows: string[];
  accessTokenValiditySeconds: number;
}

/** Why a secret check failed: no such client, or none of its secrets matched. */
export type ClientAuthFailure = 'unknown-client' | 'wrong-secret';

function newClientId(): string {
  // Cognito's client ids: 26 lowercase letters and digits.
  return randomBytes(20).toString('base64url').replace(/[^a-z0-9]/gi, '').toLowerCase().padEnd(26, 'a').slice(0, 26);
}

function newSecretValue(): string {
  // Cognito's secrets: 51 characters of [a-z0-9].
  return randomBytes(48).toString('hex').slice(0, 51);
}

/** The scope's resource server and scope name: `https://api.example.com/read` → (`https://api.example.com`, `read`). */
export function splitScope(scope: string): { server: string; name: string } | undefined {
  const slash = scope.lastIndexOf('/');
  if (slash <= 0 || slash === scope.length - 1) return undefined;
  return { server: scope.slice(0, slash), name: scope.slice(slash + 1) };
}

/** Resource servers and machine-to-machine app clients of the emulated pool. */
export class M2mRegistry {
  readonly resourceServers = new Map<string, ResourceServerRecord>();
  readonly clients = new Map<string, M2mClientRecord>();

  constructor(
    private readonly clock: () => number,
    private readonly defaultValiditySeconds: () => number,
  ) {}

  /** Whether the pool defines this custom scope (its resource server exists and lists the scope name). */
  scopeExists(scope: string): boolean {
    const parts = splitScope(scope);
    if (parts === undefined) return false;
    return this.resourceServers.get(parts.server)?.scopes.some((s) => s.ScopeName === parts.name) === true;
  }

  addClient(input: EmulatorM2mClient): M2mClientRecord {
    if (input === null || typeof input !== 'object') throw new CognitoConfigError('client', 'must be an object.');
    const scopes = input.scopes ?? [];
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && splitScope(s) !== undefined)) {
      throw new CognitoConfigError('client.scopes', 'must be a list of `resource-server/scope` strings.');
    }
    const clientId = input.clientId ?? newClientId();
    if (this.clients.has(clientId)) throw new CognitoConfigError('client.clientId', 'an app client with this id exists.');
    if (input.secret !== undefined && (typeof input.secret !== 'string' || input.secret.length === 0)) {
      throw new CognitoConfigError('client.secret', 'must be a non-empty string.');
    }
    // Scopes named here become resource servers and scopes of the pool unless the test says otherwise.
    if (input.createResourceServers !== false) {
      for (const scope of scopes) {
        const { server, name } = splitScope(scope)!;
        const record = this.resourceServers.get(server) ?? { identifier: server, name: server, scopes: [] };
        if (!record.scopes.some((s) => s.ScopeName === name)) record.scopes.push({ ScopeName: name, ScopeDescription: name });
        this.resourceServers.set(server, record);
      }
    }
    const explicitAuthFlows = input.explicitAuthFlows ?? [CLIENT_TOKEN_AUTH_FLOW];
    if (explicitAuthFlows.includes(CLIENT_TOKEN_AUTH_FLOW) && explicitAuthFlows.length > 1) {
      // As Cognito: ALLOW_CLIENT_TOKEN_AUTH must be the only authentication flow of the client.
      throw new CognitoConfigError('client.explicitAuthFlows', `${CLIENT_TOKEN_AUTH_FLOW} must be the only flow.`);
    }
    const record: M2mClientRecord = {
      clientId,
      name: input.name ?? `m2m-${clientId.slice(0, 6)}`,
      secrets: [this.newSecret(input.secret)],
      allowedScopes: [...new Set(scopes)],
      explicitAuthFlows: [...explicitAuthFlows],
      allowedOAuthFlows: [...(input.allowedOAuthFlows ?? [CLIENT_CREDENTIALS_FLOW])],
      accessTokenValiditySeconds: input.accessTokenValiditySeconds ?? this.defaultValiditySeconds(),
    };
    this.clients.set(clientId, record);
    return record;
  }

  newSecret(value?: string): ClientSecretRecord {
    return {
      id: randomUUID(),
      value: new Secret(value ?? newSecretValue()),
      createdAt: this.clock(),
    };
  }

  /** The client when one of its secrets matches; otherwise why not. */
  authenticate(clientId: string, secret: string): M2mClientRecord | ClientAuthFailure {
    const client = this.clients.get(clientId);
    if (client === undefined) return 'unknown-client';
    // Compare with every secret (no early exit), so timing does not tell which one matched.
    let matched = false;
    for (const record of client.secrets) matched = constantTimeEquals(secret, record.value.reveal()) || matched;
    return matched ? client : 'wrong-secret';
  }

  /**
   * The scopes to grant: the requested ones (each allowed to the client and defined in the pool), or every
   * allowed scope when none is requested.
   * @returns the granted scopes, or the first scope that cannot be granted (`invalid` when none can).
   */
  grantScopes(client: M2mClientRecord, requested: readonly string[] | undefined): string[] | { refused: string } {
    const allowed = client.allowedScopes.filter((scope) => this.scopeExists(scope));
    if (requested === undefined || requested.length === 0) {
      return allowed.length === 0 ? { refused: '' } : allowed;
    }
    for (const scope of requested) if (!allowed.includes(scope)) return { refused: scope };
    return [...new Set(requested)];
  }

  /** The client an admin operation names. @throws ResourceNotFoundException */
  requireClient(clientId: string): M2mClientRecord {
    const client = this.clients.get(clientId);
    if (client === undefined) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
    return client;
  }

  requireResourceServer(identifier: string): ResourceServerRecord {
    const server = this.resourceServers.get(identifier);
    if (server === undefined) throw resourceNotFound(`Resource server ${identifier} does not exist.`);
    return server;
  }
}

/** GetClientToken's answer to a failed client authentication. */
export function clientAuthError(failure: ClientAuthFailure, clientId: string): CognitoWireError {
  return failure === 'unknown-client'
    ? resourceNotFound(`User pool client ${clientId} does not exist.`)
    : notAuthorized(`Invalid client secret for client ${clientId}.`);
}

export function flowNotEnabled(): CognitoWireError {
  return invalidParameter(`${CLIENT_TOKEN_AUTH_FLOW} flow not enabled for this client`);
}
