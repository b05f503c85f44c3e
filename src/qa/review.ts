/**
 * The quality checks as the pipeline runs them: the checks the configuration enables, on each
 * translated pair, with what the decoder said about it (its confidence, whether it was cut at the
 * token limit).
 */
import type { ReviewPair } from '../align/index.js';
import type { TranslatorConfig } from '../config.js';
import { checkPair } from './index.js';

/** A reviewer for `config`, or undefined when no check is enabled. */
export function reviewerFor(config: Pick<TranslatorConfig, 'qa' | 'minConfidence'>): ReviewPair | undefined {
  if (config.qa.length === 0) return undefined;
  const checks = new Set(config.qa);
  return (pair, decoder) =>
    checkPair(pair.source, pair.target, { checks, truncated: decoder.truncated, confidence: pair.confidence, minConfidence: config.minConfidence });
}
