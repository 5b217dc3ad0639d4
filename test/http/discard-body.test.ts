import { once } from 'node:events';
import { Readable } from 'node:stream';
import { discardBody } from '../../src/http/discard-body.js';

describe('discardBody', () => {
  test('a WHATWG stream is cancelled', async () => {
    let cancelled = false;
    const body = new ReadableStream({ cancel: () => void (cancelled = true) });
    discardBody(body);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cancelled).toBe(true);
  });

  test('a locked WHATWG stream, or one whose cancel throws or rejects, is left without an error', async () => {
    const locked = new ReadableStream();
    locked.getReader();
    expect(() => discardBody(locked)).not.toThrow();
    expect(() => discardBody({ cancel: () => Promise.reject(new Error('no')) })).not.toThrow();
    expect(() =>
      discardBody({
        cancel: () => {
          throw new Error('no');
        },
      }),
    ).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
  });

  test('a Node stream (node-fetch, axios responseType stream) is drained to its end', async () => {
    const body = Readable.from(['a', 'b', 'c']);
    const ended = once(body, 'end');
    discardBody(body);
    await ended;
    expect(body.readableEnded).toBe(true);
  });

  test('a Node stream that fails while drained does not crash the process', async () => {
    const body = new Readable({ read() {} });
    discardBody(body);
    const closed = new Promise((resolve) => body.on('close', resolve));
    body.destroy(new Error('socket hang up'));
    await closed;
    expect(body.listenerCount('error')).toBe(1);
  });

  test('no body, text and parsed JSON are ignored', () => {
    for (const body of [null, undefined, '', 'text', { ok: true }, 42]) expect(() => discardBody(body)).not.toThrow();
  });
});
