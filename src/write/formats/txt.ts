import { cleanText } from '../escape.js';
import type { Writer } from './types.js';

/** The English text alone: each paragraph's target, paragraphs separated by one blank line. */
export const txt: Writer = {
  name: 'txt',
  extension: '.en.txt',
  description: 'English text only, with the source paragraph structure',
  headerNeedsTotals: false,
  header: () => '',
  // The blank line goes before every paragraph but the first, so the file ends with one newline.
  paragraph: (paragraph) => `${paragraph.index > 0 ? '\n' : ''}${cleanText(paragraph.target)}\n`,
  footer: () => '',
};
