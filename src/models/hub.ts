/**
 * Talking to the Hugging Face hub (or a mirror in the same URL layout).
 *
 * What fr2en relies on, as the hub serves `GET|HEAD {hub}/{owner}/{name}/resolve/{revision}/{path}`:
 * - A file stored with Git LFS (the .onnx weights) answers 302 to a CDN. That redirect carries
 *   `X-Linked-Etag` (the file's SHA-256, quoted), `X-Linked-Size` (its size in bytes),
 *   `X-Repo-Commit` (the commit the revision resolved to) and `ETag`. The CDN's own ETag is
 *   something else (an S3-style hash), so metadata is read from the hub's responses, not the CDN's.
 * - A small file kept in git itself (the JSON files) answers 200 directly; its `ETag` is the git
 *   blob SHA-1 (`sha1("blob <size>\0" + content)`), possibly weak (`W/"..."`), and
 *   `Content-Length` is its size.
 * - An unknown repository, file or revision is 404 (with `X-Error-Code` RepoNotFound,
 *   EntryNotFound or RevisionNotFound); a private one without a valid token is 401.
 * These are the same headers huggingface_hub's `get_hf_file_metadata` reads.
 *
 * Redirects are followed by hand (`redirect: 'manual'`) so that the hub's headers can be read and
 * the `Authorization` header is only ever sent to the hub's own origin, never to the CDN.
 */
import { ModelError } from './errors.js';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

/** The subset of `fetch` fr2en uses; injectable for tests and for the proxy dispatcher. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type EnvLike = Readonly<Record<string, string | undefined>>;

/** Model settings that come from environment variables, resolved once by the caller. */
export interface ModelEnv {
  /** `HF_ENDPOINT`: a mirror or private hub. */
  hubUrl: string | undefined;
  /** `HF_TOKEN` (or the older `HF_ACCESS_TOKEN`): sent as `Authorization: Bearer` to the hub only. */
  token: string | undefined;
  /** `FR2EN_OFFLINE`, `HF_HUB_OFFLINE` or `TRANSFORMERS_OFFLINE` set to 1/true/yes/on. */
  offline: boolean;
  /** `FR2EN_MODELS_DIR`. */
  modelsDir: string | undefined;
}

