import { StringDecoder } from 'node:string_decoder';
import { CancelledError, type CliInput, type CliOutput } from './io.js';

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const BACKSPACE = new Set(['\u007f', '\b']);

/**
 * Asks for one line on a terminal in raw mode, so what is typed is not echoed when `echo` is false
 * (nothing is shown, not even asterisks: the length of a password is a hint too). Enter ends the line;
 * Ctrl-C, or Ctrl-D on an empty line, rejects with `CancelledError`; Backspace and Ctrl-U edit.
 */
export function promptOnTerminal(
  input: CliInput,
  output: CliOutput,
  question: string,
  { echo = false }: { echo?: boolean } = {},
): Promise<string> {
  if (input.setRawMode === undefined) throw new TypeError('promptOnTerminal needs a TTY input (setRawMode).');
  const setRawMode = input.setRawMode.bind(input);
  // Raw mode before the question: a key typed as soon as the question appears must not be echoed.
  setRawMode(true);
  output.write(question);
  return new Promise<string>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let line = '';
    const finish = (error: Error | undefined): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      setRawMode(false);
      input.pause();
      output.write('\n');
      if (error === undefined) resolve(line);
      else reject(error);
    };
    const onEnd = (): void => finish(new CancelledError());
    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      for (const char of text) {
        if (char === '\r' || char === '\n') return finish(undefined);
        if (char === CTRL_C || (char === CTRL_D && line.length === 0)) return finish(new CancelledError());
        if (BACKSPACE.has(char)) {
          if (line.length > 0) {
            line = [...line].slice(0, -1).join('');
            if (echo) output.write('\b \b');
          }
        } else if (char === CTRL_U) {
          if (echo) output.write('\b \b'.repeat([...line].length));
          line = '';
        } else if (char >= ' ') {
          line += char;
          if (echo) output.write(char);
        }
      }
    };
    input.on('data', onData);
    input.once('end', onEnd);
    input.resume();
  });
}

/**
 * Reads a non-terminal stdin line by line, on demand: the password is the first line, an MFA code (if
 * Cognito asks) the next. Line ends (`\n`, `\r\n`) are removed, nothing else.
 */
export class LineReader {
  readonly #input: CliInput;
  readonly #decoder = new StringDecoder('utf8');
  #buffer = '';
  #ended = false;
  #started = false;
  #waiter: (() => void) | undefined;

  constructor(input: CliInput) {
    this.#input = input;
  }

  /** The next line, or `undefined` when stdin has ended. */
  async next(): Promise<string | undefined> {
    this.#start();
    for (;;) {
      const newline = this.#buffer.indexOf('\n');
      if (newline >= 0) {
        const line = this.#buffer.slice(0, newline).replace(/\r$/, '');
        this.#buffer = this.#buffer.slice(newline + 1);
        if (!this.#hasNewline()) this.#input.pause();
        return line;
      }
      if (this.#ended) {
        const rest = this.#buffer;
        this.#buffer = '';
        return rest.length > 0 ? rest.replace(/\r$/, '') : undefined;
      }
      this.#input.resume();
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
  }

  /** Everything left on stdin. */
  async rest(): Promise<string> {
    const lines: string[] = [];
    for (let line = await this.next(); line !== undefined; line = await this.next()) lines.push(line);
    return lines.join('\n');
  }

  #hasNewline(): boolean {
    return this.#buffer.includes('\n');
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const wake = (): void => {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter?.();
    };
    this.#input.on('data', (chunk: Buffer | string) => {
      this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
      wake();
    });
    this.#input.once('end', () => {
      this.#buffer += this.#decoder.end();
      this.#ended = true;
      wake();
    });
    this.#input.once('error', () => {
      this.#ended = true;
      wake();
    });
  }
}
