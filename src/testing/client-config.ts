import type { ResolvedEmulatorOptions } from './options.js';
import type { UserExistenceErrors } from './types.js';

export type ValidityUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export const UNIT_SECONDS: Record<ValidityUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

/** Every ExplicitAuthFlows value Cognito accepts (the legacy names included). */
export const AUTH_FLOW_VALUES = [
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_AUTH',
] as const;

/** What the emulator's app client allows until UpdateUserPoolClient says otherwise. */
export const EMULATOR_AUTH_FLOWS: readonly string[] = [
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
];

/** Cognito's ExplicitAuthFlows when an update omits them. */
export const DEFAULT_AUTH_FLOWS: readonly string[] = [
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
];

/** The flag (or legacy flag) that enables each AuthFlow; refresh is always allowed. */
const FLOW_FLAGS: Record<string, readonly string[]> = {
  USER_SRP_AUTH: ['ALLOW_USER_SRP_AUTH'],
  USER_PASSWORD_AUTH: ['ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'],
  ADMIN_USER_PASSWORD_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  ADMIN_NO_SRP_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  USER_AUTH: ['ALLOW_USER_AUTH'],
  CUSTOM_AUTH: ['ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH_FLOW_ONLY'],
};

/** The largest unit that expresses `seconds` exactly. */
export function naturalUnit(seconds: number): ValidityUnit {
  for (const unit of ['days', 'hours', 'minutes'] as const) if (seconds % UNIT_SECONDS[unit] === 0) return unit;
  return 'seconds';
}

/**
 * The app client's settings as DescribeUserPoolClient shows them. Token lifetimes and rotation live in the
 * resolved options (token issuing reads them there), so an update changes behaviour at once.
 */
export class ClientConfig {
  name = 'emulator-client';
  explicitAuthFlows: string[];
  preventUserExistenceErrors: UserExistenceErrors;
  units: { AccessToken: ValidityUnit; IdToken: ValidityUnit; RefreshToken: ValidityUnit };
  /** Settings the emulator stores and echoes but does not act on (CallbackURLs, ReadAttributes...). */
  stored: Record<string, unknown> = {};
  readonly createdAt: number;
  modifiedAt: number;

  constructor(private readonly options: ResolvedEmulatorOptions) {
    this.createdAt = options.clock();
    this.modifiedAt = this.createdAt;
    this.explicitAuthFlows = [...options.explicitAuthFlows];
    this.preventUserExistenceErrors = options.preventUserExistenceErrors;
    this.units = {
      AccessToken: naturalUnit(options.accessTokenValiditySeconds),
      IdToken: naturalUnit(options.idTokenValiditySeconds),
      RefreshToken: naturalUnit(options.refreshTokenValiditySeconds),
    };
  }

  allowsFlow(authFlow: string): boolean {
    const flags = FLOW_FLAGS[authFlow];
    return flags === undefined || flags.some((flag) => this.explicitAuthFlows.includes(flag));
  }

  /** Validities in their units, as the API reports them. */
  validities(): { AccessTokenValidity: number; IdTokenValidity: number; RefreshTokenValidity: number } {
    const { options, units } = this;
    return {
      AccessTokenValidity: options.accessTokenValiditySeconds / UNIT_SECONDS[units.AccessToken],
      IdTokenValidity: options.idTokenValiditySeconds / UNIT_SECONDS[units.IdToken],
      RefreshTokenValidity: options.refreshTokenValiditySeconds / UNIT_SECONDS[units.RefreshToken],
    };
  }
}
