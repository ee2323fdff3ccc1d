import type { Ui } from './ui.js';

/** A {@link Ui} that records output in memory (for tests and for embedding the CLI). */
export interface MemoryUi extends Ui {
  /** Everything written to stdout. */
  stdout(): string;
  /** Everything written to stderr. */
  stderr(): string;
}

/** Creates a memory UI; `stdin` is what `-` reads, `files` what `@file` reads. */
export function memoryUi(opts: { stdin?: string; files?: Record<string, string>; env?: Record<string, string>; tty?: boolean; hidden?: string } = {}): MemoryUi {
  let out = '';
  let err = '';
  return {
    out: (t) => {
      out += `${t}\n`;
    },
    raw: (t) => {
      out += t;
    },
    err: (t) => {
      err += `${t}\n`;
    },
    stdoutIsTTY: opts.tty ?? false,
    stdinIsTTY: opts.tty ?? false,
    readStdin: async () => opts.stdin ?? '',
    readHidden: async (prompt) => {
      err += prompt;
      if (opts.hidden === undefined) throw new Error('stdin is not a terminal');
      err += '\n';
      return opts.hidden;
    },
    env: opts.env ?? {},
    readFile: (p) => {
      const f = opts.files?.[p];
      if (f === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      return f;
    },
    stdout: () => out,
    stderr: () => err,
  };
}
