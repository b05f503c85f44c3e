/**
 * make-model: writes a generated MarianMT model folder.
 *
 *   npm run make-model -- --preset opus-mt-fr-en --out models/generated/opus-mt-fr-en --dtype fp32,q8
 *   npm run make-model -- --preset micro --vocab-size 10 --out /tmp/micro10
 *
 * `run(argv)` returns the exit code (0 ok, 1 generation failed, 2 bad arguments) instead of
 * exiting, so tests can call it in-process.
 */
import { pathToFileURL } from 'node:url';
import yargs from 'yargs';
import { generateModel, PRESET_NAMES, WEIGHT_DTYPES, type MarianDims, type PresetName, type WeightDtype } from './index.js';

/** CLI flag -> MarianDims field, for the preset overrides. */
const OVERRIDE_FLAGS = {
  'vocab-size': 'vocabSize',
  'd-model': 'dModel',
  'encoder-layers': 'encoderLayers',
  'decoder-layers': 'decoderLayers',
  heads: 'heads',
  'ffn-dim': 'ffnDim',
  'max-positions': 'maxPositions',
  'max-length': 'maxLength',
  'eos-bias': 'eosBias',
} as const satisfies Record<string, keyof MarianDims>;

export interface CliIo {
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
}

const consoleIo: CliIo = { log: (l) => console.log(l), error: (l) => console.error(l) };

export async function run(argv: readonly string[], io: CliIo = consoleIo): Promise<number> {
  let parsed;
  try {
    let parser = yargs([...argv])
      .scriptName('make-model')
      .usage('$0 --preset NAME --out DIR [--dtype fp32,q8] [--seed N] [overrides]')
      .option('preset', { choices: PRESET_NAMES, demandOption: true, describe: 'architecture to start from' })
      .option('out', { type: 'string', demandOption: true, describe: 'model folder to write' })
      .option('dtype', { type: 'string', default: 'fp32', describe: `comma-separated: ${WEIGHT_DTYPES.join(', ')}` })
      .option('seed', { type: 'number', default: 0, describe: 'weight seed; same seed, same bytes' })
      .option('eos-unreachable', {
        type: 'boolean',
        default: false,
        describe: 'never emit EOS: outputs always run to max_new_tokens (benchmarks)',
      });
    for (const [flag, field] of Object.entries(OVERRIDE_FLAGS)) {
      parser = parser.option(flag, { type: 'number', describe: `override the preset's ${field}` });
    }
    parsed = await parser.strict().exitProcess(false).fail((msg, err) => {
      throw err ?? new Error(msg);
    }).parseAsync();
  } catch (error) {
    io.error(`make-model: ${(error as Error).message}`);
    return 2;
  }

  const dtypes = String(parsed.dtype).split(',').map((d) => d.trim()).filter(Boolean);
  const unknown = dtypes.filter((d) => !(WEIGHT_DTYPES as readonly string[]).includes(d));
  if (unknown.length > 0) {
    io.error(`make-model: --dtype accepts ${WEIGHT_DTYPES.join(', ')}, got ${unknown.join(', ')}`);
    return 2;
  }
  const overrides: Partial<Record<keyof MarianDims, number>> = {};
  for (const [flag, field] of Object.entries(OVERRIDE_FLAGS)) {
    const value = (parsed as Record<string, unknown>)[flag];
    if (typeof value === 'number') overrides[field] = value;
  }

  const started = performance.now();
  try {
    const result = await generateModel({
      preset: parsed.preset as PresetName,
      overrides,
      outDir: parsed.out,
      dtypes: dtypes as WeightDtype[],
      seed: parsed.seed,
      eosUnreachable: parsed['eos-unreachable'],
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.log(`wrote ${result.outDir} (${result.parameterCount.toLocaleString('en')} parameters, ${seconds} s)`);
    for (const file of result.files) io.log(`  ${file}`);
    return 0;
  } catch (error) {
    // Argument errors from generateModel are TypeErrors (validated once, in resolveDims).
    io.error(`make-model: ${(error as Error).message}`);
    return error instanceof TypeError ? 2 : 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await run(process.argv.slice(2));
}
