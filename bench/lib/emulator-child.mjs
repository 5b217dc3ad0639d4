/**
 * The local Cognito emulator in a child process, so that a benchmark's process.cpuUsage() counts the client alone.
 *
 *   const emu = await startEmulatorChild({ users: [{ username: 'bench', password: '...' }], m2mClients: [{ ... }] });
 *   ... emu.endpoint, emu.userPoolId, emu.clientId, emu.jwksUri, emu.m2mClients[i].clientId / .clientSecret ...
 *   const calls = await emu.calls();   // the emulator's per-operation call counts, e.g. calls.InitiateAuth
 *   await emu.stop();
 *
 * The child imports the built emulator (dist/esm/src/testing) and exits when its stdin closes, so it never outlives
 * the bench, even when the bench crashes. Each "calls" line on its stdin is answered with one JSON line.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const TESTING = new URL('../../dist/esm/src/testing/index.js', import.meta.url).href;
const START_TIMEOUT_MS = 30_000;
const CALLS_TIMEOUT_MS = 10_000;

const CHILD = `
import { createInterface } from 'node:readline';
const { startCognitoEmulator } = await import(process.env.BENCH_EMULATOR_MODULE);
const options = JSON.parse(process.env.BENCH_EMULATOR_OPTIONS);
const emu = await startCognitoEmulator(options.emulator);
for (const user of options.users) emu.addUser(user);
const m2mClients = (options.m2mClients ?? []).map((client) => {
  const added = emu.addM2mClient(client);
  return { clientId: added.clientId, clientSecret: added.clientSecret };
});
process.stdout.write(JSON.stringify({ endpoint: emu.endpoint, userPoolId: emu.userPoolId, clientId: emu.clientId, jwksUri: emu.jwksUri, m2mClients }) + '\\n');
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'calls') process.stdout.write(JSON.stringify({ calls: { ...emu.calls } }) + '\\n');
});
lines.on('close', () => emu.close().then(() => process.exit(0)));
`;

export async function startEmulatorChild({ users = [], m2mClients = [], emulator = {} } = {}) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      BENCH_EMULATOR_MODULE: TESTING,
      BENCH_EMULATOR_OPTIONS: JSON.stringify({ users, m2mClients, emulator }),
    },
  });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.resolve(line));
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`the emulator child exited (${code})`));
  });
  const nextLine = (timeoutMs, what) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the emulator child did not answer ${what} within ${timeoutMs} ms`)), timeoutMs);
      waiting.push({
        resolve: (line) => (clearTimeout(timer), resolve(line)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.stdin.end();
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };
  let info;
  try {
    info = JSON.parse(await nextLine(START_TIMEOUT_MS, 'its start'));
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const { m2mClients: added, ...rest } = info;
  return {
    ...rest,
    // Secrets kept out of util.inspect and JSON.stringify.
    m2mClients: added.map(({ clientId, clientSecret }) => Object.defineProperty({ clientId }, 'clientSecret', { value: clientSecret })),
    pid: child.pid,
    /** The emulator's call count per operation, right now. */
    async calls() {
      const answer = nextLine(CALLS_TIMEOUT_MS, 'calls');
      child.stdin.write('calls\n');
      return JSON.parse(await answer).calls;
    },
    stop,
  };
}
