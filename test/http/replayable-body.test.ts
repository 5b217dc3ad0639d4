import { Readable } from 'node:stream';
import { isReplayableBody } from '../../src/http/replayable-body.js';

describe('isReplayableBody', () => {
  test.each<[string, unknown]>([
    ['no body', undefined],
    ['null', null],
    ['a string', 'a=1'],
    ['a Buffer', Buffer.from('x')],
    ['a Uint8Array', new Uint8Array(3)],
    ['an ArrayBuffer', new ArrayBuffer(3)],
    ['URLSearchParams', new URLSearchParams({ a: '1' })],
    ['a Blob', new Blob(['x'])],
    ['FormData', new FormData()],
    ['a plain JSON object', { a: 1 }],
    ['a JSON array', [1, 2]],
  ])('%s can be sent again', (_name, body) => {
    expect(isReplayableBody(body)).toBe(true);
  });

  test.each<[string, unknown]>([
    ['a Node Readable', Readable.from(['x'])],
    ['a web ReadableStream', new ReadableStream()],
    ['an async generator', (async function* () {})()],
    ['a class instance', new (class Payload {})()],
    ['a function', () => 'x'],
  ])('%s cannot', (_name, body) => {
    expect(isReplayableBody(body)).toBe(false);
  });
});
