/**
 * Reading and replacing one header in the shapes HTTP clients accept, without mutating the caller's object:
 * a plain record, a flat `[name, value, name, value]` array (undici), an array of pairs (fetch), any iterable of
 * pairs (`Map`, undici), or a `Headers` instance. Names are compared case-insensitively; `name` is lower case.
 */
export type HeaderValue = string | readonly string[] | number | undefined | null;
export type AnyHeaders =
  | Readonly<Record<string, HeaderValue>>
  | readonly unknown[]
  | Iterable<readonly [string, HeaderValue]>
  | Headers
  | null
  | undefined;

/** The value of `name`, or `undefined` when the headers do not carry it. */
export function readHeader(headers: AnyHeaders, name: string): string | undefined {
  if (headers === null || headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (Array.isArray(headers)) {
    if (isFlatList(headers)) {
      for (let i = 0; i < headers.length; i += 2) {
        if (sameName(headers[i], name)) return stringValue(headers[i + 1]);
      }
      return undefined;
    }
    return readPairs(headers as Iterable<readonly [string, HeaderValue]>, name);
  }
  if (isIterable(headers)) return readPairs(headers, name);
  const record = headers as Readonly<Record<string, HeaderValue>>;
  const direct = record[name];
  if (direct !== undefined && direct !== null) return stringValue(direct);
  for (const key in record) {
    if (sameName(key, name)) return stringValue(record[key]);
  }
  return undefined;
}

/**
 * A copy of `headers` with `name` set to `value` (any casing of it replaced), or removed when `value` is
 * `undefined`. Records stay records, flat lists stay flat lists, `Headers` stays `Headers`; other iterables
 * become a flat list.
 */
export function withHeader(headers: AnyHeaders, name: string, value: string | undefined): AnyHeaders {
  if (headers === null || headers === undefined) return value === undefined ? headers : { [name]: value };
  if (headers instanceof Headers) {
    const copy = new Headers(headers);
    if (value === undefined) copy.delete(name);
    else copy.set(name, value);
    return copy;
  }
  if (Array.isArray(headers) && isFlatList(headers)) {
    const copy: unknown[] = [];
    for (let i = 0; i < headers.length; i += 2) {
      if (!sameName(headers[i], name)) copy.push(headers[i], headers[i + 1]);
    }
    if (value !== undefined) copy.push(name, value);
    return copy;
  }
  if (Array.isArray(headers)) {
    const pairs = (headers as readonly (readonly [string, HeaderValue])[]).filter(([key]) => !sameName(key, name));
    return value === undefined ? pairs : [...pairs, [name, value]];
  }
  if (isIterable(headers)) {
    const copy: unknown[] = [];
    for (const [key, entry] of headers) {
      if (!sameName(key, name)) copy.push(key, entry);
    }
    if (value !== undefined) copy.push(name, value);
    return copy;
  }
  const copy: Record<string, HeaderValue> = {};
  const record = headers as Readonly<Record<string, HeaderValue>>;
  for (const key in record) {
    if (!sameName(key, name)) copy[key] = record[key];
  }
  if (value !== undefined) copy[name] = value;
  return copy;
}

/** A flat list has a string (or Buffer) at index 0; a list of pairs has an array there. */
function isFlatList(list: readonly unknown[]): boolean {
  return list.length === 0 || !Array.isArray(list[0]);
}

function isIterable(value: object): value is Iterable<readonly [string, HeaderValue]> {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

function readPairs(pairs: Iterable<readonly [string, HeaderValue]>, name: string): string | undefined {
  for (const [key, value] of pairs) {
    if (sameName(key, name)) return stringValue(value);
  }
  return undefined;
}

function sameName(key: unknown, name: string): boolean {
  const text = typeof key === 'string' ? key : Buffer.isBuffer(key) ? key.toString('latin1') : undefined;
  return text !== undefined && text.length === name.length && text.toLowerCase() === name;
}

function stringValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).join(', ');
  return Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
}
