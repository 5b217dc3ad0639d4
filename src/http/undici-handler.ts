import type { Dispatcher } from 'undici';
import type { BearerAuth } from './bearer-auth.js';
import { withHeader, type AnyHeaders } from './header-list.js';

type Controller = Dispatcher.DispatchController;
type Handler = Dispatcher.DispatchHandler;
type Dispatch = (options: Dispatcher.DispatchOptions, handler: Handler) => boolean;

/**
 * The controller the caller's handler sees for the whole exchange. Each attempt has its own controller
 * from the dispatcher; this one forwards to the current attempt, and remembers an abort that arrives while
 * no attempt is running (waiting for a token).
 */
class StableController implements Controller {
  #target: Controller | undefined;
  #paused = false;
  #abortReason: Error | null = null;
  onAbortBetweenAttempts: ((reason: Error) => void) | undefined;

  set target(target: Controller | undefined) {
    this.#target = target;
    if (target !== undefined && this.#paused) target.pause();
  }

  get aborted(): boolean {
    return this.#abortReason !== null || (this.#target?.aborted ?? false);
  }
  get paused(): boolean {
    return this.#paused || (this.#target?.paused ?? false);
  }
  get reason(): Error | null {
    return this.#abortReason ?? this.#target?.reason ?? null;
  }
  get rawHeaders(): Controller['rawHeaders'] {
    return this.#target?.rawHeaders ?? null;
  }
  get rawTrailers(): Controller['rawTrailers'] {
    return this.#target?.rawTrailers ?? null;
  }

  abort(reason: Error): void {
    if (this.#abortReason !== null) return;
    this.#abortReason = reason;
    if (this.#target !== undefined) this.#target.abort(reason);
    else this.onAbortBetweenAttempts?.(reason);
  }
  pause(): void {
    this.#paused = true;
    this.#target?.pause();
  }
  resume(): void {
    this.#paused = false;
    this.#target?.resume();
  }
}

/**
 * Per-request state of the undici interceptor, shaped like undici's own retry handler: it sends the request
 * with the token, and when the first answer is a 401 (and the body can be sent again) it swallows that
 * response, waits for the provider's next token and dispatches once more. The caller's handler sees one
 * request and one response. Written against the v2 handler API only, which undici 7 and 8 both use.
 */
export class UndiciAuthHandler implements Handler {
  readonly #auth: BearerAuth;
  readonly #dispatch: Dispatch;
  readonly #options: Dispatcher.DispatchOptions;
  readonly #downstream: Handler;
  readonly #controller = new StableController();
  #canRetry: boolean;
  #sentValue = '';
  #downstreamStarted = false;
  #swallowing = false;
  #finished = false;

  constructor(auth: BearerAuth, dispatch: Dispatch, options: Dispatcher.DispatchOptions, downstream: Handler, canRetry: boolean) {
    this.#auth = auth;
    this.#dispatch = dispatch;
    this.#options = options;
    this.#downstream = downstream;
    this.#canRetry = canRetry;
    this.#controller.onAbortBetweenAttempts = (reason) => this.#fail(reason);
  }

  /** Sends the first attempt with a token we already hold. */
  send(value: string): boolean {
    this.#sentValue = value;
    return this.#dispatch(this.#withValue(value), this);
  }

  /** Waits for a token, then sends. Lets the caller abort the wait (through the controller) meanwhile. */
  sendWhenReady(value: Promise<string>): void {
    this.#startDownstream({});
    value.then(
      (ready) => {
        if (this.#controller.aborted) return;
        this.#sentValue = ready;
        this.#dispatch(this.#withValue(ready), this);
      },
      (error: unknown) => this.#fail(toError(error)),
    );
  }

  onRequestStart(controller: Controller, context: unknown): void {
    this.#controller.target = controller;
    // Composed outside undici's redirect interceptor, we see each hop start (with the `history` of URLs
    // before it) but not its origin, nor whether our header survived the hop: a 401 after a redirect may be
    // an SSO page that never saw the token, and must not cost a refresh.
    if (isRedirectHop(context)) this.#canRetry = false;
    this.#startDownstream(context);
  }

  onRequestUpgrade(_controller: Controller, statusCode: number, headers: Parameters<NonNullable<Handler['onRequestUpgrade']>>[2], socket: Parameters<NonNullable<Handler['onRequestUpgrade']>>[3]): void {
    this.#downstream.onRequestUpgrade?.(this.#controller, statusCode, headers, socket);
  }

  onResponseStart(_controller: Controller, statusCode: number, headers: Parameters<NonNullable<Handler['onResponseStart']>>[2], statusMessage?: string): void {
    if (statusCode === 401 && this.#canRetry) {
      this.#canRetry = false;
      this.#swallowing = true;
      return;
    }
    this.#downstream.onResponseStart?.(this.#controller, statusCode, headers, statusMessage);
  }

  onResponseData(_controller: Controller, chunk: Buffer): void {
    if (!this.#swallowing) this.#downstream.onResponseData?.(this.#controller, chunk);
  }

  onResponseEnd(_controller: Controller, trailers: Parameters<NonNullable<Handler['onResponseEnd']>>[1]): void {
    if (this.#swallowing) {
      this.#swallowing = false;
      this.#retry();
      return;
    }
    this.#finished = true;
    this.#downstream.onResponseEnd?.(this.#controller, trailers);
  }

  onResponseError(_controller: Controller, error: Error): void {
    this.#fail(error);
  }

  onBodySent(chunk: unknown): void {
    (this.#downstream as { onBodySent?: (chunk: unknown) => void }).onBodySent?.(chunk);
  }

  onRequestSent(): void {
    (this.#downstream as { onRequestSent?: () => void }).onRequestSent?.();
  }

  #retry(): void {
    this.#controller.target = undefined;
    if (this.#controller.aborted) {
      this.#fail(this.#controller.reason ?? new Error('aborted'));
      return;
    }
    this.#auth.valueAfterUnauthorized(this.#sentValue).then(
      (fresh) => {
        if (this.#controller.aborted || this.#finished) return;
        this.#sentValue = fresh;
        this.#dispatch(this.#withValue(fresh), this);
      },
      (error: unknown) => this.#fail(toError(error)),
    );
  }

  #startDownstream(context: unknown): void {
    if (this.#downstreamStarted) return;
    this.#downstreamStarted = true;
    this.#downstream.onRequestStart?.(this.#controller, context);
  }

  #fail(error: Error): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#downstream.onResponseError?.(this.#controller, error);
  }

  #withValue(value: string): Dispatcher.DispatchOptions {
    const headers = withHeader(this.#options.headers as AnyHeaders, this.#auth.header, value);
    return { ...this.#options, headers: headers as Dispatcher.DispatchOptions['headers'] };
  }
}

function isRedirectHop(context: unknown): boolean {
  const history = (context as { history?: unknown } | null | undefined)?.history;
  return Array.isArray(history) && history.length > 0;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
