import type { AlignedParagraph, SentencePair } from '../../document.js';
import { escapeMarkdownCell } from '../escape.js';
import { qaMarker } from '../review.js';
import type { Writer } from './types.js';

/**
 * A GitHub-flavoured Markdown table, one row per paragraph: number, French, English. Each
 * sentence starts with the same superscript number in both cells, so pairs can be matched by
 * eye; flags follow the English sentence in italics, then a `⚠ numbers` marker when quality
 * checks flagged it. Headings are bold. All text goes through `escapeMarkdownCell`, so it renders
 * as text, never as markup or HTML.
 */
function cell(paragraph: AlignedParagraph, side: 'source' | 'target'): string {
  const sentences = paragraph.pairs.map((pair: SentencePair) => {
    const marker = paragraph.pairs.length > 1 ? `<sup>${pair.index + 1}</sup> ` : '';
    const flags = side === 'target' && pair.flags.length > 0 ? ` _(${pair.flags.join(', ')})_` : '';
    const qa = side === 'target' ? qaMarker(pair) : '';
    const sentence = escapeMarkdownCell(pair[side]);
    return `${marker}${sentence}${flags}${qa ? ` ${escapeMarkdownCell(qa)}` : ''}`;
  });
  const joined = sentences.join(' ');
  return paragraph.kind === 'heading' && joined.length > 0 ? `**${joined}**` : joined;
}

export const md: Writer = {
  name: 'md',
  extension: '.fr-en.md',
  description: 'Markdown table, one row per paragraph, numbered sentences',
  headerNeedsTotals: false,
  header: (meta) =>
    `# ${escapeMarkdownCell(meta.file)}\n\n` +
    `French source and English translation (fr2en ${escapeMarkdownCell(meta.toolVersion)}, model ` +
    `${escapeMarkdownCell(meta.model)}). Numbers in superscript pair the sentences.\n\n` +
    `| ¶ | Français | English |\n| --: | --- | --- |\n`,
  paragraph: (paragraph) => `| ${paragraph.index + 1} | ${cell(paragraph, 'source')} | ${cell(paragraph, 'target')} |\n`,
  footer: () => '',
};
