/** undici adapter for cognito-srp-auth. */
export const NOT_YET_IMPLEMENTED = 'cognito-srp-auth/undici: not yet implemented';
