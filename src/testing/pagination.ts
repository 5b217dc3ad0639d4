import { invalidParameter } from './errors.js';

/** One page of `items` from an opaque token (the start offset) and a page size; the next token while more remain. */
export function pageOf<T>(
  items: readonly T[],
  limit: number,
  token: string | undefined,
): { page: T[]; next: string | undefined } {
  let start = 0;
  if (token !== undefined) {
    start = Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid pagination token.');
  }
  const page = items.slice(start, start + limit);
  const end = start + page.length;
  return { page, next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}
