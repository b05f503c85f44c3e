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

/** Restores `-` in positional arguments (a yargs `coerce`). */
export function stdinArgs(values: string[]): string[] {
  return values.map((value) => (value === STDIN_PLACEHOLDER ? '-' : value));
}
