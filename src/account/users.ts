import { inspect } from 'node:util';
import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoConfigError } from '../errors.js';

/**
 * Renames Cognito attributes for your code, as pycognito's `attr_map`: keys are Cognito names, values your names.
 * @example { given_name: 'firstName', 'custom:tenant': 'tenant' }
 */
export type AttrMap = Readonly<Record<string, string>>;

/** Attribute values you may pass; booleans and numbers are sent as Cognito's strings (`'true'`, `'42'`). */
export type AttributeValue = string | boolean | number;

function checkAttrMap(attrMap: AttrMap | undefined): AttrMap {
  if (attrMap === undefined) return {};
  if (typeof attrMap !== 'object' || attrMap === null || Array.isArray(attrMap)) {
    throw new CognitoConfigError('attrMap', 'expected an object mapping Cognito attribute names to your names.');
  }
  for (const [cognitoName, yourName] of Object.entries(attrMap)) {
    if (typeof yourName !== 'string' || yourName.length === 0) {
      throw new CognitoConfigError(`attrMap.${cognitoName}`, 'expected a non-empty string.');
    }
  }
  return attrMap;
}

/** Your attribute names and values → Cognito's `[{ Name, Value }]`, renaming through `attrMap` in reverse. */
export function toCognitoAttributes(
  attributes: Readonly<Record<string, AttributeValue>>,
  attrMap?: AttrMap,
): AttributeType[] {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    throw new CognitoConfigError('attributes', 'expected an object of attribute names and values.');
  }
  const cognitoNameOf = new Map(Object.entries(checkAttrMap(attrMap)).map(([cognito, yours]) => [yours, cognito]));
  return Object.entries(attributes).map(([name, value]) => {
    if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') {
      throw new CognitoConfigError(`attributes.${name}`, 'expected a string, boolean or number.');
    }
    return { Name: cognitoNameOf.get(name) ?? name, Value: String(value) };
  });
}

/** Cognito's `[{ Name, Value }]` → an object keyed by your names (renamed through `attrMap`). */
export function fromCognitoAttributes(list: readonly AttributeType[] | undefined, attrMap?: AttrMap): Record<string, string> {
  const map = checkAttrMap(attrMap);
  const out: Record<string, string> = {};
  for (const { Name, Value } of list ?? []) {
    if (Name === undefined) continue;
    out[map[Name] ?? Name] = Value ?? '';
  }
  return out;
}

/** What Cognito knows about a user besides the attributes (from AdminGetUser, ListUsers, GetUser). */
export interface UserMetadata {
  /** `CONFIRMED`, `UNCONFIRMED`, `FORCE_CHANGE_PASSWORD`, `RESET_REQUIRED`... */
  status?: string;
  enabled?: boolean;
  createdAt?: Date;
  modifiedAt?: Date;
  preferredMfa?: string;
  mfaSettings?: string[];
}

/** What a user object needs to save or delete itself (the `Cognito` instance that made it). */
export interface UserActions {
  updateProfile(attributes: Record<string, AttributeValue>, options: { attrMap?: AttrMap }): Promise<void>;
  adminUpdateProfile(
    attributes: Record<string, AttributeValue>,
    options: { attrMap?: AttrMap; username?: string },
  ): Promise<void>;
  deleteUser(): Promise<void>;
  adminDeleteUser(username?: string): Promise<void>;
}

function flag(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true';
}

/**
 * A user as `getUser`, `adminGetUser` and `getUsers` return it (pycognito's `UserObj`). `attributes` are keyed
 * by your names (see `AttrMap`); `sub`, `email_verified` and `phone_number_verified` have their own fields.
 * Change `attributes` and call `save()` to write them back.
 */
export class CognitoUser {
  readonly username: string;
  readonly sub: string | undefined;
  readonly emailVerified: boolean | undefined;
  readonly phoneNumberVerified: boolean | undefined;
  /** Every other attribute, keyed by your names. */
  readonly attributes: Record<string, string>;
  readonly metadata: UserMetadata;
  readonly attrMap: AttrMap;
  readonly #actions: UserActions | undefined;

  constructor(init: {
    username: string;
    attributes: readonly AttributeType[] | undefined;
    metadata?: UserMetadata;
    attrMap?: AttrMap;
    actions?: UserActions;
  }) {
    this.username = init.username;
    this.attrMap = { ...(init.attrMap ?? {}) };
    const attributes = fromCognitoAttributes(init.attributes, this.attrMap);
    const take = (cognitoName: string): string | undefined => {
      const key = this.attrMap[cognitoName] ?? cognitoName;
      const value = attributes[key];
      delete attributes[key];
      return value;
    };
    this.sub = take('sub');
    this.emailVerified = flag(take('email_verified'));
    this.phoneNumberVerified = flag(take('phone_number_verified'));
    this.attributes = attributes;
    this.metadata = init.metadata ?? {};
    this.#actions = init.actions;
  }

  /** One attribute by your name (or Cognito's, when it is not renamed). */
  attribute(name: string): string | undefined {
    return this.attributes[name];
  }

  /** Writes `attributes` back: UpdateUserAttributes, or AdminUpdateUserAttributes with `{ admin: true }`. */
  async save(options: { admin?: boolean } = {}): Promise<void> {
    const actions = this.#requireActions('save');
    if (options.admin === true) {
      await actions.adminUpdateProfile(this.attributes, { attrMap: this.attrMap, username: this.username });
    } else {
      await actions.updateProfile(this.attributes, { attrMap: this.attrMap });
    }
  }

  /** Deletes the user: DeleteUser (the signed-in user), or AdminDeleteUser with `{ admin: true }`. */
  async delete(options: { admin?: boolean } = {}): Promise<void> {
    const actions = this.#requireActions('delete');
    if (options.admin === true) await actions.adminDeleteUser(this.username);
    else await actions.deleteUser();
  }

  #requireActions(what: string): UserActions {
    if (this.#actions === undefined) {
      throw new CognitoConfigError('user', `this user object was built without a Cognito instance, so it cannot ${what}.`);
    }
    return this.#actions;
  }

  [inspect.custom](): string {
    const { username, sub, emailVerified, phoneNumberVerified, attributes, metadata } = this;
    return `CognitoUser ${inspect({ username, sub, emailVerified, phoneNumberVerified, attributes, metadata })}`;
  }
}
