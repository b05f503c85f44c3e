/** The streams a command talks to; injected so tests can run commands in-process. */
export interface CliIo {
  /** Read as bytes (never `setEncoding`): the reader detects the encoding itself. */
  stdin: AsyncIterable<Uint8Array>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** What `run` turns a bare `-` argument into, since yargs would drop it; see `stdinArgs`. */
export const STDIN_PLACEHOLDER = '\u0000stdin';
/** Marks an argument after `--`: a file name, even when it starts with `-`. */
export const LITERAL_PREFIX = '\u0000arg:';

/**
 * Prepares raw arguments for yargs: a bare `-` (standard input) becomes a placeholder, and after
 * `--` every argument is a positional, even one that starts with `-` (the `--` itself goes).
 */
export function protectArgs(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  const literal = end < 0 ? [] : argv.slice(end + 1);
  return [
    ...options.map((arg) => (arg === '-' ? STDIN_PLACEHOLDER : arg)),
    ...literal.map((arg) => (arg === '-' ? STDIN_PLACEHOLDER : `${LITERAL_PREFIX}${arg}`)),
  ];
}

/** Restores positional arguments protected by `protectArgs` (a yargs `coerce`). */
export function stdinArgs(values: string[]): string[] {
  return values.map((value) => (value === STDIN_PLACEHOLDER ? '-' : value.startsWith(LITERAL_PREFIX) ? value.slice(LITERAL_PREFIX.length) : value));
}

/**
 * Text safe to print in a one-line message: control characters (C0, DEL, C1), line and paragraph
 * separators and bidirectional overrides are shown as escapes, so that a file named with
 * `ESC]0;...` or a newline can neither drive the terminal nor forge a line of output.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Whether ANSI colour goes to a stream: FORCE_COLOR forces it, NO_COLOR forbids it, else a terminal gets it. */
export function colorFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY);
}
