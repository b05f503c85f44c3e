/**
 * `fr2en models <download|verify|list|remove> [id]`: model management from the command line.
 * The work is done by `src/models/`; this file maps flags and environment to its options, prints
 * results, and returns an exit code (0 ok, 1 a check failed). Library errors (ModelError, a
 * Fr2enError) propagate to `run()`, which prints them and exits 1.
 */
import path from 'node:path';
import type { Argv } from 'yargs';
import {
  DEFAULT_DTYPE,
  DEFAULT_HUB_URL,
  DEFAULT_MODEL_ID,
  DEFAULT_REVISION,
  MODEL_DTYPES,
  createHubFetch,
  describeProblems,
  downloadCommand,
  downloadModel,
  isLocalModelPath,
  listModels,
  modelFolder,
  ModelError,
  readManifest,
  removeModel,
  resolveModelEnv,
  validateMarianFolder,
  verifyModelFolder,
  type ModelDtype,
} from '../models/index.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { createProgressReporter, formatBytes } from './progress-reporter.js';
import { hubUrlOption, modelsDirOption } from './shared-options.js';

export const MODELS_ACTIONS = ['download', 'verify', 'list', 'remove'] as const;
export type ModelsAction = (typeof MODELS_ACTIONS)[number];

export interface ModelsArgs {
  action: ModelsAction;
  id?: string;
  modelsDir: string;
  dtype: ModelDtype;
  hubUrl?: string;
  revision: string;
  quiet?: boolean;
}

export function modelsBuilder(yargs: Argv, io: CliIo): Argv<ModelsArgs> {
  return yargs
    .positional('action', { choices: MODELS_ACTIONS, describe: 'download | verify | list | remove' })
    .positional('id', {
      type: 'string',
      describe: `Model id on the hub (download: default ${DEFAULT_MODEL_ID}; verify: default all installed)`,
    })
    .options({
      'models-dir': modelsDirOption(io.env),
      dtype: { type: 'string', choices: MODEL_DTYPES, default: DEFAULT_DTYPE, describe: 'Weights to download: q8 (~140 MB) or fp32 (~420 MB)' },
      'hub-url': hubUrlOption(io.env),
      revision: { type: 'string', default: DEFAULT_REVISION, describe: 'Branch, tag or commit to download' },
      quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress output' },
    })
    .example('$0 models download', `Download ${DEFAULT_MODEL_ID} (q8) into ./models`)
    .example('$0 models download Xenova/opus-mt-fr-en --dtype fp32', 'The same model in full precision (about 420 MB)')
    .example('$0 models verify', 'Re-check the SHA-256 of every installed model file') as unknown as Argv<ModelsArgs>;
}

export async function modelsHandler(args: ModelsArgs, io: CliIo): Promise<number> {
  const modelsDir = path.resolve(io.cwd, args.modelsDir);
  switch (args.action) {
    case 'download':
      return download(args, modelsDir, io);
    case 'verify':
      return verify(args, modelsDir, io);
    case 'list':
      return list(modelsDir, io);
    case 'remove':
      return remove(args, modelsDir, io);
  }
}

function requireHubId(id: string | undefined, action: ModelsAction): string {
  if (id === undefined) {
    throw new ModelError('invalid-id', `fr2en models ${action} needs a model id (owner/name).`);
  }
  if (isLocalModelPath(id)) {
    throw new ModelError('invalid-id', `fr2en models ${action} works on hub ids (owner/name) under --models-dir, not on folder paths like ${id}.`, {
      model: id,
    });
  }
  return id;
}

