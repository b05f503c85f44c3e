/**
 * Runs one benchmark configuration in a fresh process, so that its load time and peak RSS are
 * its own, and writes a RunResult to the file the parent named. Not meant to be run by hand:
 *
 *   node build/bench/child.js '<ChildJob JSON>'
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PeakPss, PeakRss } from './lib/measure.js';
import { runAgreement } from './lib/runners/agreement.js';
import { runCeiling } from './lib/runners/ceiling.js';
import { runFr2en } from './lib/runners/fr2en.js';
import type { Measured } from './lib/runners/measured.js';
import { runNaive } from './lib/runners/naive.js';
import { runPool } from './lib/runners/pool.js';
import { runProfile } from './lib/runners/profile.js';
import { runQuality } from './lib/runners/quality.js';
import { failedResult, type ChildJob, type ConfigSpec, type RunResult } from './lib/types.js';
import type { Workload } from './lib/workload.js';

async function run(spec: ConfigSpec, modelDir: string, workloadFile: string): Promise<Measured> {
  // A quality row's workload file is its test set's French text (bench/lib/quality.ts).
  if (spec.kind === 'quality') return runQuality(spec, modelDir, workloadFile);
  const workload = JSON.parse(readFileSync(workloadFile, 'utf8')) as Workload;
  switch (spec.kind) {
    case 'naive':
      return runNaive(spec, modelDir, workload);
    case 'fr2en':
      return runFr2en(spec, modelDir, workload);
    case 'pool':
      return runPool(spec, modelDir, workload);
    case 'agreement':
      return runAgreement(spec, modelDir, workload);
    case 'profile':
      return runProfile(spec, modelDir, workload);
    case 'ceiling': {
      const config = JSON.parse(readFileSync(path.join(modelDir, 'config.json'), 'utf8')) as {
        decoder_layers: number;
        decoder_attention_heads: number;
        d_model: number;
        vocab_size: number;
        decoder_start_token_id: number;
      };
      return runCeiling(spec, modelDir, workload, {
        layers: config.decoder_layers,
        heads: config.decoder_attention_heads,
        headDim: config.d_model / config.decoder_attention_heads,
        vocab: config.vocab_size,
        start: BigInt(config.decoder_start_token_id),
      });
    }
  }
}

const job = JSON.parse(process.argv[2] ?? '') as ChildJob;
const rss = new PeakRss();
const pss = job.config.spec.kind === 'fr2en' && job.config.spec.samplePss ? new PeakPss() : null;
let result: RunResult;
try {
  const measured = await run(job.config.spec, job.modelDir, job.workloadFile);
  result = { id: job.config.id, ok: true, ...measured, peakRssMiB: rss.stop() };
  if (pss) result.extra.peakPssMiB = pss.stop();
} catch (error) {
  result = failedResult(job.config.id, error instanceof Error ? (error.stack ?? error.message) : String(error), rss.stop());
}
writeFileSync(job.resultFile, `${JSON.stringify(result, null, 2)}\n`);
// Worker threads or ORT's pools must not keep a finished child alive.
process.exit(0);
