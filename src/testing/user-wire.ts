import type { UserRecord } from './state.js';
import type { EmulatorUserStatus } from './types.js';

export interface AttributeWire {
  Name: string;
  Value: string;
}

/** Cognito's `UserType` (ListUsers, AdminCreateUser, ListUsersInGroup). */
export interface UserTypeWire {
  Username: string;
  Attributes: AttributeWire[];
  UserCreateDate: number;
  UserLastModifiedDate: number;
  Enabled: boolean;
  UserStatus: EmulatorUserStatus;
}

/** AWS JSON timestamps are epoch seconds. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function userStatus(user: UserRecord): EmulatorUserStatus {
  if (!user.confirmed) return 'UNCONFIRMED';
  if (user.resetRequired) return 'RESET_REQUIRED';
  if (user.forceChangePassword) return 'FORCE_CHANGE_PASSWORD';
  return 'CONFIRMED';
}

/** Every attribute of the user, by its Cognito name. */
export function attributeMap(user: UserRecord): Record<string, string> {
  const attributes: Record<string, string> = { sub: user.sub };
  if (user.email !== undefined) {
    attributes.email = user.email;
    attributes.email_verified = String(user.emailVerified);
  }
  if (user.phoneNumber !== undefined) {
    attributes.phone_number = user.phoneNumber;
    attributes.phone_number_verified = String(user.phoneNumberVerified);
  }
  return { ...attributes, ...user.attributes };
}

export function attributesOf(user: UserRecord, only?: readonly string[]): AttributeWire[] {
  return Object.entries(attributeMap(user))
    .filter(([Name]) => only === undefined || only.includes(Name))
    .map(([Name, Value]) => ({ Name, Value }));
}

export function userTypeWire(user: UserRecord, only?: readonly string[]): UserTypeWire {
  return {
    Username: user.username,
    Attributes: attributesOf(user, only),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.modifiedAt),
    Enabled: user.enabled,
    UserStatus: userStatus(user),
  };
}
