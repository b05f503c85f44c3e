/**
 * Resumable, verified downloads of a model's files into `<modelsDir>/<owner>/<name>/`.
 *
 * Each file is fetched to `<file>.part`, hashed while it streams, checked against the size and
 * checksum the hub announced, and only then renamed to its real name: a file with its final name
 * is always complete. Next to the `.part` a `.part.json` records which remote version it holds
 * (the hub's ETag) and the validator of the server that sent the bytes (the CDN's ETag), so that
 * an interrupted download continues with `Range` + `If-Range` instead of starting over.
 */
import type { Hash } from 'node:crypto';
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isTransient, ModelError } from './errors.js';
import { DEFAULT_REVISION, filesForDtype, type ModelDtype } from './files.js';
import { feedFile, gitBlobSha1 } from './hash.js';
import {
  createHubFetch,
  DEFAULT_HUB_URL,
  hubFileUrl,
  hubRequest,
  isStrongEtag,
  normalizeEtag,
  safeUrl,
  statusError,
  type FetchLike,
} from './hub.js';
import { emptyManifest, readManifest, writeManifest, type ManifestFile, type ModelManifest, type VerifiedBy } from './manifest.js';
import type { ProgressCallback } from './progress.js';
import { modelFolder, parseModelId } from './store.js';
import { verifyModelFolder } from './verify.js';

export interface DownloadModelOptions {
  /** Hub id, `owner/name`. */
  readonly model: string;
  readonly dtype: ModelDtype;
  /** Folder holding `<owner>/<name>/` model folders. */
  readonly modelsDir: string;
  /** @default 'https://huggingface.co' */
  readonly hubUrl?: string;
  /** Branch, tag or commit. @default 'main' */
  readonly revision?: string;
  /** `HF_TOKEN`: sent to the hub's origin only, never logged. */
  readonly token?: string;
  /** @default fetch through `HTTPS_PROXY` when set in process.env, else the global fetch */
  readonly fetch?: FetchLike;
  readonly onProgress?: ProgressCallback;
  readonly signal?: AbortSignal;
  /**
   * Extra attempts per file after a dropped connection, refused connection or 5xx; each resumes
   * where the last stopped. @default 3
   */
  readonly retries?: number;
  /** Delay before retry n is n times this. @default 1000 */
  readonly retryDelayMs?: number;
}

export interface DownloadResult {
  folder: string;
  manifest: ModelManifest;
  /** Bytes received over the network by the successful attempt of each file (resumed bytes not counted). */
  downloadedBytes: number;
  /** Files fetched in this call. */
  fetched: string[];
  /** Files already present and unchanged. */
  skipped: string[];
}

/** What the hub says about one file (from HEAD, without following the redirect to the CDN). */
export interface RemoteFile {
  path: string;
  url: string;
  size: number | undefined;
  /** From `X-Linked-Etag` (LFS files), or an ETag that is a SHA-256. */
  sha256: string | undefined;
  /** From the `ETag` of a file kept in git: the blob SHA-1. */
  gitSha1: string | undefined;
  /** The hub's ETag, normalized: identifies the remote version. */
  etag: string | undefined;
  commit: string | undefined;
}

interface PartState {
  /** The hub's ETag of the version the `.part` holds. */
  etag: string | undefined;
  /** Validator of the server that sent the bytes, for `If-Range` (a strong ETag, quoted). */
  validator: string | undefined;
  size: number | undefined;
}

const HEX64 = /^[0-9a-f]{64}$/i;
const HEX40 = /^[0-9a-f]{40}$/i;

function toInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** HEAD one file. Returns undefined for an optional file the repository does not have. */
export async function headRemoteFile(args: {
  hubUrl: string;
  model: string;
  revision: string;
  path: string;
  optional: boolean;
  token: string | undefined;
  fetch: FetchLike;
  signal?: AbortSignal;
}): Promise<RemoteFile | undefined> {
  const url = hubFileUrl(args.hubUrl, args.model, args.revision, args.path);
  const { response, hubHeaders } = await hubRequest({
    url,
    method: 'HEAD',
    token: args.token,
    fetch: args.fetch,
    signal: args.signal,
    followCrossOrigin: false,
    model: args.model,
    file: args.path,
  });
  const redirected = response.status >= 300 && response.status < 400;
  if (!response.ok && !redirected) {
    // A missing optional file is fine; a missing repository is not, whatever the file.
    const code = response.headers.get('x-error-code');
    if (args.optional && response.status === 404 && code !== 'RepoNotFound' && code !== 'RevisionNotFound') {
      return undefined;
    }
    throw statusError(response, { url, model: args.model, file: args.path });
  }
  const linked = normalizeEtag(hubHeaders.get('x-linked-etag'));
  const etag = linked ?? normalizeEtag(hubHeaders.get('etag'));
  const size = toInt(hubHeaders.get('x-linked-size')) ?? (redirected ? undefined : toInt(response.headers.get('content-length')));
  return {
    path: args.path,
    url,
    size,
    // Only a 64-hex X-Linked-Etag (or ETag) is a SHA-256; only a 40-hex ETag of a non-LFS file is a
    // git blob SHA-1. Anything else (a mirror's own ETag) verifies nothing and is used only for resume.
    sha256: etag !== undefined && HEX64.test(etag) ? etag.toLowerCase() : undefined,
    gitSha1: linked === undefined && etag !== undefined && HEX40.test(etag) ? etag.toLowerCase() : undefined,
    etag,
    commit: hubHeaders.get('x-repo-commit') ?? undefined,
  };
}

async function readPartState(path: string): Promise<PartState | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PartState;
  } catch {
    return undefined; // no state or a damaged one: either way the .part cannot be trusted
  }
}

async function fileSize(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.size,
    () => undefined,
  );
}

interface FileProgress {
  (bytes: number): void;
}

interface FetchedFile {
  size: number;
  sha256: string;
  verifiedBy: VerifiedBy;
  /** Bytes that came over the network in this attempt. */
  received: number;
}

/**
 * Downloads one file to `dest` through `dest.part`, resuming a previous `.part` when it holds the
 * same remote version. Throws ModelError('interrupted') with the `.part` kept when the connection
 * drops, and deletes the `.part` when the bytes turn out wrong.
 */
export async function downloadFile(args: {
  remote: RemoteFile;
  dest: string;
  model: string;
  token: string | undefined;
  fetch: FetchLike;
  signal?: AbortSignal;
  onStart?: (resumeFrom: number) => void;
  onRestart?: (reason: string) => void;
  onBytes?: FileProgress;
}): Promise<FetchedFile> {
  const { remote, dest, model } = args;
  const part = `${dest}.part`;
  const stateFile = `${dest}.part.json`;
  await mkdir(dirname(dest), { recursive: true });

  let offset = 0;
  let validator: string | undefined;
  const state = await readPartState(stateFile);
  const partSize = await fileSize(part);
  if (
    partSize !== undefined &&
    state !== undefined &&
    state.etag !== undefined &&
    state.etag === remote.etag &&
    (remote.size === undefined || partSize <= remote.size)
  ) {
    offset = partSize;
    validator = state.validator;
  } else if (partSize !== undefined) {
    args.onRestart?.(state?.etag !== remote.etag ? 'the remote file changed' : 'no resume information');
  }

  const startHashes = async (from: number) => {
    const sha256 = createHash('sha256');
    const git = remote.gitSha1 !== undefined && remote.size !== undefined ? gitBlobSha1(remote.size) : undefined;
    const hashes: Hash[] = git ? [sha256, git] : [sha256];
    if (from > 0) await feedFile(part, hashes, from);
    return { sha256, git, hashes };
  };

  let request = await getBody(args, offset, validator);
  let response = request.response;
  if (offset > 0) {
    const restart = resumeProblem(response, offset, remote.size);
    if (restart !== undefined) {
      args.onRestart?.(restart);
      await response.body?.cancel();
      offset = 0;
      request = await getBody(args, 0, undefined);
      response = request.response;
    }
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw statusError(response, { url: remote.url, model, file: remote.path });
  }
  if (response.body === null) {
    throw new ModelError('bad-response', `The server sent no body for ${remote.url}.`, {
      model,
      file: remote.path,
      url: remote.url,
    });
  }

  const { sha256, git, hashes } = await startHashes(offset);
  // Record what the .part holds before writing to it, so an interruption at any point is resumable.
  const contentEtag = response.headers.get('etag');
  await writeFile(
    stateFile,
    JSON.stringify({
      etag: remote.etag,
      validator: isStrongEtag(contentEtag) ? contentEtag : undefined,
      size: remote.size,
    } satisfies PartState),
  );
  args.onStart?.(offset);

  const handle = await open(part, offset > 0 ? 'a' : 'w');
  let bytes = offset;
  let received = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      for (const h of hashes) h.update(chunk);
      await handle.write(chunk);
      bytes += chunk.byteLength;
      received += chunk.byteLength;
      args.onBytes?.(bytes);
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new ModelError(
      'interrupted',
      `The connection dropped after ${bytes} of ${remote.size ?? '?'} bytes of ${remote.path} ` +
        `(${safeUrl(request.finalUrl)}). The partial file is kept: run the same command again to resume.`,
      { model, file: remote.path, url: remote.url, cause: error },
    );
  } finally {
    await handle.close();
  }

  if (remote.size !== undefined && bytes < remote.size) {
    throw new ModelError(
      'interrupted',
      `The server ended ${remote.path} after ${bytes} of ${remote.size} bytes. ` +
        'The partial file is kept: run the same command again to resume.',
      { model, file: remote.path, url: remote.url },
    );
  }
  const discard = async () => {
    await rm(part, { force: true });
    await rm(stateFile, { force: true });
  };
  if (remote.size !== undefined && bytes !== remote.size) {
    await discard();
    throw new ModelError(
      'size-mismatch',
      `${remote.path} from ${remote.url} has ${bytes} bytes, the hub announced ${remote.size}. ` +
        'The file was deleted; run the command again.',
      { model, file: remote.path, url: remote.url },
    );
  }
  const actual = sha256.digest('hex');
  let verifiedBy: VerifiedBy = remote.size !== undefined ? 'size' : 'none';
  let expected: string | undefined;
  let got: string | undefined;
  if (remote.sha256 !== undefined) {
    verifiedBy = 'sha256';
    expected = remote.sha256;
    got = actual;
  } else if (remote.gitSha1 !== undefined && git !== undefined) {
    verifiedBy = 'git-sha1';
    expected = remote.gitSha1;
    got = git.digest('hex');
  }
  if (expected !== undefined && got !== expected) {
    await discard();
    throw new ModelError(
      'checksum-mismatch',
      `${remote.path} from ${remote.url} does not match the hub's checksum (${verifiedBy} ${expected}, got ${got}). ` +
        'The file was deleted; run the command again, and check any proxy or mirror in between.',
      { model, file: remote.path, url: remote.url },
    );
  }
  await rename(part, dest);
  await rm(stateFile, { force: true });
  return { size: bytes, sha256: actual, verifiedBy, received };
}

