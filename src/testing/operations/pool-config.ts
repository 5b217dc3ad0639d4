import { AUTH_FLOW_VALUES, DEFAULT_AUTH_FLOWS, naturalUnit, UNIT_SECONDS, type ValidityUnit } from '../client-config.js';
import type { EmulatorContext } from '../context.js';
import { invalidParameter } from '../errors.js';
import { DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS, DEFAULT_REFRESH_TOKEN_VALIDITY_SECONDS } from '../options.js';
import { checkClientId, checkPoolId, oneOfParameter, optionalInteger, optionalString, stringList } from '../params.js';
import { epochSeconds } from '../user-wire.js';

const UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;

/** Settings UpdateUserPoolClient stores and DescribeUserPoolClient echoes, without emulated behaviour. */
const STORED_FIELDS = [
  'ReadAttributes',
  'WriteAttributes',
  'SupportedIdentityProviders',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'AnalyticsConfiguration',
  'EnableTokenRevocation',
  'EnablePropagateAdditionalUserContextData',
  'AuthSessionValidity',
];

/** Cognito's token validity ranges, in seconds. */
const RANGES = {
  AccessToken: [300, 86_400],
  IdToken: [300, 86_400],
  RefreshToken: [3600, 3650 * 86_400],
} as const;

function poolArn(ctx: EmulatorContext): string {
  return `arn:aws:cognito-idp:${ctx.options.region}:000000000000:userpool/${ctx.userPoolId}`;
}

/** DescribeUserPool: the few settings the emulator has (password policy, MFA, username attributes, devices). */
export async function describeUserPool(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  const { options } = ctx;
  const policy = options.passwordPolicy;
  return {
    UserPool: {
      Id: ctx.userPoolId,
      Name: ctx.poolName,
      Arn: poolArn(ctx),
      Policies: {
        PasswordPolicy: {
          MinimumLength: policy.minimumLength,
          RequireUppercase: policy.requireUppercase,
          RequireLowercase: policy.requireLowercase,
          RequireNumbers: policy.requireNumbers,
          RequireSymbols: policy.requireSymbols,
          TemporaryPasswordValidityDays: 7,
        },
      },
      MfaConfiguration: options.mfa.toUpperCase(),
      ...(options.emailAsUsername ? { UsernameAttributes: ['email'] } : {}),
      AutoVerifiedAttributes: ['email'],
      ...(options.deviceTracking === 'off'
        ? {}
        : {
            DeviceConfiguration: {
              ChallengeRequiredOnNewDevice: false,
              DeviceOnlyRememberedOnUserPrompt: options.deviceTracking === 'opt-in',
            },
          }),
      EstimatedNumberOfUsers: ctx.state.users.size,
      CreationDate: epochSeconds(ctx.state.client.createdAt),
      LastModifiedDate: epochSeconds(ctx.state.client.createdAt),
    },
  };
}

function userPoolClientWire(ctx: EmulatorContext): Record<string, unknown> {
  const { client } = ctx.state;
  const grace = ctx.options.rotationGraceSeconds;
  return {
    UserPoolId: ctx.userPoolId,
    ClientName: client.name,
    ClientId: ctx.clientId,
    ...(ctx.clientSecret === undefined ? {} : { ClientSecret: ctx.clientSecret }),
    CreationDate: epochSeconds(client.createdAt),
    LastModifiedDate: epochSeconds(client.modifiedAt),
    ...client.validities(),
    TokenValidityUnits: { ...client.units },
    ExplicitAuthFlows: [...client.explicitAuthFlows],
    PreventUserExistenceErrors: client.preventUserExistenceErrors,
    EnableTokenRevocation: true,
    AuthSessionValidity: ctx.options.sessionValiditySeconds / 60,
    ...client.stored,
    RefreshTokenRotation:
      grace === undefined ? { Feature: 'DISABLED' } : { Feature: 'ENABLED', RetryGracePeriodSeconds: grace },
  };
}

export async function describeUserPoolClient(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  checkClientId(input, ctx);
  return { UserPoolClient: userPoolClientWire(ctx) };
}

type TokenKind = keyof typeof RANGES;

/**
 * A validity of the update in seconds: the given number in its unit, or the default when omitted. Outside
 * Cognito's range is refused, except the current value (the emulator allows short lifetimes such as 2 s, and a
 * describe-then-update round trip must keep working).
 */
