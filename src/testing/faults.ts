import { CognitoConfigError } from '../errors.js';
import { CognitoWireError, internalError, tooManyRequests } from './errors.js';
import type { EmulatorFault, EmulatorFaults } from './types.js';

/** What the server must do for one call, decided when the call arrives. */
export interface FaultAction {
  latencyMs: number;
  error: CognitoWireError | undefined;
  drop: boolean;
}

interface ArmedFault {
  operation: string;
  remaining: number;
  fault: EmulatorFault;
}

function errorOf(fault: EmulatorFault): CognitoWireError | undefined {
  const { error } = fault;
  if (error === undefined) return undefined;
  if (error === 'TooManyRequestsException') return tooManyRequests();
  if (error === 'InternalErrorException') return internalError();
  return new CognitoWireError(error.type, error.message ?? `Injected ${error.type}`, error.status);
}

function validate(operation: string, fault: EmulatorFault): void {
  if (typeof operation !== 'string' || operation.length === 0) {
    throw new CognitoConfigError('operation', "must be an operation name such as 'InitiateAuth', or '*'.");
  }
  if (fault.times !== undefined && (!Number.isInteger(fault.times) || fault.times < 1)) {
    throw new CognitoConfigError('fault.times', 'must be a positive integer.');
  }
  if (fault.latencyMs !== undefined && (!Number.isFinite(fault.latencyMs) || fault.latencyMs < 0)) {
    throw new CognitoConfigError('fault.latencyMs', 'must be a non-negative number of milliseconds.');
  }
  const { error } = fault;
  if (
    error !== undefined &&
    error !== 'TooManyRequestsException' &&
    error !== 'InternalErrorException' &&
    (typeof error !== 'object' || typeof error.type !== 'string' || !Number.isInteger(error.status))
  ) {
    throw new CognitoConfigError(
      'fault.error',
      "must be 'TooManyRequestsException', 'InternalErrorException' or { type, status }.",
    );
  }
}

/** Armed faults, consumed in the order they were injected; each applies to the next `times` matching calls. */
export class FaultRegistry implements EmulatorFaults {
  #armed: ArmedFault[] = [];

  inject(operation: string, fault: EmulatorFault): void {
    validate(operation, fault);
    this.#armed.push({ operation, remaining: fault.times ?? 1, fault: { ...fault } });
  }

  clear(): void {
    this.#armed = [];
  }

  /** Consumes the first fault armed for `operation` (or `*`), if any. */
  take(operation: string): FaultAction | undefined {
    const index = this.#armed.findIndex((a) => a.operation === operation || a.operation === '*');
    if (index < 0) return undefined;
    const armed = this.#armed[index]!;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.#armed.splice(index, 1);
    return { latencyMs: armed.fault.latencyMs ?? 0, error: errorOf(armed.fault), drop: armed.fault.drop === true };
  }
}
