/** fetch adapter for cognito-srp-auth. */
export const NOT_YET_IMPLEMENTED = 'cognito-srp-auth/fetch: not yet implemented';
