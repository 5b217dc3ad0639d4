import { setImmediate as nextTurn } from 'node:timers/promises';
import { createEphemeral, EphemeralPool, g, modPow, N, parseSignedHex } from '../../src/srp/index.js';

async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await nextTurn();
}

describe('createEphemeral', () => {
  test('a random a is 56 bytes (448 bits, above the 420 of RFC 3526) at most, A = g^a mod N, SRP_A is its unpadded lowercase hex', () => {
    const e = createEphemeral();
    expect(e.a > 0n && e.a < 1n << 448n).toBe(true);
    // 20 draws all below 2^384 would mean the secret is shorter than intended (chance 2^-160).
    expect(Array.from({ length: 20 }, () => createEphemeral().a).some((a) => a >= 1n << 384n)).toBe(true);
    expect(e.A).toBe(modPow(g, e.a));
    expect(e.A > 1n && e.A < N).toBe(true);
    expect(e.srpA).toMatch(/^[1-9a-f][0-9a-f]*$/);
    expect(parseSignedHex(e.srpA, 'SRP_A')).toBe(e.A);
  });

  test('two ephemerals differ', () => {
    expect(createEphemeral().srpA).not.toBe(createEphemeral().srpA);
  });

  test('is frozen', () => {
    const e = createEphemeral(3n);
    expect(Object.isFrozen(e)).toBe(true);
    expect(e.A).toBe(8n);
    expect(e.srpA).toBe('8');
  });
});

describe('EphemeralPool', () => {
  test('fills itself in the background, one ephemeral per turn, up to its size', async () => {
    const pool = new EphemeralPool(3);
    expect(pool.available).toBe(0);
    await turns(1);
    expect(pool.available).toBe(1);
    await turns(5);
    expect(pool.available).toBe(3);
  });

  test('take() hands out precomputed ephemerals once each and refills', async () => {
    const pool = new EphemeralPool(2);
    await turns(4);
    expect(pool.available).toBe(2);
    const first = pool.take();
    const second = pool.take();
    expect(pool.available).toBe(0);
    expect(first.srpA).not.toBe(second.srpA);
    expect(first.A).toBe(modPow(g, first.a));
    await turns(4);
    expect(pool.available).toBe(2);
    const seen = new Set([first.srpA, second.srpA]);
    for (let i = 0; i < 6; i++) seen.add(pool.take().srpA);
    expect(seen.size).toBe(8);
  });

  test('take() on an empty pool computes one now', () => {
    const pool = new EphemeralPool(0);
    const e = pool.take();
    expect(e.A).toBe(modPow(g, e.a));
    expect(pool.available).toBe(0);
  });

  test('taking from a ready pool is much cheaper than computing A', async () => {
    const pool = new EphemeralPool(8);
    await turns(10);
    expect(pool.available).toBe(8);
    const start = performance.now();
    for (let i = 0; i < 8; i++) pool.take();
    const perTake = (performance.now() - start) / 8;
    const computeStart = performance.now();
    createEphemeral();
    const compute = performance.now() - computeStart;
    expect(perTake).toBeLessThan(compute);
  });

  test('refilling adds at most one ephemeral per event-loop turn (so no turn blocks longer than one createEphemeral)', async () => {
    const pool = new EphemeralPool(6);
    let previous = pool.available;
    // The SRP queue is shared by every pool and sign-in of the process: other jobs may take some of these turns.
    for (let turn = 0; turn < 30 && pool.available < 6; turn++) {
      await turns(1);
      expect(pool.available - previous).toBeLessThanOrEqual(1);
      previous = pool.available;
    }
    expect(pool.available).toBe(6);
  });
});

describe('EphemeralPool.takeAsync', () => {
  test('on a pool still filling, the first take waits for the refill instead of computing A a second time', async () => {
    const pool = new EphemeralPool(1);
    const e = await pool.takeAsync();
    expect(e.A).toBe(modPow(g, e.a));
    // The refill's ephemeral was handed out, not kept: nothing else was computed meanwhile.
    expect(pool.available).toBe(0);
    await turns(2);
    expect(pool.available).toBe(1);
    const next = await pool.takeAsync();
    expect(next.srpA).not.toBe(e.srpA);
  });

  test('several waiters each get their own ephemeral, one computed per turn', async () => {
    const pool = new EphemeralPool(2);
    const taken = await Promise.all([pool.takeAsync(), pool.takeAsync(), pool.takeAsync()]);
    expect(new Set(taken.map((e) => e.srpA)).size).toBe(3);
    for (const e of taken) expect(e.A).toBe(modPow(g, e.a));
  });

  test('a size-0 pool computes on its own turn', async () => {
    const pool = new EphemeralPool(0);
    const e = await pool.takeAsync();
    expect(e.A).toBe(modPow(g, e.a));
    expect(pool.available).toBe(0);
  });
});
