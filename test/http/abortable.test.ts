import { waitUnlessAborted } from '../../src/http/abortable.js';

describe('waitUnlessAborted', () => {
  test('resolves with the shared value when not aborted', async () => {
    await expect(waitUnlessAborted(Promise.resolve('t'), new AbortController().signal)).resolves.toBe('t');
    await expect(waitUnlessAborted(Promise.resolve('t'), undefined)).resolves.toBe('t');
  });

  test('an abort rejects this waiter with the reason; the shared promise and other waiters are untouched', async () => {
    let release!: (value: string) => void;
    const shared = new Promise<string>((resolve) => (release = resolve));
    const controller = new AbortController();
    const mine = waitUnlessAborted(shared, controller.signal);
    const theirs = waitUnlessAborted(shared, new AbortController().signal);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(mine).rejects.toBe(reason);
    release('token');
    await expect(theirs).resolves.toBe('token');
    await expect(shared).resolves.toBe('token');
  });

  test('an already aborted signal rejects at once', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(waitUnlessAborted(new Promise(() => {}), controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('a rejection of the shared promise reaches the waiter', async () => {
    const failure = new Error('provider down');
    await expect(waitUnlessAborted(Promise.reject(failure), new AbortController().signal)).rejects.toBe(failure);
  });

  test('removes its abort listener once settled', async () => {
    const controller = new AbortController();
    const removed: string[] = [];
    const original = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.removeEventListener = ((type: string, listener: () => void) => {
      removed.push(type);
      original(type, listener);
    }) as typeof controller.signal.removeEventListener;
    await waitUnlessAborted(Promise.resolve(1), controller.signal);
    expect(removed).toEqual(['abort']);
  });
});
