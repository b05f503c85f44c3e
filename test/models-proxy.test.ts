import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHubFetch, downloadModel, resolveModelEnv } from '../src/models/index.js';
import { fakeMarianFiles, startHubServer, type HubServer } from './helpers/hub-server.js';

const ID = 'Xenova/opus-mt-fr-en';
let dir: string;
let hub: HubServer;
let proxy: Server;
let proxyUrl: string;
const seen: string[] = [];

/** A minimal HTTP proxy: CONNECT tunnels and absolute-form forwarding, logging each. */
async function startProxy(): Promise<void> {
  proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fr2en-proxy-'));
  hub = await startHubServer({ models: { [ID]: fakeMarianFiles({ onnxBytes: 50_000 }) } });
  seen.length = 0;
  await startProxy();
});
afterEach(async () => {
  await hub.close();
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('HTTP(S)_PROXY', () => {
  it('uses plain fetch without a proxy variable', () => {
    expect(createHubFetch({}).proxy).toBeUndefined();
  });

  it('chooses the proxy dispatcher when HTTPS_PROXY is set', () => {
    expect(createHubFetch({ HTTPS_PROXY: 'http://proxy.example:3128' }).proxy).toBe('http://proxy.example:3128');
    expect(createHubFetch({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' }).proxy).toBe('http://a:1');
  });

  it('sends every request (hub and CDN) through the proxy', async () => {
    const { fetch, proxy: chosen } = createHubFetch({ HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: '' });
    expect(chosen).toBe(proxyUrl);
    await downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url, fetch });
    const hubHost = new URL(hub.url).host;
    const cdnHost = new URL(hub.cdnUrl).host;
    expect(seen.some((s) => s.includes(hubHost))).toBe(true);
    expect(seen.some((s) => s.includes(cdnHost))).toBe(true);
    expect(hub.requests.filter((r) => r.method === 'GET' && r.status === 200).length).toBeGreaterThanOrEqual(6);
  });

  it('NO_PROXY bypasses it', async () => {
    const { fetch } = createHubFetch({ HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' });
    await downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url, fetch });
    expect(seen).toEqual([]);
  });
});

describe('resolveModelEnv', () => {
  it('reads HF_ENDPOINT, HF_TOKEN, the offline flags and FR2EN_MODELS_DIR', () => {
    expect(resolveModelEnv({})).toEqual({ hubUrl: undefined, token: undefined, offline: false, modelsDir: undefined });
    expect(resolveModelEnv({ HF_ENDPOINT: 'https://mirror.example', HF_TOKEN: 'hf_x', FR2EN_MODELS_DIR: '/m' })).toEqual({
      hubUrl: 'https://mirror.example',
      token: 'hf_x',
      offline: false,
      modelsDir: '/m',
    });
    for (const name of ['FR2EN_OFFLINE', 'HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE']) {
      expect(resolveModelEnv({ [name]: '1' }).offline).toBe(true);
      expect(resolveModelEnv({ [name]: 'TRUE' }).offline).toBe(true);
      expect(resolveModelEnv({ [name]: '0' }).offline).toBe(false);
    }
  });
});
