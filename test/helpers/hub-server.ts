/**
 * A stand-in for the Hugging Face hub on 127.0.0.1, in its URL layout and with its headers:
 * `GET|HEAD /{owner}/{name}/resolve/{revision}/{path}`.
 * - Files kept "in git" (everything but *.onnx): 200 with `ETag: "<git blob sha1>"`.
 * - "LFS" files (*.onnx): 302 to a CDN on a second port (another origin, as the real CDN is), with
 *   `X-Linked-Etag: "<sha256>"`, `X-Linked-Size`, `X-Repo-Commit` and `ETag`. The CDN has its own
 *   ETag (not the sha256, like S3) and honours Range and If-Range.
 * - 404 with `X-Error-Code` RepoNotFound / RevisionNotFound / EntryNotFound.
 * Options cut connections after N bytes, ignore Range, require a token; every request is logged.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, relative, sep } from 'node:path';

export interface HubRequestLog {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range: string | undefined;
  ifRange: string | undefined;
  authorization: string | undefined;
  status: number;
  /** Body bytes written (0 for HEAD and redirects). */
  bytes: number;
}

export interface HubServerOptions {
  /** model id -> (file path -> content). Use `filesFromFolder` to serve a folder. */
  models: Record<string, Record<string, Buffer | string>>;
  /** The commit every revision resolves to. */
  commit?: string;
  /** When set, hub requests without `Authorization: Bearer <token>` get 401. */
  token?: string;
  /** Cut the connection after this many body bytes of a file response (a download cut mid-file). */
  cutAfterBytes?: number;
  /** How many responses to cut; afterwards serve normally. @default Infinity */
  cutTimes?: number;
  /** Only cut responses for paths ending with this. */
  cutPathSuffix?: string;
  /** Answer Range requests with the whole file (200), as some servers do. */
  ignoreRange?: boolean;
  /** Serve LFS files directly from the hub origin instead of redirecting to the CDN. */
  noCdn?: boolean;
  /** Leave out X-Linked-Etag / X-Linked-Size (a mirror that does not send them). */
  noLinkedHeaders?: boolean;
  /** ETags that are neither a sha256 nor a git sha1 (a mirror's own scheme). */
  opaqueEtags?: boolean;
}

export interface HubServer {
  /** `http://127.0.0.1:<port>`, what `--hub-url` takes. */
  url: string;
  cdnUrl: string;
  requests: HubRequestLog[];
  /** TCP connections accepted by the hub and CDN together. */
  connections(): number;
  /** Body bytes served by both. */
  bytesServed(): number;
  /** Replace a file's content (the remote file "changed"). */
  setFile(model: string, path: string, content: Buffer | string): void;
  options: HubServerOptions;
  close(): Promise<void>;
}

export function gitBlobSha1(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function isLfs(path: string): boolean {
  return path.endsWith('.onnx');
}

/** Every file under `folder` keyed by its `/`-separated relative path. */
export function filesFromFolder(folder: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (!name.startsWith('.')) out[relative(folder, full).split(sep).join('/')] = readFileSync(full);
    }
  };
  walk(folder);
  return out;
}

interface Entry {
  content: Buffer;
  sha256: string;
  gitSha1: string;
}

