/**
 * Output paths mirror input paths under `-o`; an input name must never make fr2en write
 * elsewhere. `safeOutputPath` checks the name lexically (no absolute path, no `..` segment, no
 * NUL) and then on disk (no symbolic link inside the output folder leading out of it).
 *
 * The disk check is a check, not a lock: a link created between the check and the write is not
 * seen. The writer renames a temporary file into place, which replaces a link at the target
 * rather than following it.
 */
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.js';

/**
 * Splits a relative path (either separator) into segments, or says why it cannot be one.
 * `.` and empty segments are dropped; `..` is refused even when it would stay inside
 * (`a/../b`): no real input produces it, and refusing is simpler to trust.
 */
export function relativeSegments(relPath: string): { ok: true; segments: string[] } | { ok: false; problem: string } {
  if (relPath.includes('\0')) return { ok: false, problem: 'output name contains a NUL character' };
  if (path.posix.isAbsolute(relPath) || path.win32.isAbsolute(relPath) || /^[A-Za-z]:/.test(relPath)) {
    return { ok: false, problem: `output name ${JSON.stringify(relPath)} is an absolute path` };
  }
  const segments = relPath.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { ok: false, problem: `output name ${JSON.stringify(relPath)} contains '..'` };
  if (segments.length === 0) return { ok: false, problem: `output name ${JSON.stringify(relPath)} is empty` };
  return { ok: true, segments };
}

/** Whether `child` is `parent` or lies below it (both absolute). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return !path.isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${path.sep}`);
}

/** The real path of the deepest existing ancestor of `target` (itself included), and the rest. */
function realpathOfExisting(target: string): { real: string; rest: string[] } {
  const rest: string[] = [];
  let current = target;
  for (;;) {
    let exists = true;
    try {
      lstatSync(current); // a dangling link exists too: realpathSync then throws, and we refuse
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      exists = false;
    }
    if (exists) return { real: path.join(realpathSync(current), ...rest), rest };
    const parent = path.dirname(current);
    if (parent === current) return { real: path.join(current, ...rest), rest };
    rest.unshift(path.basename(current));
    current = parent;
  }
}

/**
 * The absolute path where the output for `relPath` goes under `outDir`. Throws
 * `InputError('path-escape')` (its `file` is `relPath`) when the name is absolute, contains `..`
 * or NUL, or when an existing symbolic link under `outDir` (a folder, or the target itself)
 * points outside `outDir`. `outDir` need not exist yet.
 */
export function safeOutputPath(outDir: string, relPath: string): string {
  const checked = relativeSegments(relPath);
  if (!checked.ok) throw new InputError('path-escape', relPath, `${checked.problem}; refusing to write outside the output folder`);
  const root = path.resolve(outDir);
  const target = path.join(root, ...checked.segments);
  if (!isInside(root, target)) {
    throw new InputError('path-escape', relPath, 'output path would be outside the output folder');
  }
  let realRoot: string;
  let realTarget: string;
  try {
    realRoot = realpathOfExisting(root).real;
    realTarget = realpathOfExisting(target).real;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A dangling link, or a loop: it could be made to point anywhere; refuse.
    throw new InputError('path-escape', relPath, `output path goes through a broken symbolic link (${code ?? 'error'})`, { cause: error });
  }
  if (!isInside(realRoot, realTarget)) {
    throw new InputError('path-escape', relPath, `output path leads through a symbolic link to ${realTarget}, outside the output folder`);
  }
  return target;
}
