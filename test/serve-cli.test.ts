/**
 * `fr2en serve` as a user runs it: flags checked before anything starts, one-line errors, JSON
 * log lines on stderr, and SIGTERM stopping it cleanly: no new connections, the request in flight
 * answered in full, exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { TINY_MODEL_DIR } from './helpers/models.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  lines: Array<Record<string, unknown>>;
  exit: Promise<number | null>;
}

/** Starts `fr2en serve` on a free port and waits for its `ready` event. */
async function startServe(extra: string[] = []): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--model', TINY_MODEL_DIR, '--dtype', 'fp32', '--workers', '1', '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FR2EN_OFFLINE: '1' },
  });
  const lines: Array<Record<string, unknown>> = [];
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let buffer = '';
  const ready = new Promise<string>((resolve, reject) => {
    let url = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const part of parts) {
        const line = JSON.parse(part) as Record<string, unknown>;
        lines.push(line);
        if (line.event === 'listening') url = String(line.url);
        if (line.event === 'ready') resolve(url);
      }
    });
    void exit.then((code) => reject(new Error(`fr2en serve exited with ${code} before it was ready: ${buffer}`)));
  });
  return { child, url: await ready, lines, exit };
}

describe('fr2en serve (CLI)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-serve-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [['--port', '70000'], 'Expected --port to be an integer from 0 to 65535, got 70000'],
    [['--cors', 'example.org'], 'Expected --cors to be an origin such as https://example.org'],
    [['--max-chars', '0'], 'Expected --max-chars to be an integer from 1'],
    [['--request-timeout', '0'], 'Expected --request-timeout to be a number of seconds > 0, got 0'],
    [['--workers', '0'], 'Expected --workers to be an integer from 1 to 64, got 0'],
    [['--qa', 'nope'], '--qa: unknown check "nope"'],
    [['--redis', 'http://x'], 'Expected --redis to be a URL such as redis://localhost:6379'],
    [['--model', './no/such/model'], '--model ./no/such/model: no such folder'],
  ])('%j is a usage error (exit 2) before anything starts', async (flags, message) => {
    const result = await runCli(['serve', ...(flags.includes('--model') ? [] : ['--model', TINY_MODEL_DIR]), ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unreadable or empty key file is one line naming the file (exit 1)', async () => {
    const missing = await runCli(['serve', '--model', TINY_MODEL_DIR, '--api-keys', path.join(dir, 'none.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`fr2en: ${path.join(dir, 'none.txt')}: cannot read the API key file (ENOENT)\n`);
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '# no keys yet\n');
    expect((await runCli(['serve', '--api-keys', empty])).stderr).toBe(`fr2en: ${empty}: no API key in the file (one key per line)\n`);
  });

  it('logs JSON lines, refuses a port in use, and on SIGTERM finishes the request in flight, then exits 0', async () => {
    const keys = path.join(dir, 'keys.txt');
    writeFileSync(keys, 'cli-key-1\n');
    const serve = await startServe(['--api-keys', keys]);
    try {
      expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(serve.lines[0]).toMatchObject({ event: 'listening', keys: 1 });
      expect(serve.lines.find((line) => line.event === 'ready')).toMatchObject({ model: TINY_MODEL_DIR, workers: 1, backend: 'local' });

      const port = new URL(serve.url).port;
      const clash = await runCli(['serve', '--model', TINY_MODEL_DIR, '--dtype', 'fp32', '--workers', '1', '--port', port]);
      expect(clash.code).toBe(1);
      expect(clash.stderr).toBe(`fr2en: --port ${port}: address already in use on 127.0.0.1\n`);

      const text = Array.from({ length: 150 }, (_, i) => `Le paragraphe numéro ${i + 1} décrit la séance du conseil municipal.`).join('\n\n');
      const inFlight = fetch(`${serve.url}/v1/translate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer cli-key-1' },
        body: JSON.stringify({ text }),
      });
      // Wait until the request is admitted, then ask the server to stop.
      for (;;) {
        const metrics = await (await fetch(`${serve.url}/metrics`)).text();
        if (/^fr2en_admitted_sentences [1-9]/m.test(metrics)) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      serve.child.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(200);
      const document = (await response.json()) as { paragraphs: unknown[] };
      expect(document.paragraphs).toHaveLength(150);
      expect(await serve.exit).toBe(0);
      await expect(fetch(`${serve.url}/healthz`)).rejects.toThrow();
      // The request in flight is logged after `stopping`: it was finished, not cut.
      const events = serve.lines.map((line) => (line.path === '/v1/translate' ? 'translate' : line.event));
      expect(events.slice(-3)).toEqual(['stopping', 'translate', 'stopped']);
      const request = serve.lines.find((line) => line.event === 'request' && line.path === '/v1/translate')!;
      expect(request).toMatchObject({ status: 200, authenticated: true, texts: 1, sentences: 150 });
      expect(JSON.stringify(serve.lines)).not.toMatch(/cli-key-1|conseil municipal/);
    } finally {
      serve.child.kill('SIGKILL');
    }
  });
});
