import type { RetryPolicy } from '../auth/retry.js';

/**
 * The bound of one sign-in or refresh as a whole: every call it may make, each with its retries and back-off,
 * plus the JWKS fetch. An SRP sign-in with a device, MFA and device confirmation is the longest chain (8 calls);
 * a machine-to-machine token request is one (two when a rotated secret is read again).
 */
export function flightTimeoutMs(timeoutMs: number, retry: RetryPolicy, callsPerFlight = 8): number {
  return callsPerFlight * retry.maxAttempts * (timeoutMs + retry.maxDelayMs) + timeoutMs;
}
