import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import { cleanText } from '../../write/escape.js';
import { columnChrf, columnRuns, columnsOf, type TextRun } from '../columns.js';
import type { ComparedPair } from '../types.js';
import { score1, summaryLines } from './summary-text.js';
import type { CompareRenderer, CompareRenderOptions } from './types.js';

/**
 * Columns for a terminal, as fr2en's `sbs` view: the summary, then
 *
 *     NNNN │ French │ A │ B │ reference
 *
 * one block of rows per pair, widths by display width. Differences are coloured (red: only in the
 * first version; green: not in it) when `color` is on, else bracketed as wdiff does: `[-old-]`
 * and `{+new+}`, so they show in a file or a pipe too. Each version's sentence chrF follows its
 * text.
 */
const BAR = ' │ ';
/** Below this a column is unreadable: lines then run past the width instead. */
const MIN_COLUMN = 8;

const SGR = { bold: 1, dim: 2, red: 31, green: 32 } as const;
type Style = keyof typeof SGR;

function paint(options: CompareRenderOptions, style: Style, text: string): string {
  return options.color && text.length > 0 ? `\u001B[${SGR[style]}m${text}\u001B[0m` : text;
}

/** A run as it is shown: coloured, or bracketed without colour. */
function showRun(options: CompareRenderOptions, run: TextRun): string {
  const text = cleanText(run.text).replace(/\t/g, ' ');
  if (!run.mark) return text;
  if (options.color) return paint(options, run.mark === 'deleted' ? 'red' : 'green', text);
  return run.mark === 'deleted' ? `[-${text}-]` : `{+${text}+}`;
}

function wrap(text: string, width: number): string[] {
  if (text.length === 0) return [''];
  return wrapAnsi(text, width, { hard: true, trim: true }).split('\n');
}

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - stringWidth(text)));

export const sbs: CompareRenderer = {
  name: 'sbs',
  fileName: 'compare.sbs.txt',
  description: 'columns for a terminal: French and each version side by side, differences marked',
  render(comparison, options) {
    const columns = columnsOf(comparison);
    const gutter = Math.max(4, String(comparison.pairs.length).length);
    const count = columns.length + 1; // the French, then each English column
    const textWidth = Math.max(MIN_COLUMN, Math.floor((options.width - gutter - count * BAR.length) / count));
    const bar = paint(options, 'dim', BAR);

    const row = (number: string, cells: readonly string[]): string => {
      const last = cells.length - 1;
      // No trailing blanks: the last cell is not padded.
      return paint(options, 'dim', number.padStart(gutter)) + cells.map((cell, i) => bar + (i === last ? cell : pad(cell, textWidth))).join('').trimEnd();
    };
    const rule = (joint: string): string =>
      paint(options, 'dim', `${'─'.repeat(gutter + 1)}${joint}${`${'─'.repeat(textWidth + 2)}${joint}`.repeat(count - 1)}${'─'.repeat(textWidth + 1)}`);

    const block = (pair: ComparedPair): string[] => {
      const cells = [
        wrap(cleanText(pair.source).replace(/\t/g, ' '), textWidth),
        ...columns.map((_, c) => {
          const chrf = columnChrf(pair, c);
          const text = columnRuns(pair, c).map((run) => showRun(options, run)).join('');
          return wrap(chrf === null ? text : `${text} ${paint(options, 'dim', `(chrF ${score1(chrf)})`)}`, textWidth);
        }),
      ];
      const height = Math.max(...cells.map((lines) => lines.length));
      return Array.from({ length: height }, (_, i) => row(i === 0 ? String(pair.index + 1) : '', cells.map((lines) => lines[i] ?? '')));
    };

    const title = summaryLines(comparison).flatMap((line) => wrap(line, Math.max(options.width, MIN_COLUMN)));
    const lines = [
      ...title,
      '',
      rule('┬'),
      row('#', ['Français', ...columns.map((column) => cleanText(column.label))].map((name) => paint(options, 'bold', name))),
      rule('┼'),
      ...comparison.pairs.flatMap((pair, i) => (i === 0 ? block(pair) : [row('', new Array<string>(count).fill('')), ...block(pair)])),
      rule('┴'),
    ];
    return `${lines.join('\n')}\n`;
  },
};
