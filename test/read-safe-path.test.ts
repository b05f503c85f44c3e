import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, safeOutputPath } from '../src/read/index.js';

const root = mkdtempSync(path.join(tmpdir(), 'fr2en-safe-'));
const out = path.join(root, 'out');
const outside = path.join(root, 'outside');
mkdirSync(path.join(out, 'ok'), { recursive: true });
mkdirSync(outside, { recursive: true });
symlinkSync(outside, path.join(out, 'evil'));
symlinkSync(path.join(out, 'ok'), path.join(out, 'good'));
symlinkSync(path.join(outside, 'file.txt'), path.join(out, 'target.txt'));
symlinkSync(path.join(root, 'missing-dir'), path.join(out, 'dangling'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function escape(outDir: string, rel: string): InputError {
  try {
    safeOutputPath(outDir, rel);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`${rel} was accepted`);
}

describe('safeOutputPath', () => {
  it('joins ordinary relative paths under the output folder', () => {
    expect(safeOutputPath(out, 'a.txt')).toBe(path.join(out, 'a.txt'));
    expect(safeOutputPath(out, 'sub/dir/b.txt')).toBe(path.join(out, 'sub/dir/b.txt'));
    expect(safeOutputPath(out, './c..d.txt')).toBe(path.join(out, 'c..d.txt'));
    expect(safeOutputPath(path.join(root, 'not-yet'), 'x/y.txt')).toBe(path.join(root, 'not-yet/x/y.txt'));
  });

  it('follows a link inside the output folder that stays inside', () => {
    expect(safeOutputPath(out, 'good/a.txt')).toBe(path.join(out, 'good/a.txt'));
  });

  for (const rel of ['../x.txt', 'a/../../x.txt', 'a/../b.txt', '..\\x.txt', '/etc/passwd', 'C:\\x.txt', '\\\\server\\share\\x', 'a\0b', '', '.']) {
    it(`refuses ${JSON.stringify(rel)}`, () => {
      const error = escape(out, rel);
      expect(error.reason).toBe('path-escape');
      expect(error.file).toBe(rel);
      expect(error.message).toMatch(/refusing to write outside the output folder|outside the output folder/);
    });
  }

  it('refuses a path through a symbolic link that leads outside', () => {
    expect(escape(out, 'evil/x.txt').message).toMatch(/symbolic link.*outside the output folder/);
    expect(escape(out, 'target.txt').reason).toBe('path-escape');
  });

  it('refuses a path through a dangling link', () => {
    expect(escape(out, 'dangling/x.txt').message).toMatch(/broken symbolic link/);
  });
});
