import { readFileSync } from 'node:fs';

/**
 * Where a command's output goes. `out` is stdout, `err` is stderr (errors and warnings, as mitchellh/cli's
 * BasicUi does); both append a newline. Tests substitute a buffer.
 */
export interface Ui {
  /** Writes a line to stdout. */
  out(text: string): void;
  /** Writes to stdout without a trailing newline. */
  raw(text: string): void;
  /** Writes a line to stderr. */
  err(text: string): void;
  /** Whether stdout is a terminal (raw field values get a newline only then). */
  readonly stdoutIsTTY: boolean;
  /** Whether stdin is a terminal (hidden prompts need one). */
  readonly stdinIsTTY: boolean;
  /** All of stdin, as text. */
  readStdin(): Promise<string>;
  /** Prompts on stderr and reads one line from the terminal without echoing it. */
  readHidden(prompt: string): Promise<string>;
  /** The environment the command sees. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file named on the command line (`@file` values). */
  readFile(path: string): string;
}

/** Reads one line from a TTY stdin with echo turned off. */
async function readHiddenFromTTY(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const finish = (err?: Error): void => {
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new Error('interrupted'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The real terminal. */
export function processUi(): Ui {
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    raw: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(`${t}\n`),
    stdoutIsTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    readHidden: async (prompt) => {
      if (process.stdin.isTTY !== true) throw new Error('stdin is not a terminal');
      return readHiddenFromTTY(prompt);
    },
    env: process.env,
    readFile: (p) => readFileSync(p, 'utf8'),
  };
}
