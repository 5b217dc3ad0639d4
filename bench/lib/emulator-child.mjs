/**
 * The local Cognito emulator in a child process, so that a benchmark's process.cpuUsage() counts the client alone.
 *
 *   const emu = await startEmulatorChild({ users: [{ username: 'bench', password: '...' }] });
 *   ... emu.endpoint, emu.userPoolId, emu.clientId, emu.jwksUri ...
 *   await emu.stop();
 *
 * The child imports the built emulator (dist/esm/src/testing) and exits when its stdin closes, so it never outlives
 * the bench, even when the bench crashes.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const TESTING = new URL('../../dist/esm/src/testing/index.js', import.meta.url).href;
const START_TIMEOUT_MS = 30_000;

const CHILD = `
const { startCognitoEmulator } = await import(process.env.BENCH_EMULATOR_MODULE);
const options = JSON.parse(process.env.BENCH_EMULATOR_OPTIONS);
const emu = await startCognitoEmulator(options.emulator);
for (const user of options.users) emu.addUser(user);
process.stdout.write(JSON.stringify({ endpoint: emu.endpoint, userPoolId: emu.userPoolId, clientId: emu.clientId, jwksUri: emu.jwksUri }) + '\\n');
process.stdin.on('end', () => emu.close().then(() => process.exit(0))).resume();
`;

export async function startEmulatorChild({ users = [], emulator = {} } = {}) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      BENCH_EMULATOR_MODULE: TESTING,
      BENCH_EMULATOR_OPTIONS: JSON.stringify({ users, emulator }),
    },
  });
  const timer = setTimeout(() => child.kill(), START_TIMEOUT_MS);
  try {
    const [chunk] = await Promise.race([
      once(child.stdout, 'data'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`the emulator child exited (${code}) before it listened`);
      }),
    ]);
    const info = JSON.parse(String(chunk).split('\n')[0]);
    return {
      ...info,
      pid: child.pid,
      async stop() {
        child.stdin.end();
        const exited = once(child, 'exit');
        const killer = setTimeout(() => child.kill(), 5_000);
        await exited;
        clearTimeout(killer);
      },
    };
  } finally {
    clearTimeout(timer);
  }
}