async function download(args: ModelsArgs, modelsDir: string, io: CliIo): Promise<number> {
  const id = requireHubId(args.id ?? DEFAULT_MODEL_ID, 'download');
  const env = resolveModelEnv(io.env);
  const { fetch, proxy } = createHubFetch(io.env);
  const reporter = args.quiet ? undefined : createProgressReporter(io.stderr);
  if (proxy !== undefined && !args.quiet) io.stderr.write(`Using proxy ${redactProxy(proxy)}\n`);
  try {
    const result = await downloadModel({
      model: id,
      dtype: args.dtype,
      modelsDir,
      hubUrl: args.hubUrl ?? DEFAULT_HUB_URL,
      revision: args.revision,
      token: env.token,
      fetch,
      onProgress: reporter,
    });
    const info = await validateMarianFolder(result.folder, args.dtype);
    io.stdout.write(
      `${id} (${args.dtype}) ready in ${path.relative(io.cwd, result.folder) || '.'}` +
        (result.fetched.length === 0 ? ' (already up to date)' : '') +
        `; commit ${result.manifest.commit ?? 'unknown'}, d_model ${info.dModel}, ${info.encoderLayers}+${info.decoderLayers} layers\n`,
    );
    return ExitCode.ok;
  } finally {
    reporter?.stop();
  }
}

/** A proxy URL may carry credentials: never print them. */
function redactProxy(url: string): string {
  try {
    const u = new URL(url);
    return u.username || u.password ? `${u.protocol}//***@${u.host}` : `${u.protocol}//${u.host}`;
  } catch {
    return '(proxy)';
  }
}

async function verify(args: ModelsArgs, modelsDir: string, io: CliIo): Promise<number> {
  const ids =
    args.id !== undefined ? [requireHubId(args.id, 'verify')] : (await listModels(modelsDir)).map((m) => m.id);
  if (ids.length === 0) {
    io.stdout.write(`No models in ${modelsDir}.\n`);
    return ExitCode.ok;
  }
  let failed = false;
  for (const id of ids) {
    const folder = modelFolder(modelsDir, id);
    const manifest = await readManifest(folder);
    if (!manifest) {
      const exists = (await listModels(modelsDir)).some((m) => m.id === id);
      if (!exists) throw new ModelError('not-installed', `Model '${id}' is not installed in ${modelsDir}.`, { model: id });
      io.stdout.write(`${id}: cannot verify, no ${'.fr2en-manifest.json'} (not downloaded by fr2en). Run fr2en models download ${id} to fetch a verified copy.\n`);
      failed = true;
      continue;
    }
    const report = await verifyModelFolder(folder, { mode: 'full', manifest });
    if (report.ok) {
      const bytes = report.files.reduce((s, f) => s + (f.actualSize ?? 0), 0);
      io.stdout.write(`${id}: ok, ${report.files.length} files, ${formatBytes(bytes)} (SHA-256 checked)\n`);
      continue;
    }
    failed = true;
    io.stdout.write(`${id}: FAILED\n`);
    for (const line of describeProblems(report)) io.stdout.write(`  ${line}\n`);
    const dtypes = manifest.dtypes.length > 0 ? manifest.dtypes : [args.dtype];
    for (const dtype of dtypes) {
      io.stdout.write(`  repair: ${downloadCommand(id, dtype, modelsDir, args.revision)}\n`);
    }
  }
  return failed ? ExitCode.someFailed : ExitCode.ok;
}

async function list(modelsDir: string, io: CliIo): Promise<number> {
  const models = await listModels(modelsDir);
  if (models.length === 0) {
    io.stdout.write(`No models in ${modelsDir}. Run: fr2en models download\n`);
    return ExitCode.ok;
  }
  const rows = models.map((m) => [
    m.id,
    m.dtypes.length > 0 ? m.dtypes.join(',') : '-',
    formatBytes(m.sizeBytes),
    m.partial ? 'partial download' : m.managed ? 'verified at download' : 'not downloaded by fr2en',
  ]);
  const header = ['MODEL', 'DTYPES', 'SIZE', 'STATUS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) io.stdout.write(`${row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  return ExitCode.ok;
}

async function remove(args: ModelsArgs, modelsDir: string, io: CliIo): Promise<number> {
  const id = requireHubId(args.id, 'remove');
  const { folder, bytes } = await removeModel(modelsDir, id);
  io.stdout.write(`Removed ${id} (${formatBytes(bytes)}) from ${folder}\n`);
  return ExitCode.ok;
}
