import { escapeTsvField } from '../../write/escape.js';
import { columnsOf, columnText } from '../columns.js';
import type { CompareRenderer } from './types.js';

const score = (value: number | null): string => (value === null ? '' : value.toFixed(4));

/**
 * A header row, then one row per pair: id, French, each version, the reference, each version's
 * sentence chrF (`chrf:<label>`, empty where there is none), the difference (0-1) and whether the
 * versions are identical (1/0). Fields are escaped as fr2en's TSV (`\\`, `\t`, `\n`, `\r`), so
 * every row has the header's number of fields, for spreadsheets and `cut`.
 */
export const tsv: CompareRenderer = {
  name: 'tsv',
  fileName: 'compare.tsv',
  description: 'a header row, then one row per pair: id, French, versions, reference, scores',
  render(comparison) {
    const columns = columnsOf(comparison);
    const header = ['id', 'source', ...columns.map((column) => column.label), ...comparison.versions.map((version) => `chrf:${version.label}`), 'difference', 'identical'];
    const rows = comparison.pairs.map((pair) => [
      pair.id,
      pair.source,
      ...columns.map((_, c) => columnText(pair, c)),
      ...pair.chrf.map(score),
      pair.difference.toFixed(4),
      pair.identical ? '1' : '0',
    ]);
    return [header, ...rows].map((fields) => `${fields.map(escapeTsvField).join('\t')}\n`).join('');
  },
};
