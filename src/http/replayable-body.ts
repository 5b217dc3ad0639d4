/**
 * Whether a request body can be sent a second time unchanged: nothing, a string, bytes, URLSearchParams,
 * a Blob or FormData (both immutable), or a plain JSON value that the client serialises on each attempt.
 * Streams and async iterables are consumed by the first attempt; replaying them sends an empty body.
 */
export function isReplayableBody(body: unknown): boolean {
  if (body === undefined || body === null || typeof body === 'string') return true;
  if (typeof body !== 'object') return typeof body === 'number' || typeof body === 'boolean';
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer || body instanceof URLSearchParams) return true;
  if (body instanceof Blob || body instanceof FormData) return true;
  return isPlainJsonContainer(body);
}

function isPlainJsonContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