async function getBody(
  args: { remote: RemoteFile; model: string; token: string | undefined; fetch: FetchLike; signal?: AbortSignal },
  offset: number,
  validator: string | undefined,
) {
  const headers: Record<string, string> = {};
  if (offset > 0) {
    headers.range = `bytes=${offset}-`;
    // Without a strong validator the server cannot tell us the file changed; the size and checksum
    // checks at the end still catch a mixed file, which is then discarded.
    if (validator !== undefined) headers['if-range'] = validator;
  }
  return hubRequest({
    url: args.remote.url,
    method: 'GET',
    headers,
    token: args.token,
    fetch: args.fetch,
    signal: args.signal,
    followCrossOrigin: true,
    model: args.model,
    file: args.remote.path,
  });
}

/** Why a response to a Range request cannot be appended to the `.part` (undefined: it can). */
function resumeProblem(response: Response, offset: number, size: number | undefined): string | undefined {
  if (response.status === 200) return 'the server sent the whole file (Range ignored, or the file changed)';
  if (response.status === 416) return 'the server rejected the range';
  if (response.status !== 206) return undefined; // an error status: reported by the caller
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
  if (!match) return 'the server sent a 206 without a usable Content-Range';
  if (Number(match[1]) !== offset) return `the server resumed at byte ${match[1]}, not ${offset}`;
  if (size !== undefined && match[3] !== '*' && Number(match[3]) !== size) return 'the remote file size changed';
  return undefined;
}

