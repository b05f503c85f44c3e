import type { PairFlag, QaFinding } from '../../document.js';
import { cleanText } from '../escape.js';
import { pairId, type Writer } from './types.js';

/**
 * One JSONL line: a sentence pair. Keys are written in this order on every line (`confidence`
 * last, and only when the model translated the pair); the README documents each field.
 */
export interface JsonlRecord {
  /** `p<paragraph>.s<sentence>`, unique within the file. */
  id: string;
  file: string;
  /** 0-based paragraph index. */
  paragraph: number;
  /** 0-based index of the pair in its paragraph. */
  sentence: number;
  kind: string;
  /** UTF-16 offsets of the source sentence: `[start, end)` into the document's normalized text. */
  documentRange: [number, number];
  /** The same, relative to the start of the paragraph. */
  paragraphRange: [number, number];
  source: string;
  target: string;
  flags: PairFlag[];
  /** Quality findings, `[]` when none (or when the checks were off). */
  qa: QaFinding[];
  /** Mean log-probability of the target tokens the model chose (<= 0); absent when not translated by the model. */
  confidence?: number;
}

export const jsonl: Writer = {
  name: 'jsonl',
  extension: '.fr-en.jsonl',
  description: 'one JSON record per sentence pair, with ids, offsets, flags and quality findings',
  headerNeedsTotals: false,
  header: () => '',
  paragraph(paragraph, meta) {
    let out = '';
    for (const pair of paragraph.pairs) {
      const record: JsonlRecord = {
        id: pairId(paragraph, pair.index),
        file: cleanText(meta.file),
        paragraph: paragraph.index,
        sentence: pair.index,
        kind: paragraph.kind,
        documentRange: [paragraph.start + pair.start, paragraph.start + pair.end],
        paragraphRange: [pair.start, pair.end],
        source: cleanText(pair.source),
        target: cleanText(pair.target),
        flags: [...pair.flags],
        // Rebuilt key by key: the record's shape stays fixed whatever else a finding carries.
        qa: pair.qa.map((finding) => ({ check: finding.check, message: cleanText(finding.message) })),
      };
      if (pair.confidence !== undefined) record.confidence = pair.confidence;
      // JSON.stringify escapes quotes, backslashes and remaining controls; U+2028/2029 stay
      // literal, which JSON (unlike old JavaScript) allows.
      out += `${JSON.stringify(record)}\n`;
    }
    return out;
  },
  footer: () => '',
};
