/**
 * A file store on a path that never answers (a hung network share). No real file system hangs on demand,
 * so this one narrow case replaces `open` from node:fs/promises with one that can be held.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const actual = await import('node:fs/promises');
let hold: { path: string; release: () => void; opens: number } | undefined;

jest.unstable_mockModule('node:fs/promises', () => ({
  ...actual,
  open: (path: string, ...rest: unknown[]) => {
    if (hold === undefined || path !== hold.path) return (actual.open as (...a: unknown[]) => unknown)(path, ...rest);
    const current = hold;
    current.opens += 1;
    return new Promise((resolve, reject) => {
      const previous = current.release;
      current.release = () => {
        previous();
        (actual.open as (...a: unknown[]) => Promise<unknown>)(path, ...rest).then(resolve, reject);
      };
    });
  },
}));

const { FileTokenStore } = await import('../../src/tokens/token-store.js');
const { TokenStoreError } = await import('../../src/errors.js');

/** Loads until the path stops being reported as stuck (the released call settles in a few ticks); bounded. */
async function loadOnceUnstuck(store: { load(key: string): Promise<unknown> }, key: string): Promise<unknown> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await store.load(key);
    } catch (error) {
      if (attempt >= 200 || !/not answering/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const session = { refreshToken: 'refresh-SECRET-token', username: 'alice', clientId: 'client1' };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-store-deadline-'));
});
afterEach(async () => {
  hold?.release();
  hold = undefined;
  await rm(dir, { recursive: true, force: true });
});

test('a call that gets no answer ends in a TokenStoreError at the deadline; later calls fail at once until it settles', async () => {
  const path = join(dir, 'session.json');
  // Written with the default deadline: a loaded machine may take longer than 100 ms for a real write.
  await new FileTokenStore(path).save('pool/alice', session);
  const store = new FileTokenStore(path, { timeoutMs: 100 });
  hold = { path, release: () => undefined, opens: 0 };

  const first = await store.load('pool/alice').catch((e: unknown) => e);
  expect(first).toBeInstanceOf(TokenStoreError);
  expect((first as Error).message).toBe(`Cannot read the token file ${path}: no answer within 100 ms.`);
  expect(hold.opens).toBe(1);

  // While the first open is stuck, no further thread is spent on this path (another instance included).
  const again = await new FileTokenStore(path, { timeoutMs: 100 }).save('pool/alice', session).catch((e: unknown) => e);
  expect(again).toBeInstanceOf(TokenStoreError);
  expect((again as Error).message).toMatch(/not answering: an earlier call is still waiting/);
  expect((again as Error).message).not.toContain(session.refreshToken);
  expect(hold.opens).toBe(1);

  // Once the stuck call settles, the path is usable again.
  hold.release();
  hold = undefined;
  expect(await loadOnceUnstuck(new FileTokenStore(path), 'pool/alice')).toEqual(session);
});

test('a write queued behind a stuck one is dropped when its caller has given up, not run late', async () => {
  const path = join(dir, 'session.json');
  // Written with the default deadline: a loaded machine may take longer than 100 ms for a real write.
  await new FileTokenStore(path).save('pool/alice', session);
  const store = new FileTokenStore(path, { timeoutMs: 100 });
  hold = { path, release: () => undefined, opens: 0 };
  await expect(store.save('pool/alice', { ...session, refreshToken: 'refresh-SECOND' })).rejects.toThrow(TokenStoreError);
  hold.release();
  hold = undefined;
  // The abandoned save did not land after its caller was told it failed.
  expect(await loadOnceUnstuck(new FileTokenStore(path), 'pool/alice')).toEqual(session);
});
