/**
 * The quality checks as the pipeline runs them: the checks the configuration enables, on each
 * translated pair, with what the decoder said about it (its confidence, whether it was cut at the
 * token limit).
 */
import type { ReviewPair } from '../align/index.js';
import type { TranslatorConfig } from '../config.js';
import type { QaFinding } from '../document.js';

/** A reviewer for `config`, or undefined when no check is enabled. */
export function reviewerFor(config: Pick<TranslatorConfig, 'qa' | 'minConfidence'>): ReviewPair | undefined {
  const enabled = new Set(config.qa);
  if (enabled.size === 0) return undefined;
  return (pair, decoder) => {
    const findings: QaFinding[] = [];
    if (enabled.has('truncated') && decoder.truncated) {
      findings.push({ check: 'truncated', message: 'the decoder reached its token limit before ending the sentence' });
    }
    if (enabled.has('low-confidence') && pair.confidence !== undefined && config.minConfidence !== undefined && pair.confidence < config.minConfidence) {
      findings.push({ check: 'low-confidence', message: `confidence ${pair.confidence.toFixed(2)} is below ${config.minConfidence}` });
    }
    return findings;
  };
}
