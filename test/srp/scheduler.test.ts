import {
  computePasswordClaim,
  computePasswordClaimAsync,
  createEphemeral,
  createEphemeralAsync,
  createServerEphemeral,
  EphemeralPool,
  g,
  modPow,
  pendingTurns,
  runInTurn,
  toHex,
} from '../../src/srp/index.js';
import { SrpError } from '../../src/errors.js';

describe('runInTurn', () => {
  test('runs tasks in FIFO order, one per event-loop turn, with timers firing between them', async () => {
    const events: string[] = [];
    const tasks = [1, 2, 3].map((n) =>
      runInTurn(() => {
        events.push(`task${n}`);
        // A timer due right away: it must get its chance before the next task runs.
        setTimeout(() => events.push(`timer-after-${n}`), 0);
        const until = performance.now() + 3;
        while (performance.now() < until) {
          /* busy, like an exponentiation */
        }
        return n;
      }),
    );
    expect(pendingTurns()).toBe(3);
    expect(await Promise.all(tasks)).toEqual([1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(events.filter((e) => e.startsWith('task'))).toEqual(['task1', 'task2', 'task3']);
    expect(events.indexOf('timer-after-1')).toBeLessThan(events.indexOf('task3'));
    expect(pendingTurns()).toBe(0);
  });

  test('does not run the task synchronously', async () => {
    let ran = false;
    const done = runInTurn(() => {
      ran = true;
    });
    expect(ran).toBe(false);
    await done;
    expect(ran).toBe(true);
  });

  test('a throwing task rejects its promise and the queue keeps going', async () => {
    const failing = runInTurn(() => {
      throw new SrpError('x', 'boom');
    });
    const after = runInTurn(() => 'still runs');
    await expect(failing).rejects.toBeInstanceOf(SrpError);
    await expect(after).resolves.toBe('still runs');
  });
});

describe('async variants', () => {
  const server = createServerEphemeral(123456789n, 0x77n);
  const base = { poolName: 'AbC', userId: 'u', password: 'pw', salt: '0abc', srpB: toHex(server.B), secretBlock: 'AAEC', now: new Date(0) };

  test('createEphemeralAsync gives a valid ephemeral', async () => {
    const e = await createEphemeralAsync();
    expect(e.A).toBe(modPow(g, e.a));
  });

  test('computePasswordClaimAsync equals computePasswordClaim', async () => {
    const ephemeral = createEphemeral(0x1234n);
    expect(await computePasswordClaimAsync({ ...base, ephemeral })).toEqual(computePasswordClaim({ ...base, ephemeral }));
  });

  test('computePasswordClaimAsync rejects bad input with SrpError', async () => {
    await expect(computePasswordClaimAsync({ ...base, ephemeral: createEphemeral(5n), srpB: 'nothex' })).rejects.toMatchObject({
      code: 'SRP_INVALID_INPUT',
      parameter: 'SRP_B',
    });
  });

  test('EphemeralPool.takeAsync returns a ready ephemeral at once, or computes one on a later turn', async () => {
    const empty = new EphemeralPool(0);
    const computed = await empty.takeAsync();
    expect(computed.A).toBe(modPow(g, computed.a));
    const pool = new EphemeralPool(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.available).toBe(1);
    const ready = await pool.takeAsync();
    expect(ready.A).toBe(modPow(g, ready.a));
    expect(pool.available).toBe(0);
  });
});

describe('one heavy step per turn, refills included', () => {
  test("a pool's refill waits in the same queue as the sign-ins' answers (so never runs in the same turn as one)", async () => {
    const before = pendingTurns();
    const pool = new EphemeralPool(1); // schedules its first refill now
    const answer = runInTurn(() => 'answered');
    expect(pendingTurns()).toBe(before + 2);
    await expect(answer).resolves.toBe('answered');
    while (pool.available === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(pendingTurns()).toBe(0);
  });

  test('a background refill alone does not keep the process alive; one someone waits for does', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = (wait: boolean): string => `
      const { EphemeralPool } = await import(${JSON.stringify(new URL('../../src/srp/index.ts', import.meta.url).href)});
      const pool = new EphemeralPool(4);
      ${wait ? 'pool.takeAsync().then(() => console.log("taken"));' : ''}
    `;
    const run = (wait: boolean) =>
      spawnSync(process.execPath, ['--import', new URL('../support/source-loader.mjs', import.meta.url).pathname, '--input-type=module', '-e', script(wait)], {
        encoding: 'utf8',
        timeout: 20_000,
      });
    const idle = run(false);
    expect(idle.status).toBe(0);
    expect(idle.stdout).toBe('');
    const waiting = run(true);
    expect(waiting.status).toBe(0);
    expect(waiting.stdout.trim()).toBe('taken');
  });
});