export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const commit = options.commit ?? 'c0ffee0000000000000000000000000000000001';
  const store = new Map<string, Map<string, Entry>>();
  const setFile = (model: string, path: string, content: Buffer | string) => {
    const buf = Buffer.isBuffer(content) ? content : Buffer.from(content);
    if (!store.has(model)) store.set(model, new Map());
    store.get(model)!.set(path, { content: buf, sha256: sha256(buf), gitSha1: gitBlobSha1(buf) });
  };
  for (const [model, files] of Object.entries(options.models)) for (const [p, c] of Object.entries(files)) setFile(model, p, c);

  const requests: HubRequestLog[] = [];
  let connections = 0;
  let cuts = 0;
  const sockets = new Set<Socket>();

  const log = (server: 'hub' | 'cdn', req: IncomingMessage, status: number, bytes: number) => {
    requests.push({
      server,
      method: req.method ?? '',
      path: req.url ?? '',
      range: req.headers.range,
      ifRange: req.headers['if-range'] as string | undefined,
      authorization: req.headers.authorization,
      status,
      bytes,
    });
  };

  /** Sends `entry` honouring Range/If-Range; may cut the connection mid-body. */
  const sendFile = (server: 'hub' | 'cdn', req: IncomingMessage, res: ServerResponse, entry: Entry, headers: Record<string, string>, etag: string, path: string) => {
    const total = entry.content.length;
    let start = 0;
    let end = total - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (range && !options.ignoreRange && (ifRange === undefined || ifRange === etag)) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), total - 1) : total - 1;
      if (start >= total) {
        res.writeHead(416, { 'content-range': `bytes */${total}` }).end();
        log(server, req, 416, 0);
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${total}`;
    }
    const body = entry.content.subarray(start, end + 1);
    res.writeHead(status, { ...headers, etag, 'accept-ranges': 'bytes', 'content-length': String(body.length) });
    if (req.method === 'HEAD') {
      res.end();
      log(server, req, status, 0);
      return;
    }
    const cutting =
      options.cutAfterBytes !== undefined &&
      cuts < (options.cutTimes ?? Infinity) &&
      (options.cutPathSuffix === undefined || path.endsWith(options.cutPathSuffix)) &&
      body.length > options.cutAfterBytes;
    if (cutting) {
      cuts++;
      const sent = body.subarray(0, options.cutAfterBytes);
      res.write(sent, () => {
        // Give the bytes time to leave, then drop the connection as a network failure would.
        // (A reset may still lose some in flight on a busy machine: the client resumes from what
        // it actually received.)
        setTimeout(() => res.socket?.destroy(), 20);
      });
      log(server, req, status, sent.length);
      return;
    }
    res.end(body);
    log(server, req, status, body.length);
  };

  const notFound = (server: 'hub' | 'cdn', req: IncomingMessage, res: ServerResponse, code: string) => {
    res.writeHead(404, { 'x-error-code': code, 'content-type': 'text/plain' }).end(`${code}\n`);
    log(server, req, 404, 0);
  };

  let cdnUrl = '';
  const hub = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'x-error-code': 'RepoNotFound' }).end('Unauthorized\n');
      log('hub', req, 401, 0);
      return;
    }
    const m = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!m) return notFound('hub', req, res, 'RepoNotFound');
    const model = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`;
    const revision = decodeURIComponent(m[3]!);
    const path = m[4]!.split('/').map(decodeURIComponent).join('/');
    const files = store.get(model);
    if (!files) return notFound('hub', req, res, 'RepoNotFound');
    if (revision !== 'main' && revision !== commit) return notFound('hub', req, res, 'RevisionNotFound');
    const entry = files.get(path);
    if (!entry) return notFound('hub', req, res, 'EntryNotFound');
    const common: Record<string, string> = { 'x-repo-commit': commit };
    if (isLfs(path)) {
      const linked: Record<string, string> = options.noLinkedHeaders
        ? {}
        : { 'x-linked-etag': `"${entry.sha256}"`, 'x-linked-size': String(entry.content.length) };
      if (options.noCdn) {
        sendFile('hub', req, res, entry, { ...common, ...linked }, options.opaqueEtags ? `"v-${entry.sha256.slice(0, 12)}"` : `"${entry.sha256}"`, path);
        return;
      }
      const location = `${cdnUrl}/repos/${entry.sha256}?model=${encodeURIComponent(model)}&path=${encodeURIComponent(path)}&X-Sig=secret`;
      res.writeHead(302, { ...common, ...linked, etag: `"${entry.sha256}"`, location, 'content-length': '0' }).end();
      log('hub', req, 302, 0);
      return;
    }
    sendFile('hub', req, res, entry, common, options.opaqueEtags ? `"v-${entry.gitSha1.slice(0, 12)}"` : `"${entry.gitSha1}"`, path);
  });

  const cdn = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const model = url.searchParams.get('model') ?? '';
    const path = url.searchParams.get('path') ?? '';
    const entry = store.get(model)?.get(path);
    // The CDN serves by content hash: a URL for old content is gone once the file changed.
    if (!entry || url.pathname !== `/repos/${entry.sha256}`) return notFound('cdn', req, res, 'NoSuchKey');
    // An S3-style ETag: a validator for If-Range, but not the sha256.
    const etag = `"${createHash('md5').update(entry.content).digest('hex')}"`;
    sendFile('cdn', req, res, entry, {}, etag, path);
  });

  for (const server of [hub, cdn]) {
    server.on('connection', (socket: Socket) => {
      connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  const listen = (server: Server) =>
    new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  const hubUrl = await listen(hub);
  cdnUrl = await listen(cdn);

  return {
    url: hubUrl,
    cdnUrl,
    requests,
    options,
    connections: () => connections,
    bytesServed: () => requests.reduce((sum, r) => sum + r.bytes, 0),
    setFile,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([hub, cdn].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

/** A port nothing listens on: bind, note the port, close. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * A hand-made Marian-shaped model (valid JSON files, random bytes for the ONNX files): enough for
 * download, resume and verification tests, which never run the graphs. Sizes are chosen so that a
 * download takes several chunks.
 */
export function fakeMarianFiles(options: { onnxBytes?: number; seed?: number } = {}): Record<string, Buffer> {
  const n = options.onnxBytes ?? 300_000;
  let state = options.seed ?? 1;
  const bytes = (len: number) => {
    const b = Buffer.alloc(len);
    for (let i = 0; i < len; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      b[i] = state >>> 24;
    }
    return b;
  };
  const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`);
  return {
    'config.json': json({
      model_type: 'marian',
      is_encoder_decoder: true,
      architectures: ['MarianMTModel'],
      d_model: 16,
      encoder_layers: 1,
      decoder_layers: 1,
      encoder_attention_heads: 2,
      decoder_attention_heads: 2,
      vocab_size: 32,
      decoder_start_token_id: 31,
      pad_token_id: 31,
      eos_token_id: 0,
    }),
    'generation_config.json': json({ decoder_start_token_id: 31, eos_token_id: 0, max_length: 64 }),
    'tokenizer.json': json({ version: '1.0', model: { type: 'Unigram', vocab: [['</s>', 0]] } }),
    'tokenizer_config.json': json({ tokenizer_class: 'MarianTokenizer' }),
    'onnx/encoder_model.onnx': bytes(n),
    'onnx/decoder_model_merged.onnx': bytes(n + 1000),
    'onnx/encoder_model_quantized.onnx': bytes(Math.floor(n / 4)),
    'onnx/decoder_model_merged_quantized.onnx': bytes(Math.floor(n / 4) + 1000),
  };
}
