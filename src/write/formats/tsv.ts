import { escapeTsvField } from '../escape.js';
import type { Writer } from './types.js';

/**
 * `source<TAB>target`, one line per sentence pair, no header row. Fields are escaped with
 * `escapeTsvField` (`\\`, `\t`, `\n`, `\r`), so every line is exactly two fields.
 */
export const tsv: Writer = {
  name: 'tsv',
  extension: '.fr-en.tsv',
  description: 'source TAB target per sentence, backslash-escaped',
  headerNeedsTotals: false,
  header: () => '',
  paragraph: (paragraph) =>
    paragraph.pairs.map((pair) => `${escapeTsvField(pair.source)}\t${escapeTsvField(pair.target)}\n`).join(''),
  footer: () => '',
};
