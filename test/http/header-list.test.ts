import { readHeader, withHeader } from '../../src/http/header-list.js';

describe('readHeader', () => {
  test('reads any casing from every header shape', () => {
    expect(readHeader({ Authorization: 'Bearer a' }, 'authorization')).toBe('Bearer a');
    expect(readHeader(['Accept', '*/*', 'AUTHORIZATION', 'Bearer b'], 'authorization')).toBe('Bearer b');
    expect(readHeader([Buffer.from('authorization'), Buffer.from('Bearer c')], 'authorization')).toBe('Bearer c');
    expect(readHeader([['Authorization', 'Bearer d']], 'authorization')).toBe('Bearer d');
    expect(readHeader(new Map([['authorization', 'Bearer e']]), 'authorization')).toBe('Bearer e');
    expect(readHeader(new Headers({ Authorization: 'Bearer f' }), 'authorization')).toBe('Bearer f');
    expect(readHeader({ authorization: ['x', 'y'] }, 'authorization')).toBe('x, y');
  });

  test('absent, undefined and null values read as absent', () => {
    expect(readHeader(undefined, 'authorization')).toBeUndefined();
    expect(readHeader(null, 'authorization')).toBeUndefined();
    expect(readHeader({ authorization: undefined }, 'authorization')).toBeUndefined();
    expect(readHeader({ accept: '*/*' }, 'authorization')).toBeUndefined();
    expect(readHeader([], 'authorization')).toBeUndefined();
  });
});

describe('withHeader', () => {
  test('records: replaces any casing, keeps the rest, does not mutate the input', () => {
    const input = { Accept: '*/*', AUTHORIZATION: 'old' };
    expect(withHeader(input, 'authorization', 'new')).toEqual({ Accept: '*/*', authorization: 'new' });
    expect(input).toEqual({ Accept: '*/*', AUTHORIZATION: 'old' });
    expect(withHeader(input, 'authorization', undefined)).toEqual({ Accept: '*/*' });
  });

  test('flat lists stay flat lists; pairs stay pairs; iterables become flat lists', () => {
    const flat = ['accept', '*/*', 'Authorization', 'old'];
    expect(withHeader(flat, 'authorization', 'new')).toEqual(['accept', '*/*', 'authorization', 'new']);
    expect(flat).toHaveLength(4);
    expect(withHeader([['Authorization', 'old'], ['accept', '*/*']], 'authorization', 'new')).toEqual([
      ['accept', '*/*'],
      ['authorization', 'new'],
    ]);
    expect(withHeader(new Map([['accept', '*/*']]), 'authorization', 'new')).toEqual(['accept', '*/*', 'authorization', 'new']);
  });

  test('Headers stay Headers (a copy)', () => {
    const input = new Headers({ accept: '*/*' });
    const output = withHeader(input, 'authorization', 'new') as Headers;
    expect(output).toBeInstanceOf(Headers);
    expect(output.get('authorization')).toBe('new');
    expect(output.get('accept')).toBe('*/*');
    expect(input.has('authorization')).toBe(false);
  });

  test('no headers: a record with just ours', () => {
    expect(withHeader(undefined, 'authorization', 'v')).toEqual({ authorization: 'v' });
    expect(withHeader(undefined, 'authorization', undefined)).toBeUndefined();
  });
});