/** Downloads whatever `dtype` needs that is not already present and unchanged, and updates the manifest. */
export async function downloadModel(options: DownloadModelOptions): Promise<DownloadResult> {
  const { model, dtype, modelsDir, token, onProgress, signal } = options;
  parseModelId(model);
  const hubUrl = options.hubUrl ?? DEFAULT_HUB_URL;
  const revision = options.revision ?? DEFAULT_REVISION;
  const fetch = options.fetch ?? createHubFetch(process.env).fetch;
  const retries = options.retries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const folder = modelFolder(modelsDir, model);

  // Ask the hub about every file first: a wrong id fails before anything is written, and the
  // progress bar knows the total.
  const remotes: RemoteFile[] = [];
  for (const spec of filesForDtype(dtype)) {
    const remote = await withRetries(retries, retryDelayMs, spec.path, onProgress, () =>
      headRemoteFile({ hubUrl, model, revision, path: spec.path, optional: spec.optional, token, fetch, signal }),
    );
    if (remote) remotes.push(remote);
  }

  await mkdir(folder, { recursive: true });
  // A damaged manifest is replaced: every file is then fetched again and re-verified.
  const manifest = (await readManifest(folder).catch(() => undefined)) ?? emptyManifest(model, revision, hubUrl);
  if (manifest.revision !== revision || manifest.hubUrl !== hubUrl) {
    manifest.revision = revision;
    manifest.hubUrl = hubUrl;
  }
  manifest.commit = remotes.find((r) => r.commit !== undefined)?.commit ?? manifest.commit;

  // A file is kept when the quick check passes (size, and hash if its mtime moved) and the hub
  // still serves the same version; a corrupt or changed one is fetched again.
  const intact = new Set(
    (await verifyModelFolder(folder, { mode: 'quick', manifest })).files.filter((f) => f.status === 'ok').map((f) => f.path),
  );
  const todo: RemoteFile[] = [];
  const skipped: string[] = [];
  for (const remote of remotes) {
    const known = manifest.files[remote.path];
    const unchanged =
      known !== undefined &&
      intact.has(remote.path) &&
      (remote.size === undefined || remote.size === known.size) &&
      (remote.sha256 !== undefined ? remote.sha256 === known.sha256 : remote.etag === known.etag);
    if (unchanged) skipped.push(remote.path);
    else todo.push(remote);
  }
  const totalBytes = todo.reduce((sum, r) => sum + (r.size ?? 0), 0);
  onProgress?.({ type: 'plan', model, dtype, files: todo.map((r) => ({ path: r.path, size: r.size })), skipped, totalBytes });

  let doneBefore = 0;
  let downloadedBytes = 0;
  for (const remote of todo) {
    const dest = join(folder, remote.path);
    const fetched = await withRetries(retries, retryDelayMs, remote.path, onProgress, () =>
      downloadFile({
        remote,
        dest,
        model,
        token,
        fetch,
        signal,
        onStart: (resumeFrom) => onProgress?.({ type: 'file-start', path: remote.path, size: remote.size, resumeFrom }),
        onRestart: (reason) => onProgress?.({ type: 'file-restart', path: remote.path, reason }),
        onBytes: (bytes) =>
          onProgress?.({
            type: 'file-progress',
            path: remote.path,
            bytes,
            size: remote.size,
            totalDone: doneBefore + bytes,
            totalBytes,
          }),
      }),
    );
    downloadedBytes += fetched.received;
    doneBefore += remote.size ?? fetched.size;
    const entry: ManifestFile = {
      size: fetched.size,
      sha256: fetched.sha256,
      url: remote.url,
      etag: remote.etag,
      verifiedBy: fetched.verifiedBy,
      mtimeMs: (await stat(dest)).mtimeMs,
      downloadedAt: new Date().toISOString(),
    };
    manifest.files[remote.path] = entry;
    manifest.updatedAt = entry.downloadedAt;
    await writeManifest(folder, manifest);
    onProgress?.({ type: 'file-done', path: remote.path, size: fetched.size, verifiedBy: fetched.verifiedBy });
  }

  if (!manifest.dtypes.includes(dtype)) manifest.dtypes = [...manifest.dtypes, dtype].sort();
  manifest.updatedAt = new Date().toISOString();
  await writeManifest(folder, manifest);
  onProgress?.({ type: 'done', model, folder, downloadedBytes, files: todo.length });
  return { folder, manifest, downloadedBytes, fetched: todo.map((r) => r.path), skipped };
}

async function withRetries<T>(
  retries: number,
  delayMs: number,
  path: string,
  onProgress: ProgressCallback | undefined,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n > retries || !isTransient(error)) throw error;
      const delay = delayMs * n;
      onProgress?.({ type: 'retry', path, attempt: n, delayMs: delay, message: (error as Error).message });
      await sleep(delay);
    }
  }
}
