/**
 * The package ships what it runs, and runs where it is installed: `npm pack` lists no test tools,
 * no source maps and a LICENSE; the tarball installed into an empty project (with the install
 * settings the README gives: no CUDA download) runs the CLI and the library, from ESM and from
 * CommonJS. Needs the npm registry, as `npm ci` does; uses the compiled dist/ (`npm run build`).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { TINY_MODEL_DIR } from './helpers/models.js';

const run = promisify(execFile);
const ROOT = path.resolve('.');
const built = existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'));
// The README's install line for consumers: onnxruntime-node's CPU binaries ship in its package;
// its install script would only fetch CUDA ones.
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };

describe.skipIf(!built)('the published package', () => {
  let tarball: string;
  let files: string[];
  let project: string;

  beforeAll(async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'fr2en-pack-'));
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: ROOT, env });
    const [info] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    tarball = path.join(out, info.filename);
    files = info.files.map((file) => file.path);

    project = mkdtempSync(path.join(tmpdir(), 'fr2en-consumer-'));
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    await run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, env, maxBuffer: 16 << 20 });
  }, 600_000);

  it('lists no test tools, no source maps, and a LICENSE', () => {
    expect(files).toContain('LICENSE');
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.filter((file) => file.includes('modelgen'))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('src/') || file.startsWith('test/'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.repository).toBeTruthy();
    expect(manifest.bugs).toBeTruthy();
    expect(manifest.homepage).toBeTruthy();
    expect(Object.keys(manifest.dependencies as object)).not.toContain('protobufjs');
  });

  it('runs the CLI from the installed package', async () => {
    const cli = path.join(project, 'node_modules', '.bin', 'fr2en');
    const version = await run(cli, ['--version'], { cwd: project, env });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const input = path.join(project, 'article.txt');
    writeFileSync(input, 'Le conseil municipal a voté le budget. La séance est levée.\n');
    const out = path.join(project, 'out');
    await run(cli, ['translate', input, '-o', out, '--model', TINY_MODEL_DIR, '--workers', '1', '--format', 'txt,jsonl'], { cwd: project, env });
    const records = readFileSync(path.join(out, 'article.fr-en.jsonl'), 'utf8').trim().split('\n');
    expect(records).toHaveLength(2);
  });

  const library = (call: string) => `
    const text = 'Le conseil municipal a voté le budget.';
    const translator = await Translator.create({ model: ${JSON.stringify(TINY_MODEL_DIR)}, workers: 1 });
    const doc = await translator.translateText(text);
    await translator.close();
    console.log(JSON.stringify({ pairs: doc.paragraphs[0].pairs.length, md: renderDocument(doc, 'md').length > 0, call: ${JSON.stringify(call)} }));`;

  it('works as an ES module', async () => {
    const script = path.join(project, 'esm.mjs');
    writeFileSync(script, `import { Translator, renderDocument } from 'fr2en';\n${library('esm')}`);
    const { stdout } = await run(process.execPath, [script], { cwd: project, env });
    expect(JSON.parse(stdout)).toEqual({ pairs: 1, md: true, call: 'esm' });
  });

  it('works from CommonJS', async () => {
    const script = path.join(project, 'cjs.cjs');
    writeFileSync(script, `const { Translator, renderDocument } = require('fr2en');\n(async () => {${library('cjs')}})();`);
    const { stdout } = await run(process.execPath, [script], { cwd: project, env });
    expect(JSON.parse(stdout)).toEqual({ pairs: 1, md: true, call: 'cjs' });
  });
});
