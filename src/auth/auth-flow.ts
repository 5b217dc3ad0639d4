import { AuthFlowNotEnabledError, CognitoAuthError, CognitoConfigError } from '../errors.js';

/** The sign-in flows this library speaks. Both prove the password with SRP. */
export type AuthFlow = 'USER_SRP_AUTH' | 'USER_AUTH';
export const AUTH_FLOWS: readonly AuthFlow[] = ['USER_SRP_AUTH', 'USER_AUTH'];
export const DEFAULT_AUTH_FLOW: AuthFlow = 'USER_SRP_AUTH';

/** The ExplicitAuthFlows value that lets each flow through. */
const FLAG: Record<AuthFlow, string> = { USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH', USER_AUTH: 'ALLOW_USER_AUTH' };

/** Set when a sign-in used another flow than configured; the provider reports it in its `signIn` event. */
export interface AuthFlowFallback {
  from: AuthFlow;
  to: AuthFlow;
  /** Cognito's refusal of `from`, e.g. `USER_SRP_AUTH flow not enabled for this client`. */
  reason: string;
}

/**
 * The flow sign-ins start with. When `authFlow` was left to its default (USER_SRP_AUTH) and Cognito answers
 * `USER_SRP_AUTH flow not enabled for this client`, the sign-in tries USER_AUTH once; if that works, later
 * sign-ins start with USER_AUTH. A flow the user chose is never changed: its refusal is an AuthFlowNotEnabledError.
 */
export class AuthFlowSelector {
  #current: AuthFlow;
  readonly explicit: boolean;

  constructor(configured: AuthFlow | undefined) {
    this.#current = configured ?? DEFAULT_AUTH_FLOW;
    this.explicit = configured !== undefined;
  }

  static from(value: unknown): AuthFlowSelector {
    if (value !== undefined && !(AUTH_FLOWS as readonly unknown[]).includes(value)) {
      throw new CognitoConfigError('authFlow', `expected ${AUTH_FLOWS.map((f) => `'${f}'`).join(' or ')}.`);
    }
    return new AuthFlowSelector(value as AuthFlow | undefined);
  }

  get current(): AuthFlow {
    return this.#current;
  }

  /** The flow to try after `refused` was refused, or undefined when there is none to try. */
  fallbackFor(refused: AuthFlow): AuthFlow | undefined {
    return !this.explicit && refused === 'USER_SRP_AUTH' ? 'USER_AUTH' : undefined;
  }

  /** A fallback worked: start there next time. */
  adopt(flow: AuthFlow): void {
    this.#current = flow;
  }
}

const NOT_ENABLED = /\b(USER_SRP_AUTH|USER_AUTH) flow not enabled for this client\b/;

/** The flow named by Cognito's `InvalidParameterException: <FLOW> flow not enabled for this client`, if it is one. */
export function refusedFlow(error: unknown): AuthFlow | undefined {
  if (!(error instanceof CognitoAuthError) || error.awsType !== 'InvalidParameterException') return undefined;
  const match = NOT_ENABLED.exec(error.message);
  return (match?.[1] as AuthFlow | undefined) ?? undefined;
}

/** The typed error for a refused flow: it names the `authFlow` option and the ExplicitAuthFlows to enable. */
export function flowNotEnabled(refused: AuthFlow, cause: unknown, alsoRefused?: AuthFlow): AuthFlowNotEnabledError {
  const flows = alsoRefused === undefined ? [FLAG[refused]] : [FLAG[refused], FLAG[alsoRefused]];
  const other = refused === 'USER_SRP_AUTH' ? 'USER_AUTH' : 'USER_SRP_AUTH';
  const hint =
    alsoRefused === undefined
      ? `Enable ${FLAG[refused]} in the app client's ExplicitAuthFlows, or set the \`authFlow\` option to '${other}' if the client allows ${FLAG[other]}.`
      : `It refused ${alsoRefused} too: enable ${flows.join(' or ')} in the app client's ExplicitAuthFlows.`;
  return new AuthFlowNotEnabledError(
    refused,
    flows,
    `The app client does not allow the ${refused} sign-in flow (\`authFlow\` option). ${hint}`,
    { cause, awsType: 'InvalidParameterException' },
  );
}