function validitySeconds(
  input: Record<string, unknown>,
  kind: TokenKind,
  fallbackSeconds: number,
  defaultUnit: ValidityUnit,
  currentSeconds: number,
): { seconds: number; unit: ValidityUnit } {
  const units = (input.TokenValidityUnits ?? {}) as Record<string, unknown>;
  const rawUnit = units[kind];
  const unit = typeof rawUnit === 'string' ? oneOfParameter(rawUnit, `tokenValidityUnits.${kind}`, UNITS) : defaultUnit;
  const value = optionalInteger(input, `${kind}Validity`, 0, Number.MAX_SAFE_INTEGER);
  if (value === undefined || value === 0) return { seconds: fallbackSeconds, unit: naturalUnit(fallbackSeconds) };
  const seconds = value * UNIT_SECONDS[unit];
  const [min, max] = RANGES[kind];
  if ((seconds < min || seconds > max) && seconds !== currentSeconds) {
    throw invalidParameter('Invalid range for token validity.');
  }
  return { seconds, unit };
}

function rotationGrace(input: Record<string, unknown>): number | undefined {
  const rotation = input.RefreshTokenRotation as Record<string, unknown> | undefined | null;
  if (rotation === undefined || rotation === null) return undefined;
  const feature = oneOfParameter(String(rotation.Feature), 'refreshTokenRotation.feature', ['ENABLED', 'DISABLED']);
  if (feature === 'DISABLED') return undefined;
  return optionalInteger(rotation, 'RetryGracePeriodSeconds', 0, 60) ?? 0;
}

/**
 * UpdateUserPoolClient. As in Cognito, omitted settings return to their defaults (1 h access/ID tokens, 30-day
 * refresh tokens, ExplicitAuthFlows SRP + custom + refresh, rotation off). Token lifetimes, ExplicitAuthFlows
 * (InitiateAuth / AdminInitiateAuth refuse a flow left out) and rotation take effect at once.
 */
export async function updateUserPoolClient(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  checkClientId(input, ctx);
  const flows = stringList(input, 'ExplicitAuthFlows', false);
  for (const flow of flows) oneOfParameter(flow, 'explicitAuthFlows', AUTH_FLOW_VALUES);
  const { client } = ctx.state;
  const { options } = ctx;
  const access = validitySeconds(
    input,
    'AccessToken',
    DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS,
    'hours',
    options.accessTokenValiditySeconds,
  );
  const id = validitySeconds(
    input,
    'IdToken',
    DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS,
    'hours',
    options.idTokenValiditySeconds,
  );
  const refresh = validitySeconds(
    input,
    'RefreshToken',
    DEFAULT_REFRESH_TOKEN_VALIDITY_SECONDS,
    'days',
    options.refreshTokenValiditySeconds,
  );
  const grace = rotationGrace(input);
  client.name = optionalString(input, 'ClientName') ?? client.name;
  client.explicitAuthFlows = flows.length === 0 ? [...DEFAULT_AUTH_FLOWS] : [...new Set(flows)];
  // Omitted means the API default, LEGACY, as for every other setting of an update.
  client.preventUserExistenceErrors =
    input.PreventUserExistenceErrors === undefined || input.PreventUserExistenceErrors === null
      ? 'LEGACY'
      : oneOfParameter(String(input.PreventUserExistenceErrors), 'preventUserExistenceErrors', ['ENABLED', 'LEGACY']);
  options.accessTokenValiditySeconds = access.seconds;
  options.idTokenValiditySeconds = id.seconds;
  options.refreshTokenValiditySeconds = refresh.seconds;
  client.units = { AccessToken: access.unit, IdToken: id.unit, RefreshToken: refresh.unit };
  options.rotationGraceSeconds = grace;
  client.stored = Object.fromEntries(
    STORED_FIELDS.filter((field) => input[field] !== undefined && input[field] !== null).map((f) => [f, input[f]]),
  );
  client.modifiedAt = options.clock();
  return { UserPoolClient: userPoolClientWire(ctx) };
}

/** ListUserPoolClients: the emulator's one app client. */
export async function listUserPoolClients(input: Record<string, unknown>, ctx: EmulatorContext): Promise<unknown> {
  checkPoolId(input, ctx);
  optionalInteger(input, 'MaxResults', 1, 60);
  return {
    UserPoolClients: [{ ClientId: ctx.clientId, UserPoolId: ctx.userPoolId, ClientName: ctx.state.client.name }],
  };
}
