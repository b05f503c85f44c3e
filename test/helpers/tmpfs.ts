/**
 * Small real file systems for write-error tests: a tmpfs of a few kilobytes (a full disk) or
 * mounted read-only. Mounting needs root (CI runs as root); elsewhere `mountTmpfs` returns
 * undefined and the test skips with a message.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Tmpfs {
  dir: string;
  unmount(): void;
}

export function mountTmpfs(options: { sizeKiB: number; readOnly?: boolean }): Tmpfs | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-tmpfs-'));
  const flags = [`size=${options.sizeKiB}k`, ...(options.readOnly ? ['ro'] : [])].join(',');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', flags, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const canMount = (() => {
  const probe = mountTmpfs({ sizeKiB: 16 });
  probe?.unmount();
  if (probe === undefined) console.warn('fr2en tests: cannot mount a tmpfs here (needs root): the full-disk and read-only file system tests are skipped');
  return probe !== undefined;
})();
