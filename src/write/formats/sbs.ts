import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import type { AlignedParagraph, SentencePair } from '../../document.js';
import { cleanText } from '../escape.js';
import { qaMarker } from '../review.js';
import type { WriteMeta, Writer } from './types.js';

/**
 * Side-by-side columns for a terminal:
 *
 *     NNNN │ French column │ English column
 *
 * Widths are display widths (string-width: accents count 1, CJK and most emoji 2), and each
 * sentence pair starts on the same row in both columns. Colour is SGR codes only when
 * `meta.color`; without it the output is plain text with box-drawing characters.
 */
const GUTTER = 4;
const BAR = ' │ ';
/** The smallest `width` that leaves each text column 10 cells. */
export const MIN_SBS_WIDTH = GUTTER + 2 * BAR.length + 2 * 10;

const SGR = { bold: 1, dim: 2, red: 31, yellow: 33 } as const;
type Style = keyof typeof SGR;

function paint(meta: WriteMeta, style: Style, text: string): string {
  return meta.color && text.length > 0 ? `\u001B[${SGR[style]}m${text}\u001B[0m` : text;
}

function columns(meta: WriteMeta): { left: number; right: number } {
  const left = Math.floor((meta.width - GUTTER - 2 * BAR.length) / 2);
  return { left, right: meta.width - GUTTER - 2 * BAR.length - left };
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

function wrap(text: string, width: number): string[] {
  if (text.length === 0) return [''];
  // Terminal text is one line per row: tabs would jump to tab stops the width cannot predict.
  return wrapAnsi(text.replace(/\t/g, ' '), width, { hard: true, trim: true }).split('\n');
}

function row(meta: WriteMeta, gutter: string, left: string, right: string): string {
  const { left: leftWidth } = columns(meta);
  const bar = paint(meta, 'dim', BAR);
  // No trailing blanks, coloured or not: an empty right column ends the line at its bar.
  const tail = right.length > 0 ? `${bar}${right}` : paint(meta, 'dim', BAR.trimEnd());
  return `${paint(meta, 'dim', gutter.padStart(GUTTER))}${bar}${pad(left, leftWidth)}${tail}`;
}

function rule(meta: WriteMeta, joint: '┬' | '┼' | '┴'): string {
  const { left, right } = columns(meta);
  return paint(meta, 'dim', `${'─'.repeat(GUTTER + 1)}${joint}${'─'.repeat(left + 2)}${joint}${'─'.repeat(right + 1)}`);
}

/** ` [failed] ⚠ numbers` after the English sentence: how it was produced, then what to check. */
function markers(meta: WriteMeta, pair: SentencePair): string {
  let out = '';
  if (pair.flags.length > 0) out += ` ${paint(meta, pair.flags.includes('failed') ? 'red' : 'yellow', `[${pair.flags.join(', ')}]`)}`;
  const qa = qaMarker(pair);
  if (qa) out += ` ${paint(meta, 'yellow', cleanText(qa))}`;
  return out;
}

export const sbs: Writer = {
  name: 'sbs',
  extension: '.fr-en.sbs.txt',
  description: 'side-by-side columns for a terminal, wrapped to --width',
  headerNeedsTotals: false,
  header(meta) {
    const title = `${cleanText(meta.file)} · model ${cleanText(meta.model)} · fr2en ${meta.toolVersion}`;
    const lines = wrap(title, meta.width).map((line) => paint(meta, 'bold', line));
    return [
      ...lines,
      rule(meta, '┬'),
      row(meta, '¶', paint(meta, 'bold', 'Français'), paint(meta, 'bold', 'English')),
      rule(meta, '┼'),
      '',
    ].join('\n');
  },
  paragraph(paragraph: AlignedParagraph, meta) {
    const { left, right } = columns(meta);
    const lines: string[] = [];
    if (paragraph.index > 0) lines.push(row(meta, '', '', ''));
    const style: Style | undefined = paragraph.kind === 'heading' ? 'bold' : undefined;
    let numbered = false; // the paragraph number goes on its first row only
    for (const pair of paragraph.pairs) {
      const source = cleanText(pair.source);
      const target = cleanText(pair.target);
      const fr = wrap(style ? paint(meta, style, source) : source, left);
      const en = wrap((style ? paint(meta, style, target) : target) + markers(meta, pair), right);
      for (let i = 0; i < Math.max(fr.length, en.length); i++) {
        lines.push(row(meta, numbered ? '' : String(paragraph.index + 1), fr[i] ?? '', en[i] ?? ''));
        numbered = true;
      }
    }
    if (paragraph.pairs.length === 0) lines.push(row(meta, String(paragraph.index + 1), '', ''));
    return `${lines.join('\n')}\n`;
  },
  footer: (meta) => `${rule(meta, '┴')}\n`,
};
