/**
 * Where a worker script lives. Compiled code runs `dist/.../x.js`; tests and `tsx` scripts run the
 * TypeScript source, whose workers then need tsx's loader too.
 */
export function workerFile(relativeJs: string, base: string): { filename: string; execArgv: string[] } {
  if (base.endsWith('.ts')) {
    // tsx resolved from here, not from the current folder, which may be anywhere.
    return { filename: new URL(relativeJs.replace(/\.js$/, '.ts'), base).href, execArgv: ['--import', import.meta.resolve('tsx')] };
  }
  return { filename: new URL(relativeJs, base).href, execArgv: [] };
}
