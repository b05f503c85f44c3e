/**
 * Quality checks on a translated pair: pure functions of the French source and the English
 * target (plus what only the decoder knows: `truncated`, `confidence`). Each finding names its
 * check and the exact problem, so a reviewer knows where to look. The checks' data is in
 * src/qa/lang/; their meaning is listed with QA_CHECKS in src/document.ts.
 */
import { QA_CHECKS, type QaCheck, type QaFinding } from '../document.js';
import { UsageError } from '../errors.js';
import { lengthMessage } from './checks/length.js';
import { numberMessages } from './checks/numbers.js';
import { repetitionMessage } from './checks/repetition.js';
import { untranslatedMessage } from './checks/untranslated.js';
import { urlMessages } from './checks/urls.js';
import { en } from './lang/en.js';

export interface QaContext {
  /** The decoder reached its token limit without the end-of-sentence token. */
  truncated?: boolean;
  /** The pair's mean token log-probability (<= 0), when the model translated it. */
  confidence?: number;
  /** `low-confidence` fires below this; the check is off while it is undefined. */
  minConfidence?: number;
  /** The checks to run. @default every check (ALL_QA_CHECKS) */
  checks?: ReadonlySet<QaCheck>;
}

export const ALL_QA_CHECKS: ReadonlySet<QaCheck> = new Set(QA_CHECKS);
export const NO_QA_CHECKS: ReadonlySet<QaCheck> = new Set();

/** Zero-width and byte-order marks do not make a target non-empty. */
const BLANK = /^[\s\u200B-\u200D\u2060\uFEFF]*$/u;

/**
 * Runs the enabled checks on one pair and returns their findings in QA_CHECKS order. An empty
 * target gets `empty` and no other content check (they would only repeat it); `truncated` and
 * `low-confidence` still apply.
 */
export function checkPair(source: string, target: string, context: QaContext = {}): QaFinding[] {
  const enabled = context.checks ?? ALL_QA_CHECKS;
  const findings: QaFinding[] = [];
  const add = (check: QaCheck, message: string | undefined): void => {
    if (message !== undefined && enabled.has(check)) findings.push({ check, message });
  };
  const fr = source.normalize('NFC');
  const english = target.normalize('NFC');
  const empty = BLANK.test(english);
  if (empty && !BLANK.test(fr)) add('empty', 'target is empty');
  if (!empty) {
    // A target still in French cannot be read with English number rules: its numbers would all
    // look missing. `untranslated` says what is wrong.
    const untranslated = enabled.has('untranslated') || enabled.has('numbers') ? untranslatedMessage(fr, english) : undefined;
    add('untranslated', untranslated);
    if (enabled.has('numbers') && untranslated === undefined) for (const message of numberMessages(fr, english)) add('numbers', message);
    if (enabled.has('urls')) for (const message of urlMessages(fr, english)) add('urls', message);
    if (enabled.has('repetition')) add('repetition', repetitionMessage(fr, english, en));
    if (enabled.has('length')) add('length', lengthMessage(fr, english));
  }
  if (context.truncated) add('truncated', 'the decoder reached its token limit before the end of the sentence');
  const { confidence, minConfidence } = context;
  if (confidence !== undefined && minConfidence !== undefined && confidence < minConfidence) {
    add('low-confidence', `confidence ${formatConfidence(confidence)} is below the threshold ${minConfidence}`);
  }
  return findings;
}

function formatConfidence(value: number): string {
  return (Math.round(value * 1000) / 1000).toString();
}

/**
 * Reads a `--qa` value: `all` (every check), `off` or `none` (no check), or a comma-separated
 * list of check names (`numbers,urls`). Throws a UsageError naming an unknown check.
 */
export function parseQaChecks(spec: string, option = '--qa'): ReadonlySet<QaCheck> {
  const names = spec
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (names.length === 0) throw new UsageError(`${option} needs a value: all, off, or check names (${QA_CHECKS.join(', ')})`);
  if (names.length === 1 && names[0] === 'all') return ALL_QA_CHECKS;
  if (names.length === 1 && (names[0] === 'off' || names[0] === 'none')) return NO_QA_CHECKS;
  const checks = new Set<QaCheck>();
  for (const name of names) {
    if (!(QA_CHECKS as readonly string[]).includes(name)) {
      throw new UsageError(`${option}: unknown check "${name}"; use all, off, or some of ${QA_CHECKS.join(', ')}`);
    }
    checks.add(name as QaCheck);
  }
  return checks;
}

export { extractNumbers } from './numbers/extract.js';
export { findLinks } from './checks/urls.js';
export { lengthBand } from './checks/length.js';
