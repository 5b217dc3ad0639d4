import type { EmulatorContext } from './context.js';
import { CognitoWireError } from './errors.js';

/** The characters Cognito counts as symbols. */
const SYMBOLS = new Set('^$*.[]{}()?-"!@#%&/\\,><\':;|_~`+= ');

/** Wording of SignUp, ConfirmForgotPassword, ChangePassword. */
export const SELF_SERVICE_PREFIX = 'Password did not conform with policy';
/** Wording of AdminSetUserPassword, AdminCreateUser and NEW_PASSWORD_REQUIRED. */
export const ADMIN_PREFIX = 'Password does not conform to policy';

/** The first rule of the pool's password policy that `password` breaks, in Cognito's words, or undefined. */
export function passwordViolation(ctx: EmulatorContext, password: string): string | undefined {
  const policy = ctx.options.passwordPolicy;
  const chars = [...password];
  if (chars.length < policy.minimumLength) return 'Password not long enough';
  if (policy.requireLowercase && !chars.some((c) => c >= 'a' && c <= 'z')) {
    return 'Password must have lowercase characters';
  }
  if (policy.requireUppercase && !chars.some((c) => c >= 'A' && c <= 'Z')) {
    return 'Password must have uppercase characters';
  }
  if (policy.requireNumbers && !chars.some((c) => c >= '0' && c <= '9')) return 'Password must have numeric characters';
  if (policy.requireSymbols && !chars.some((c) => SYMBOLS.has(c))) return 'Password must have symbol characters';
  return undefined;
}

/** @throws InvalidPasswordException naming the broken rule (never the password). */
export function checkPasswordPolicy(ctx: EmulatorContext, password: string, prefix = SELF_SERVICE_PREFIX): void {
  const violation = passwordViolation(ctx, password);
  if (violation !== undefined) throw new CognitoWireError('InvalidPasswordException', `${prefix}: ${violation}`);
}
