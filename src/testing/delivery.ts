import type { EmulatorContext } from './context.js';
import type { UserRecord } from './state.js';

/** Where a code went, as Cognito reports it (`CodeDeliveryDetails`). */
export interface CodeDeliveryWire {
  Destination: string;
  DeliveryMedium: 'EMAIL' | 'SMS';
  AttributeName: 'email' | 'phone_number';
}

export type ContactAttribute = 'email' | 'phone_number';

export function maskPhone(phone: string): string {
  return `+${'*'.repeat(Math.max(phone.length - 5, 0))}${phone.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

/** Sign-up codes go to the email if there is one, else to the phone. */
export function signUpContact(user: UserRecord): ContactAttribute | undefined {
  if (user.email !== undefined) return 'email';
  return user.phoneNumber === undefined ? undefined : 'phone_number';
}

/** Password-reset codes need a verified email (preferred) or phone. */
export function recoveryContact(user: UserRecord): ContactAttribute | undefined {
  if (user.email !== undefined && user.emailVerified) return 'email';
  return user.phoneNumber !== undefined && user.phoneNumberVerified ? 'phone_number' : undefined;
}

/**
 * "Sends" `code` to the user's `contact` attribute: `emu.lastCode` can read it. With no contact the code is only
 * recorded (readable with `emu.lastCode(username)`) and no delivery details are returned.
 */
export function deliverCode(
  ctx: EmulatorContext,
  user: UserRecord,
  code: string,
  contact: ContactAttribute | undefined,
): CodeDeliveryWire | undefined {
  if (contact === undefined) {
    ctx.state.recordCode(user.username, undefined, code);
    return undefined;
  }
  const email = contact === 'email';
  ctx.state.recordCode(user.username, email ? 'EMAIL' : 'SMS', code);
  return {
    Destination: email ? maskEmail(user.email ?? '') : maskPhone(user.phoneNumber ?? ''),
    DeliveryMedium: email ? 'EMAIL' : 'SMS',
    AttributeName: contact,
  };
}
