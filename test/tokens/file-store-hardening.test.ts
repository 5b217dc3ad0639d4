/** File stores on awkward paths: a missing folder, a FIFO, leftovers of a killed writer, bad options. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CognitoConfigError, DeviceStoreError, TokenStoreError } from '../../src/errors.js';
import { FileDeviceStore } from '../../src/tokens/device-store.js';
import { FileTokenStore } from '../../src/tokens/token-store.js';
import { tempDirFixture } from './helpers.js';

const device = { deviceKey: 'eu-west-1_1111', deviceGroupKey: '-grpAbc', devicePassword: 'dev-pass-SECRET-1' };
const session = { refreshToken: 'refresh-SECRET-token', username: 'alice', clientId: 'client1' };

const tmp = tempDirFixture('file-store-hardening-');

const kinds = [
  {
    name: 'FileDeviceStore',
    open: (path: string, options?: { timeoutMs?: number }) => new FileDeviceStore(path, options),
    entry: device,
    secret: device.devicePassword,
    error: DeviceStoreError,
  },
  {
    name: 'FileTokenStore',
    open: (path: string, options?: { timeoutMs?: number }) => new FileTokenStore(path, options),
    entry: session,
    secret: session.refreshToken,
    error: TokenStoreError,
  },
] as const;

/** The PID of a real child process that was killed with SIGKILL and has been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid!;
  child.kill('SIGKILL');
  await exited;
  return pid;
}

describe.each(kinds)('$name', ({ open, entry, secret, error }) => {
  test('a missing folder is created (mode 0700) on first use, and the entry is kept', async () => {
    const folder = join(tmp.dir, 'state', 'nested');
    const path = join(folder, 'store.json');
    const store = open(path);
    await store.save('pool/alice', entry as never);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect(await open(path).load('pool/alice')).toEqual(entry);
  });

  test('a folder that cannot be created is a typed error naming the folder, at load and at save', async () => {
    const blocker = join(tmp.dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    const store = open(join(blocker, 'sub', 'store.json'));
    await expect(store.load('pool/alice')).rejects.toThrow(error);
    const failure = await store.save('pool/alice', entry as never).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(error);
    expect((failure as Error).message).toMatch(/Cannot create the folder .*a-file.*\((ENOTDIR|EEXIST)\)/);
    expect((failure as Error).message).not.toContain(secret);
  });

  const withMkfifo = existsSync('/usr/bin/mkfifo') || existsSync('/bin/mkfifo') ? test : test.skip;
  withMkfifo('a FIFO at the store path is refused at once, not waited on (load, save and delete)', async () => {
    const path = join(tmp.dir, 'store.json');
    execFileSync('mkfifo', [path]);
    // A deadline far beyond the test's own timeout: only an immediate refusal lets this test pass.
    const store = open(path, { timeoutMs: 600_000 });
    await expect(store.load('pool/alice')).rejects.toThrow(/not a regular file/);
    await expect(store.save('pool/alice', entry as never)).rejects.toThrow(error);
    await expect(store.delete('pool/alice')).rejects.toThrow(/not a regular file/);
    expect((await stat(path)).isFIFO()).toBe(true); // nothing was renamed over it
  });

  test('temp files of a killed writer are removed on first use; a live writer’s recent one is kept', async () => {
    const path = join(tmp.dir, 'store.json');
    const dead = await deadPid();
    const leftover = join(tmp.dir, `.store.json.${dead}.0123456789ab.tmp`);
    const liveRecent = join(tmp.dir, `.store.json.${process.ppid}.abcdef012345.tmp`);
    const liveOld = join(tmp.dir, `.store.json.${process.ppid}.00000000beef.tmp`);
    const unrelated = join(tmp.dir, `.other.json.${dead}.0123456789ab.tmp`);
    for (const file of [leftover, liveRecent, liveOld, unrelated]) await writeFile(file, JSON.stringify({ secret }));
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(liveOld, twoMinutesAgo, twoMinutesAgo);

    expect(await open(path).load('pool/alice')).toBeUndefined();
    expect((await readdir(tmp.dir)).sort()).toEqual(
      ['.other.json.' + dead + '.0123456789ab.tmp', `.store.json.${process.ppid}.abcdef012345.tmp`].sort(),
    );
  });

  test('options are checked: a bad timeoutMs or an unknown key is a CognitoConfigError naming it', () => {
    const path = join(tmp.dir, 'store.json');
    expect(() => open(path, { timeoutMs: 0 })).toThrow(CognitoConfigError);
    expect(() => open(path, { timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
    expect(() => open(path, { timeout: 5 } as never)).toThrow(/`timeout`/);
  });
});

test('a store in an existing folder leaves the folder mode alone', async () => {
  const folder = join(tmp.dir, 'shared');
  await mkdir(folder, { mode: 0o755 });
  await new FileTokenStore(join(folder, 's.json')).save('pool/alice', session);
  expect((await stat(folder)).mode & 0o777).toBe(0o755);
});
