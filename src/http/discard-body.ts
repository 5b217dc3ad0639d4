/**
 * Lets go of a response body we will not read (a redirect hop, a 401 about to be retried), whatever kind of
 * body the client produced: a WHATWG `ReadableStream` (global fetch, undici) is cancelled; a Node stream
 * (node-fetch 2 and 3, axios `responseType: 'stream'`) is drained, which frees its keep-alive socket where
 * destroying only our end of a pipe would leave the socket paused. Never throws, never waits.
 */
export function discardBody(body: unknown): void {
  if (body === null || typeof body !== 'object') return;
  const stream = body as { cancel?: unknown; locked?: unknown; resume?: unknown; on?: unknown };
  if (typeof stream.cancel === 'function') {
    if (stream.locked === true) return;
    try {
      (stream.cancel() as Promise<void> | undefined)?.catch?.(ignore);
    } catch {
      // a body that refuses cancel() is left to the garbage collector
    }
    return;
  }
  if (typeof stream.resume === 'function' && typeof stream.on === 'function') {
    (body as NodeJS.ReadableStream).on('error', ignore);
    (body as NodeJS.ReadableStream).resume();
  }
}

function ignore(): void {}