/** huggingface_hub's notion of a true environment flag. */
export function isTruthyEnv(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

export function resolveModelEnv(env: EnvLike): ModelEnv {
  const nonEmpty = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  return {
    hubUrl: nonEmpty(env.HF_ENDPOINT),
    token: nonEmpty(env.HF_TOKEN) ?? nonEmpty(env.HF_ACCESS_TOKEN),
    offline: isTruthyEnv(env.FR2EN_OFFLINE) || isTruthyEnv(env.HF_HUB_OFFLINE) || isTruthyEnv(env.TRANSFORMERS_OFFLINE),
    modelsDir: nonEmpty(env.FR2EN_MODELS_DIR),
  };
}

/** `{hub}/{owner}/{name}/resolve/{revision}/{path}`, each segment escaped. */
export function hubFileUrl(hubUrl: string, modelId: string, revision: string, path: string): string {
  const base = hubUrl.replace(/\/+$/, '');
  const enc = (s: string) => s.split('/').map(encodeURIComponent).join('/');
  return `${base}/${enc(modelId)}/resolve/${encodeURIComponent(revision)}/${enc(path)}`;
}

/** Strips the weak marker and quotes: `W/"abc"` -> `abc`. */
export function normalizeEtag(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return value.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** A strong ETag can validate `If-Range`; a weak one must not (RFC 9110 13.1.5). */
export function isStrongEtag(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.startsWith('"');
}

/**
 * `fetch` for the given environment: Node's own fetch ignores `HTTPS_PROXY`/`HTTP_PROXY`, so when
 * one is set the request goes through undici's `EnvHttpProxyAgent`, which also honours `NO_PROXY`.
 * undici's own `fetch` is used with it: mixing the bundled fetch with a dispatcher from another
 * undici major is not supported.
 */
export function createHubFetch(env: EnvLike): { fetch: FetchLike; proxy: string | undefined } {
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
  const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY;
  const noProxy = env.no_proxy ?? env.NO_PROXY;
  if (!httpProxy && !httpsProxy) return { fetch: (url, init) => globalThis.fetch(url, init), proxy: undefined };
  let dispatcher: unknown;
  const proxied: FetchLike = async (url, init) => {
    const undici = await import('undici');
    dispatcher ??= new undici.EnvHttpProxyAgent({
      httpProxy: httpProxy || undefined,
      httpsProxy: httpsProxy || undefined,
      noProxy: noProxy ?? '',
    });
    const response = await undici.fetch(url, { ...(init as object), dispatcher } as Parameters<typeof undici.fetch>[1]);
    return response as unknown as Response;
  };
  return { fetch: proxied, proxy: httpsProxy || httpProxy };
}

export interface HubRequest {
  url: string;
  method: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  token: string | undefined;
  fetch: FetchLike;
  signal?: AbortSignal;
  /** Follow redirects to another origin (the CDN)? HEAD does not: the metadata is on the hub's 302. */
  followCrossOrigin: boolean;
  /** For error messages. */
  model: string;
  file: string;
}

export interface HubResponse {
  /** The last response (the CDN's for an LFS GET). */
  response: Response;
  /** Headers of the last response from the hub's origin: where `X-Linked-*` and the git ETag live. */
  hubHeaders: Headers;
  /** Where `response` came from. */
  finalUrl: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/** One request with redirects followed by hand; the token goes to the hub's origin only. */
export async function hubRequest(req: HubRequest): Promise<HubResponse> {
  const hubOrigin = new URL(req.url).origin;
  let current = req.url;
  let hubHeaders: Headers | undefined;
  for (let hop = 0; ; hop++) {
    const sameOrigin = new URL(current).origin === hubOrigin;
    const headers = new Headers(req.headers);
    // Compression would break Range offsets and size checks.
    headers.set('accept-encoding', 'identity');
    if (req.token !== undefined && sameOrigin) headers.set('authorization', `Bearer ${req.token}`);
    let response: Response;
    try {
      response = await req.fetch(current, { method: req.method, headers, redirect: 'manual', signal: req.signal });
    } catch (error) {
      throw networkError(error, req, current);
    }
    if (sameOrigin) hubHeaders = response.headers;
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) {
      return { response, hubHeaders: hubHeaders ?? response.headers, finalUrl: current };
    }
    const next = new URL(location, current).href;
    if (!req.followCrossOrigin && new URL(next).origin !== hubOrigin) {
      return { response, hubHeaders: hubHeaders ?? response.headers, finalUrl: current };
    }
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) {
      throw new ModelError('bad-response', `Too many redirects fetching ${req.url}.`, {
        model: req.model,
        file: req.file,
        url: req.url,
      });
    }
    current = next;
  }
}

/** Strips the query (signed CDN URLs carry credentials in it) before a URL goes into a message. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function networkError(error: unknown, req: HubRequest, url: string): ModelError {
  if (error instanceof Error && error.name === 'AbortError') {
    return new ModelError('interrupted', `Download of ${req.file} was cancelled.`, {
      model: req.model,
      file: req.file,
      url: safeUrl(url),
      cause: error,
    });
  }
  const code = errorCode(error);
  const origin = new URL(url).origin;
  return new ModelError(
    'network',
    `Could not reach ${origin}${code ? ` (${code})` : ''} while fetching ${safeUrl(url)}. ` +
      'Check the network connection, --hub-url / HF_ENDPOINT, and HTTPS_PROXY if you need a proxy; ' +
      'or use --offline with a model already in the models folder.',
    { model: req.model, file: req.file, url: safeUrl(url), cause: error },
  );
}

/** Turns an unexpected status into a ModelError that says what to do. */
export function statusError(response: Response, req: { url: string; model: string; file: string }): ModelError {
  const status = response.status;
  const url = safeUrl(req.url);
  const hubCode = response.headers.get('x-error-code') ?? '';
  const details = { model: req.model, file: req.file, url, status };
  if (status === 401 || status === 403) {
    return new ModelError(
      'unauthorized',
      `The hub refused ${url} (HTTP ${status}${hubCode ? ` ${hubCode}` : ''}). ` +
        `If '${req.model}' is private or gated, set HF_TOKEN to a token that can read it.`,
      details,
    );
  }
  if (status === 404) {
    const what =
      hubCode === 'EntryNotFound'
        ? `File '${req.file}' is not in model '${req.model}'`
        : hubCode === 'RevisionNotFound'
          ? `The revision requested does not exist in model '${req.model}'`
          : `Model '${req.model}' was not found`;
    return new ModelError(
      'not-found',
      `${what} (HTTP 404 for ${url}). Check the model id (owner/name), --revision and --hub-url; ` +
        'a private model also needs HF_TOKEN.',
      details,
    );
  }
  return new ModelError('http-error', `HTTP ${status} ${response.statusText} for ${url}. Try again later.`, details);
}
