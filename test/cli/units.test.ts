/** The CLI's small parts on their own: stdin lines, the terminal prompt, exit codes, progress, argument checks. */
import { PassThrough } from 'node:stream';
import { parseCommandArgs, TOKEN_OPTIONS } from '../../src/cli/args.js';
import { lazyPassword } from '../../src/cli/credentials.js';
import { describeFailure } from '../../src/cli/failure.js';
import { CancelledError } from '../../src/cli/io.js';
import { Progress } from '../../src/cli/progress.js';
import { LineReader, promptOnTerminal } from '../../src/cli/prompt.js';
import {
  CognitoConfigError,
  CognitoServiceError,
  MfaRequiredError,
  NetworkError,
  NotAuthorizedError,
  ThrottledError,
  TokenVerificationError,
} from '../../src/errors.js';
import { Captured, FakeTerminal } from './helpers.js';

describe('LineReader (non-terminal stdin)', () => {
  test('splits on \\n and \\r\\n, keeps spaces, returns a last line without newline, then undefined', async () => {
    const input = new PassThrough();
    const lines = new LineReader(input);
    input.write(' pass word \r\n12');
    input.end('3456');
    await expect(lines.next()).resolves.toBe(' pass word ');
    await expect(lines.next()).resolves.toBe('123456');
    await expect(lines.next()).resolves.toBeUndefined();
  });

  test('a UTF-8 character split across chunks is decoded whole', async () => {
    const input = new PassThrough();
    const bytes = Buffer.from('pä§sword\n', 'utf8');
    const lines = new LineReader(input);
    const next = lines.next();
    input.write(bytes.subarray(0, 2));
    input.write(bytes.subarray(2, 4));
    input.end(bytes.subarray(4));
    await expect(next).resolves.toBe('pä§sword');
  });

  test('waits for a line that arrives later', async () => {
    const input = new PassThrough();
    const lines = new LineReader(input);
    const next = lines.next();
    setTimeout(() => input.write('late\n'), 20);
    await expect(next).resolves.toBe('late');
  });
});

describe('promptOnTerminal', () => {
  test('no echo: pasted text with Ctrl-U and Backspace edits; raw mode on then off; a newline after', async () => {
    const stdin = new FakeTerminal();
    const out = new Captured(true);
    const answer = promptOnTerminal(stdin, out, 'Password: ');
    stdin.write('wrong\u0015secrex\u007ft\r');
    await expect(answer).resolves.toBe('secret');
    expect(out.text).toBe('Password: \n');
    expect(stdin.rawModes).toEqual([true, false]);
  });

  test('echo mode shows what is typed (MFA codes)', async () => {
    const stdin = new FakeTerminal();
    const out = new Captured(true);
    const answer = promptOnTerminal(stdin, out, 'Code: ', { echo: true });
    stdin.write('1234\n');
    await expect(answer).resolves.toBe('1234');
    expect(out.text).toBe('Code: 1234\n');
  });

  test('Ctrl-D on an empty line and the end of input cancel', async () => {
    const a = new FakeTerminal();
    const first = promptOnTerminal(a, new Captured(true), '? ');
    a.write('\u0004');
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    const b = new FakeTerminal();
    const second = promptOnTerminal(b, new Captured(true), '? ');
    b.end();
    await expect(second).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('describeFailure: exit codes and one-line messages', () => {
  test.each([
    [new CognitoConfigError('--username', 'required.'), 2],
    [new NotAuthorizedError('Incorrect username or password.'), 1],
    [new TokenVerificationError('bad\nsignature'), 1],
    [new NetworkError('Could not reach Cognito.'), 3],
    [new ThrottledError('Rate exceeded.'), 3],
    [new CognitoServiceError('Internal error.'), 3],
    [new CancelledError(), 130],
    [new Error('boom'), 1],
  ])('%s → exit %i', (error, exitCode) => {
    const failure = describeFailure(error);
    expect(failure.exitCode).toBe(exitCode);
    expect(failure.message).not.toContain('\n');
  });

  test('MfaRequiredError names the CLI flags, not the constructor option', () => {
    const error = new MfaRequiredError('SMS_MFA', { challengeName: 'SMS_MFA', username: 'u', parameters: {}, session: 'secret-session' });
    const { exitCode, message } = describeFailure(error);
    expect(exitCode).toBe(1);
    expect(message).toContain('--totp-secret-env');
    expect(message).not.toContain('secret-session');
  });
});

describe('Progress', () => {
  test('draws and clears status lines on a terminal', () => {
    const out = new Captured(true);
    const progress = new Progress(out);
    progress.step('Signing in');
    progress.note('Signed in');
    progress.clear();
    expect(out.text).toContain('Signing in…');
    expect(out.text).toContain('Signed in\n');
  });

  test('writes nothing when stderr is not a terminal', () => {
    const out = new Captured(false);
    const progress = new Progress(out);
    progress.step('Signing in');
    progress.note('Signed in');
    progress.clear();
    expect(out.text).toBe('');
  });
});

describe('parseCommandArgs', () => {
  test('refuses too many positionals without repeating them', () => {
    expect(() => parseCommandArgs('token', ['some-secret'], TOKEN_OPTIONS, 0)).toThrow(/takes no positional arguments/);
    try {
      parseCommandArgs('token', ['some-secret'], TOKEN_OPTIONS, 0);
    } catch (error) {
      expect((error as Error).message).not.toContain('some-secret');
    }
  });

  test('an unknown short flag is named by its first two characters only', () => {
    expect(() => parseCommandArgs('token', ['-psecret'], TOKEN_OPTIONS, 0)).toThrow('Invalid option `-p`: unknown option for `token`');
  });

  test('a missing value is a usage error', () => {
    expect(() => parseCommandArgs('token', ['--username'], TOKEN_OPTIONS, 0)).toThrow(CognitoConfigError);
  });
});

describe('lazyPassword', () => {
  test('reads nothing until called, then once however often it is called', async () => {
    let reads = 0;
    const password = lazyPassword(async () => `pw-${++reads}`);
    expect(reads).toBe(0);
    await expect(Promise.all([password(), password()])).resolves.toEqual(['pw-1', 'pw-1']);
    await expect(password()).resolves.toBe('pw-1');
    expect(reads).toBe(1);
  });
});
